import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { chinaDate, DomainError, OutboxService, type Principal } from '@chanxiao/core';
import type { DataSource, EntityManager } from 'typeorm';
import { Pledge } from '../assistance.entities';
import type { CreatePledgeDto, PledgeMonth, PledgeProgressView, PledgeView, UpdatePledgeDto } from '../dto/pledge.dto';
import { expectedByDate, share, yearInstants } from './pledge-progress.util';

/**
 * 消费扶贫 pledges: a `consumption_assistance` buyer records what it will buy from poverty counties in a year,
 * and follows its progress, read from the pledge ledger (PledgeLedgerService).
 */
@Injectable()
export class PledgesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
  ) {}

  async create(principal: Principal, input: CreatePledgeDto): Promise<PledgeView> {
    const year = input.year ?? Number(chinaDate().slice(0, 4));
    return this.dataSource.transaction(async (manager) => {
      await this.assertPurchaser(manager, principal);
      const inserted = (await manager.query(
        `INSERT INTO pledges (organization_id, year, amount_fen, procurement_budget_fen, reserved_share_bps)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (organization_id, year) DO NOTHING RETURNING id`,
        [principal.organizationId, year, input.amountFen, input.procurementBudgetFen ?? null, input.reservedShareBps ?? null],
      )) as { id: string }[];
      if (!inserted.length) {
        throw new DomainError('conflict', 'pledge.exists', `a pledge for ${year} is already recorded; change it with PATCH /api/v1/pledges/${year}`, [{ field: 'year', message: `${year} already has a pledge` }]);
      }
      const pledge = await manager.getRepository(Pledge).findOneByOrFail({ id: inserted[0].id });
      await this.outbox.write(manager, pledgeEvent('pledge.recorded', pledge));
      return toPledgeView(pledge);
    });
  }

  async update(principal: Principal, year: number, input: UpdatePledgeDto): Promise<PledgeView> {
    return this.dataSource.transaction(async (manager) => {
      const pledge = await manager.getRepository(Pledge).findOne({ where: { organizationId: principal.organizationId, year }, lock: { mode: 'pessimistic_write' } });
      if (!pledge) throw DomainError.notFound('pledge', String(year));
      if (input.amountFen !== undefined) pledge.amountFen = input.amountFen;
      if (input.procurementBudgetFen !== undefined) pledge.procurementBudgetFen = input.procurementBudgetFen;
      if (input.reservedShareBps !== undefined) pledge.reservedShareBps = input.reservedShareBps;
      await manager.getRepository(Pledge).save(pledge);
      await this.outbox.write(manager, pledgeEvent('pledge.revised', pledge));
      return toPledgeView(pledge);
    });
  }

  /** The pledge of `year` (default: this year) and what counts toward it so far. A purchaser without a pledge still sees its purchases. */
  async progress(principal: Principal, year = Number(chinaDate().slice(0, 4))): Promise<PledgeProgressView> {
    const pledge = await this.dataSource.getRepository(Pledge).findOneBy({ organizationId: principal.organizationId, year });
    const { start, end } = yearInstants(year);
    const rows = (await this.dataSource.query(
      `SELECT to_char(occurred_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') AS month,
              sum(amount_fen)::bigint AS fen, sum(supervised_fen)::bigint AS supervised, sum(grams)::bigint AS grams
         FROM pledge_entries WHERE organization_id = $1 AND occurred_at >= $2 AND occurred_at < $3
        GROUP BY 1 ORDER BY 1`,
      [principal.organizationId, start, end],
    )) as { month: string; fen: string; supervised: string; grams: string }[];
    const byMonth: PledgeMonth[] = rows.map((r) => ({ month: r.month, fen: Number(r.fen), supervisedFen: Number(r.supervised), kg: Number(r.grams) / 1000 }));
    const countedFen = byMonth.reduce((s, m) => s + m.fen, 0);
    const supervisedFen = byMonth.reduce((s, m) => s + m.supervisedFen, 0);
    const grams = rows.reduce((s, r) => s + Number(r.grams), 0);
    const asOf = chinaDate();
    const expected = pledge ? expectedByDate(pledge.amountFen, year, asOf) : null;
    return {
      year, asOf, pledge: pledge ? toPledgeView(pledge) : null,
      progress: {
        countedFen, countedKg: grams / 1000, shareOfPledge: share(countedFen, pledge?.amountFen ?? null),
        supervisedFen, shareFromSupervised: share(supervisedFen, countedFen),
        expectedByNowFen: expected, behindSchedule: expected === null ? null : countedFen < expected,
        remainingFen: pledge ? Math.max(0, pledge.amountFen - countedFen) : null, byMonth,
      },
    };
  }

  private async assertPurchaser(manager: EntityManager, principal: Principal): Promise<void> {
    const [org] = (await manager.query(`SELECT buyer_type FROM organizations WHERE id = $1`, [principal.organizationId])) as { buyer_type: string | null }[];
    if (org?.buyer_type !== 'consumption_assistance') {
      throw new DomainError('forbidden', 'pledge.not_a_purchaser', 'only a consumption_assistance buyer (budget unit, SOE, union, canteen) records a 消费扶贫 pledge');
    }
  }
}

export function toPledgeView(p: Pledge): PledgeView {
  return {
    id: p.id, organizationId: p.organizationId, year: p.year, amountFen: p.amountFen,
    procurementBudgetFen: p.procurementBudgetFen, reservedShareBps: p.reservedShareBps,
    reservedBudgetFen: p.procurementBudgetFen !== null && p.reservedShareBps !== null ? Math.floor((p.procurementBudgetFen * p.reservedShareBps) / 10000) : null,
    createdAt: p.createdAt.toISOString(), updatedAt: p.updatedAt.toISOString(),
  };
}

function pledgeEvent(type: 'pledge.recorded' | 'pledge.revised', p: Pledge) {
  return { type, aggregateType: 'pledge', aggregateId: p.id, payload: { organizationId: p.organizationId, year: p.year, amountFen: p.amountFen, procurementBudgetFen: p.procurementBudgetFen, reservedShareBps: p.reservedShareBps } };
}
