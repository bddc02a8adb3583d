import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { decodeCreatedCursor, DomainError, OutboxService, type Page, type PageQuery, type Principal, toPage } from '@chanxiao/core';
import { RegionsService } from '@chanxiao/regions';
import type { DataSource } from 'typeorm';
import { checkAgencyInput } from '../agency-input';
import { SubsidyProgramme } from '../assistance.entities';
import type { CreateSubsidyProgrammeDto, SubsidyEntryView, SubsidyProgrammeView } from '../dto/subsidy.dto';

/** Courier subsidy programmes (agency staff create them within their region) and the seller's view of its entries. */
@Injectable()
export class SubsidyProgrammesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly regions: RegionsService,
    private readonly outbox: OutboxService,
  ) {}

  async create(principal: Principal, input: CreateSubsidyProgrammeDto): Promise<SubsidyProgrammeView> {
    const regionCodes = checkAgencyInput(principal, this.regions, input);
    const problems = [];
    if (input.perSellerCapFen < input.perOrderFen) problems.push({ field: 'perSellerCapFen', message: 'must be at least perOrderFen' });
    if (input.budgetFen < input.perSellerCapFen) problems.push({ field: 'budgetFen', message: 'must be at least perSellerCapFen' });
    if (problems.length) throw DomainError.validation('subsidy.invalid', problems);
    return this.dataSource.transaction(async (manager) => {
      const repository = manager.getRepository(SubsidyProgramme);
      const programme = await repository.save(repository.create({
        name: input.name, ownerRegionCode: principal.regionCode!, createdBy: principal.userId, perOrderFen: input.perOrderFen,
        perSellerCapFen: input.perSellerCapFen, budgetFen: input.budgetFen, spentFen: 0, regionCodes, startsOn: input.startsOn, endsOn: input.endsOn,
      }));
      await this.outbox.write(manager, { type: 'subsidy_programme.created', aggregateType: 'subsidy_programme', aggregateId: programme.id, payload: { ...toProgrammeView(programme) } });
      return toProgrammeView(programme);
    });
  }

  /** A seller's subsidy entries, newest first, with each programme's name. */
  async entries(principal: Principal, query: PageQuery): Promise<Page<SubsidyEntryView> & { totalFen: number }> {
    const limit = query.limit ?? 20;
    const params: unknown[] = [principal.organizationId, limit + 1];
    let after = '';
    if (query.cursor) {
      const [createdAt, id] = decodeCreatedCursor(query.cursor);
      params.push(createdAt, id);
      after = `AND (e.created_at, e.id) < ($3, $4)`;
    }
    const rows = (await this.dataSource.query(
      `SELECT e.id, e.programme_id, p.name, e.order_id, e.kind, e.amount_fen, e.created_at FROM subsidy_entries e JOIN subsidy_programmes p ON p.id = e.programme_id
        WHERE e.seller_organization_id = $1 ${after} ORDER BY e.created_at DESC, e.id DESC LIMIT $2`,
      params,
    )) as { id: string; programme_id: string; name: string; order_id: string; kind: 'earned' | 'reversed'; amount_fen: string; created_at: Date }[];
    const [{ total }] = await this.dataSource.query(`SELECT coalesce(sum(amount_fen), 0)::bigint AS total FROM subsidy_entries WHERE seller_organization_id = $1`, [principal.organizationId]);
    const page = toPage(rows, limit, (r): SubsidyEntryView => ({
      id: r.id, programmeId: r.programme_id, programmeName: r.name, orderId: r.order_id, kind: r.kind, amountFen: Number(r.amount_fen), createdAt: r.created_at.toISOString(),
    }), (r) => [r.created_at.toISOString(), r.id]);
    return { ...page, totalFen: Number(total) };
  }
}

export function toProgrammeView(p: SubsidyProgramme): SubsidyProgrammeView {
  return {
    id: p.id, name: p.name, ownerRegionCode: p.ownerRegionCode, perOrderFen: p.perOrderFen, perSellerCapFen: p.perSellerCapFen,
    budgetFen: p.budgetFen, spentFen: p.spentFen, remainingFen: p.budgetFen - p.spentFen, regionCodes: p.regionCodes,
    startsOn: p.startsOn, endsOn: p.endsOn, createdAt: p.createdAt.toISOString(),
  };
}
