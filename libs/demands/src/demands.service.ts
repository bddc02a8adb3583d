import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { chinaDate, decodeCreatedCursor, DomainError, OutboxService, type FieldProblem, type Page, type Principal, toPage, uuidOrNone } from '@chanxiao/core';
import { CategoriesService } from '@chanxiao/categories';
import { RegionsService } from '@chanxiao/regions';
import { gramsToKg, kgToGrams } from '@chanxiao/listings/quantity.util';
import type { DataSource, EntityManager } from 'typeorm';
import type { CreateDemandDto, DemandView, ListDemandsQuery } from './dto/demand.dto';
import { Demand } from './demand.entity';
import { demandStateMachine, type DemandStatus, LIVE_DEMAND_STATUSES } from './demand.state-machine';
import { demandEvent, toDemandView } from './demand.view';

/**
 * Buyers' purchase demands: create, read, cancel, and (for the matcher and orders) record fills. Every query a
 * buyer makes is scoped to its organisation, so another organisation's demand answers 404. Each state change
 * is checked by {@link demandStateMachine}, saved, and written to the outbox in the same transaction.
 */
@Injectable()
export class DemandsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly categories: CategoriesService,
    private readonly regions: RegionsService,
    private readonly outbox: OutboxService,
  ) {}

  /** Posts a demand (`open`), writing `demand.created`. Throws a 400 naming every field the rules refuse. */
  async create(principal: Principal, input: CreateDemandDto): Promise<DemandView> {
    this.check(input);
    return this.dataSource.transaction(async (manager) => this.view(await this.createIn(manager, principal.organizationId, input)));
  }

  /**
   * Posts a demand for `organizationId` inside the caller's transaction (a full 消费扶贫 pool becomes one demand
   * in the transaction that fills it). Same rules and event as {@link create}.
   */
  async createIn(manager: EntityManager, organizationId: string, input: CreateDemandDto): Promise<Demand> {
    const region = this.check(input);
    const repository = manager.getRepository(Demand);
    const demand = await repository.save(
      repository.create({
        organizationId,
        status: 'open',
        categoryCode: input.categoryCode,
        quantityGrams: kgToGrams(input.quantityKg),
        filledGrams: 0,
        heldGrams: 0,
        maxUnitPriceFen: input.maxUnitPriceFen,
        // An old code of a county resolves to its current one, which is what the foreign key knows.
        destinationRegionCode: region.code,
        deliverBy: input.deliverBy,
        coldChainCapable: input.coldChainCapable,
        preferPoverty: input.preferPoverty,
        note: input.note ?? null,
        closedAt: null,
      }),
    );
    await this.outbox.write(manager, demandEvent('demand.created', demand));
    return demand;
  }

  private check(input: CreateDemandDto) {
    const problems: FieldProblem[] = [];
    if (!this.categories.find(input.categoryCode)) problems.push({ field: 'categoryCode', message: `${input.categoryCode} is not a category code` });
    const region = this.regions.find(input.destinationRegionCode);
    if (!region) problems.push({ field: 'destinationRegionCode', message: `${input.destinationRegionCode} is not a GB/T 2260 region code` });
    const today = chinaDate();
    if (input.deliverBy <= today) problems.push({ field: 'deliverBy', message: `must be after today (${today})` });
    if (problems.length) throw DomainError.validation('demand.invalid', problems);
    return region!;
  }

  async get(principal: Principal, id: string): Promise<DemandView> {
    const demand = await this.dataSource.getRepository(Demand).findOneBy({ id: uuidOrNone(id), organizationId: principal.organizationId });
    if (!demand) throw DomainError.notFound('demand', id);
    return this.view(demand);
  }

  /** The organisation's own demands, newest first, optionally of one status, in keyset pages. */
  async list(principal: Principal, query: ListDemandsQuery): Promise<Page<DemandView>> {
    const limit = query.limit ?? 20;
    const qb = this.dataSource
      .getRepository(Demand)
      .createQueryBuilder('d')
      .where('d.organization_id = :org', { org: principal.organizationId })
      .orderBy('d.created_at', 'DESC')
      .addOrderBy('d.id', 'DESC')
      .take(limit + 1);
    if (query.status) qb.andWhere('d.status = :status', { status: query.status });
    if (query.cursor) {
      const [createdAt, id] = decodeCreatedCursor(query.cursor);
      qb.andWhere('(d.created_at, d.id) < (:createdAt, :id)', { createdAt, id });
    }
    const rows = await qb.getMany();
    return toPage(rows, limit, (d) => this.view(d), (d) => [d.createdAt.toISOString(), d.id]);
  }

  /** Cancels an open or partially filled demand; `demand.cancelled` tells the matcher to drop its proposals. */
  async cancel(principal: Principal, id: string): Promise<DemandView> {
    return this.dataSource.transaction(async (manager) => {
      const demand = await manager.getRepository(Demand).findOne({
        where: { id: uuidOrNone(id), organizationId: principal.organizationId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!demand) throw DomainError.notFound('demand', id);
      return this.view(await this.transition(manager, demand, 'cancelled'));
    });
  }

  /**
   * Records that `grams` of a live demand were bought (an order placed or a proposal confirmed), inside the
   * caller's transaction. `filled_grams` moves by one conditional UPDATE that never passes the quantity, so
   * concurrent fills cannot over-fill; the demand then becomes `partially_filled` or `filled` through the state
   * machine and a `demand.partially_filled` / `demand.filled` event (with `fillGrams`) is written. A further
   * partial fill of a partially filled demand writes `demand.partially_filled` again, so the matcher always
   * learns the new remaining quantity.
   *
   * With `fromHold` the grams come out of what an open proposal held for the demand (the proposal was confirmed);
   * otherwise they must fit beside what proposals hold: `filled + held + grams ≤ quantity`.
   *
   * Refuses with 409 a fill larger than what remains (`demand.overfill`) or of a closed demand
   * (`fsm.illegal_transition`), 404 an unknown demand, 400 a quantity that is not a positive whole number of grams.
   */
  async recordFill(manager: EntityManager, demandId: string, grams: number, options: { fromHold?: boolean } = {}): Promise<Demand> {
    // Checked before the UPDATE: outside a transaction the fill would commit and then its event fail.
    if (!manager.queryRunner?.isTransactionActive) throw new Error('recordFill must run inside the transaction that records the purchase');
    if (!Number.isSafeInteger(grams) || grams <= 0) {
      throw DomainError.validation('demand.invalid_fill', [{ field: 'grams', message: 'must be a positive whole number of grams' }]);
    }
    const id = uuidOrNone(demandId);
    const moved = await manager
      .createQueryBuilder()
      .update(Demand)
      .set(options.fromHold ? { filledGrams: () => 'filled_grams + :grams', heldGrams: () => 'held_grams - :grams' } : { filledGrams: () => 'filled_grams + :grams' })
      .where(
        options.fromHold
          ? 'id = :id AND status IN (:...live) AND held_grams >= :grams'
          : 'id = :id AND status IN (:...live) AND filled_grams + held_grams + :grams <= quantity_grams',
        { id, grams, live: LIVE_DEMAND_STATUSES },
      )
      .execute();
    const demand = await manager.getRepository(Demand).findOneBy({ id });
    if (!demand) throw DomainError.notFound('demand', demandId);
    if (!moved.affected) this.refuseFill(demand, grams);
    const to = demand.filledGrams === demand.quantityGrams ? 'filled' : 'partially_filled';
    if (to === demand.status) {
      await this.outbox.write(manager, demandEvent('demand.partially_filled', demand, { fillGrams: grams }));
      return demand;
    }
    return this.transition(manager, demand, to, chinaDate(), { fillGrams: grams });
  }

  /**
   * Moves a locked demand to `to` (checked by the state machine), closing it when `to` is final, and writes
   * `demand.<to>` to the outbox. The caller holds the row lock and the transaction.
   */
  async transition(manager: EntityManager, demand: Demand, to: Exclude<DemandStatus, 'open'>, today = chinaDate(), extra: Record<string, unknown> = {}): Promise<Demand> {
    demandStateMachine.assert(demand.status, to, { ...demand, today });
    demand.status = to;
    if (demandStateMachine.isFinal(to)) demand.closedAt = new Date();
    await manager.getRepository(Demand).save(demand);
    await this.outbox.write(manager, demandEvent(`demand.${to}` as const, demand, extra));
    return demand;
  }

  /** The API view of a demand, with its destination's name. */
  view(demand: Demand): DemandView {
    return toDemandView(demand, this.regions.find(demand.destinationRegionCode)?.name ?? demand.destinationRegionCode);
  }

  // The conditional UPDATE matched nothing: a closed demand (its state is final, so the state machine refuses
  // and says so) or a fill larger than what remains.
  private refuseFill(demand: Demand, grams: number): never {
    const filledGrams = demand.filledGrams + grams;
    if (!LIVE_DEMAND_STATUSES.includes(demand.status)) {
      const to: DemandStatus = filledGrams >= demand.quantityGrams ? 'filled' : 'partially_filled';
      demandStateMachine.assert(demand.status, to, { ...demand, filledGrams, today: chinaDate() });
    }
    const remaining = gramsToKg(demand.quantityGrams - demand.filledGrams - demand.heldGrams);
    throw new DomainError('conflict', 'demand.overfill', `a fill of ${gramsToKg(grams)} kg is more than the ${remaining} kg the demand still wants`, [
      { field: 'quantityKg', message: `must be at most ${remaining} kg` },
    ]);
  }
}
