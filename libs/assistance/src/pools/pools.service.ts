import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AppConfig, chinaDate, DomainError, drainLockedBatches, type FieldProblem, OutboxService, type Page, type Principal, toPage, decodeCreatedCursor, uuidOrNone } from '@chanxiao/core';
import { CategoriesService } from '@chanxiao/categories';
import { DemandsService } from '@chanxiao/demands';
import { gramsToKg, kgToGrams } from '@chanxiao/listings/quantity.util';
import { RegionsService } from '@chanxiao/regions';
import type { DataSource, EntityManager } from 'typeorm';
import { DemandPool, DemandPoolMember } from '../assistance.entities';
import type { JoinPoolDto, ListPoolsQuery, OpenPoolDto, PoolView } from '../dto/pool.dto';
import { poolStateMachine } from './pool.state-machine';

const BATCH = 200;

/**
 * Pooled demand (拼单): buyers add quantities to an open pool (a category and a destination city) until it holds
 * a truckload (POOL_TRUCKLOAD_KG). The join that fills it posts one demand, in the organiser's name, in the same
 * transaction; the matcher then treats it like any demand, and each confirmed proposal is split back into one
 * order per member (PoolOrdersService). A pool not full by its join-by deadline fails and releases everyone:
 * nothing was reserved for them, so releasing is only the record and the event.
 *
 * Joins lock the pool row, so concurrent joins are serialised; a CHECK keeps joined ≤ target as a second line.
 */
@Injectable()
export class PoolsService {
  private readonly logger = new Logger(PoolsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly categories: CategoriesService,
    private readonly regions: RegionsService,
    private readonly demands: DemandsService,
    private readonly outbox: OutboxService,
  ) {}

  async open(principal: Principal, input: OpenPoolDto): Promise<PoolView> {
    const now = new Date();
    const target = this.config.POOL_TRUCKLOAD_KG * 1000;
    const problems: FieldProblem[] = [];
    if (!this.categories.find(input.categoryCode)) problems.push({ field: 'categoryCode', message: `${input.categoryCode} is not a category code` });
    const destination = this.regions.find(input.destinationRegionCode);
    if (!destination || destination.level !== 'city') problems.push({ field: 'destinationRegionCode', message: 'must be a city (prefecture-level) region code' });
    const today = chinaDate(now);
    if (input.deliverBy <= today) problems.push({ field: 'deliverBy', message: `must be after today (${today})` });
    const joinBy = new Date(input.joinBy);
    if (!(joinBy > now)) problems.push({ field: 'joinBy', message: 'must be in the future' });
    else if (chinaDate(joinBy) >= input.deliverBy) problems.push({ field: 'joinBy', message: 'must be before deliverBy' });
    if (kgToGrams(input.quantityKg) > target) problems.push({ field: 'quantityKg', message: `must be at most the truckload of ${this.config.POOL_TRUCKLOAD_KG} kg` });
    if (problems.length) throw DomainError.validation('pool.invalid', problems);
    return this.dataSource.transaction(async (manager) => {
      const repository = manager.getRepository(DemandPool);
      const pool = await repository.save(repository.create({
        organizerOrganizationId: principal.organizationId, status: 'open', categoryCode: input.categoryCode, destinationRegionCode: destination!.code,
        maxUnitPriceFen: input.maxUnitPriceFen, deliverBy: input.deliverBy, joinBy, coldChainCapable: input.coldChainCapable,
        preferPoverty: input.preferPoverty ?? true, targetGrams: target, joinedGrams: 0, demandId: null, closedAt: null,
      }));
      await this.outbox.write(manager, poolEvent('pool.opened', pool));
      await this.addMember(manager, pool, principal.organizationId, kgToGrams(input.quantityKg), now);
      return this.view(manager, principal, pool);
    });
  }

  async join(principal: Principal, id: string, input: JoinPoolDto): Promise<PoolView> {
    const now = new Date();
    return this.dataSource.transaction(async (manager) => {
      const pool = await manager.getRepository(DemandPool).findOne({ where: { id: uuidOrNone(id) }, lock: { mode: 'pessimistic_write' } });
      if (!pool) throw DomainError.notFound('pool', id);
      if (pool.status !== 'open' || pool.joinBy <= now) {
        throw new DomainError('conflict', 'pool.closed', `pool ${pool.id} is ${pool.status === 'open' ? 'past its join-by deadline' : pool.status}; it takes no more members`, [{ field: 'status', message: `is ${pool.status}` }]);
      }
      const existing = await manager.getRepository(DemandPoolMember).findOneBy({ poolId: pool.id, organizationId: principal.organizationId });
      if (existing) throw new DomainError('conflict', 'pool.already_joined', `your organisation is already in pool ${pool.id}`, [{ field: 'organizationId', message: 'already a member' }]);
      await this.addMember(manager, pool, principal.organizationId, kgToGrams(input.quantityKg), now);
      return this.view(manager, principal, pool);
    });
  }

  async get(principal: Principal, id: string): Promise<PoolView> {
    const pool = await this.dataSource.getRepository(DemandPool).findOneBy({ id: uuidOrNone(id) });
    if (!pool) throw DomainError.notFound('pool', id);
    return this.view(this.dataSource.manager, principal, pool);
  }

  /** Open pools to join (default), pools in another state, or `mine`: those the caller joined. Newest first. */
  async list(principal: Principal, query: ListPoolsQuery): Promise<Page<PoolView>> {
    const limit = query.limit ?? 20;
    const qb = this.dataSource.getRepository(DemandPool).createQueryBuilder('p').orderBy('p.created_at', 'DESC').addOrderBy('p.id', 'DESC').take(limit + 1);
    const status = query.status ?? 'open';
    if (status === 'mine') qb.where('EXISTS (SELECT 1 FROM demand_pool_members m WHERE m.pool_id = p.id AND m.organization_id = :org)', { org: principal.organizationId });
    else qb.where('p.status = :status', { status });
    if (query.categoryCode) qb.andWhere('p.category_code = :category', { category: query.categoryCode });
    if (query.destinationRegionCode) qb.andWhere('p.destination_region_code = :destination', { destination: query.destinationRegionCode });
    if (query.cursor) {
      const [createdAt, cursorId] = decodeCreatedCursor(query.cursor);
      qb.andWhere('(p.created_at, p.id) < (:createdAt, :cursorId)', { createdAt, cursorId });
    }
    const rows = await qb.getMany();
    const page = toPage(rows, limit, (p) => p, (p) => [p.createdAt.toISOString(), p.id]);
    return { items: await Promise.all(page.items.map((p) => this.view(this.dataSource.manager, principal, p))), nextCursor: page.nextCursor };
  }

  /** The sweep: open pools past their join-by deadline fail and release their members. SKIP LOCKED batches. */
  async failExpired(now = new Date()): Promise<number> {
    const total = await drainLockedBatches(
      this.dataSource,
      BATCH,
      (manager, size) =>
        manager.getRepository(DemandPool).createQueryBuilder('p')
          .where(`p.status = 'open' AND p.join_by <= :now`, { now }).orderBy('p.id').take(size)
          .setLock('pessimistic_write').setOnLocked('skip_locked').getMany(),
      (manager, pool) => this.fail(manager, pool, now),
    );
    if (total) this.logger.log(`failed ${total} pools past their join-by deadline`);
    return total;
  }

  private async fail(manager: EntityManager, pool: DemandPool, now: Date): Promise<void> {
    poolStateMachine.assert(pool.status, 'failed', { now, joinBy: pool.joinBy });
    pool.status = 'failed';
    pool.closedAt = now;
    await manager.getRepository(DemandPool).save(pool);
    const released = (await manager.query(
      `UPDATE demand_pool_members SET status = 'released', released_at = $2 WHERE pool_id = $1 AND status = 'joined' RETURNING organization_id, quantity_grams`,
      [pool.id, now],
    )) as [{ organization_id: string; quantity_grams: string }[], number];
    const event = poolEvent('pool.failed', pool);
    event.payload.released = released[0].map((m) => ({ organizationId: m.organization_id, grams: Number(m.quantity_grams) }));
    await this.outbox.write(manager, event);
  }

  /** Adds a member to a locked open pool; the join that reaches the truckload fills it and posts its demand. */
  private async addMember(manager: EntityManager, pool: DemandPool, organizationId: string, grams: number, now: Date): Promise<void> {
    const room = pool.targetGrams - pool.joinedGrams;
    if (grams > room) {
      throw new DomainError('conflict', 'pool.too_much', `pool ${pool.id} has room for only ${gramsToKg(room)} kg`, [{ field: 'quantityKg', message: `must be at most ${gramsToKg(room)} kg` }]);
    }
    await manager.getRepository(DemandPoolMember).insert({ poolId: pool.id, organizationId, status: 'joined', quantityGrams: grams, allocatedGrams: 0, joinedAt: now, releasedAt: null });
    pool.joinedGrams += grams;
    const joined = poolEvent('pool.joined', pool);
    joined.payload.organizationId = organizationId;
    joined.payload.grams = grams;
    if (pool.joinedGrams === pool.targetGrams) {
      poolStateMachine.assert(pool.status, 'filled', { now, joinBy: pool.joinBy });
      const demand = await this.demands.createIn(manager, pool.organizerOrganizationId, {
        categoryCode: pool.categoryCode, quantityKg: gramsToKg(pool.targetGrams), maxUnitPriceFen: pool.maxUnitPriceFen,
        destinationRegionCode: pool.destinationRegionCode, deliverBy: pool.deliverBy, coldChainCapable: pool.coldChainCapable,
        preferPoverty: pool.preferPoverty, note: `拼单 ${pool.id}`,
      });
      pool.status = 'filled';
      pool.demandId = demand.id;
      pool.closedAt = now;
    }
    await manager.getRepository(DemandPool).save(pool);
    await this.outbox.write(manager, joined);
    if (pool.status === 'filled') await this.outbox.write(manager, poolEvent('pool.filled', pool));
  }

  private async view(manager: EntityManager, principal: Principal, pool: DemandPool): Promise<PoolView> {
    const [{ members }] = await manager.query(`SELECT count(*)::int AS members FROM demand_pool_members WHERE pool_id = $1`, [pool.id]);
    const mine = await manager.getRepository(DemandPoolMember).findOneBy({ poolId: pool.id, organizationId: principal.organizationId });
    return {
      id: pool.id, status: pool.status, categoryCode: pool.categoryCode, destinationRegionCode: pool.destinationRegionCode,
      maxUnitPriceFen: pool.maxUnitPriceFen, deliverBy: pool.deliverBy, joinBy: pool.joinBy.toISOString(), coldChainCapable: pool.coldChainCapable,
      preferPoverty: pool.preferPoverty, targetKg: gramsToKg(pool.targetGrams), joinedKg: gramsToKg(pool.joinedGrams),
      remainingKg: gramsToKg(pool.targetGrams - pool.joinedGrams), members, demandId: pool.demandId,
      organizer: pool.organizerOrganizationId === principal.organizationId,
      membership: mine ? { quantityKg: gramsToKg(mine.quantityGrams), allocatedKg: gramsToKg(mine.allocatedGrams), status: mine.status } : null,
      createdAt: pool.createdAt.toISOString(), closedAt: pool.closedAt?.toISOString() ?? null,
    };
  }
}

function poolEvent(type: 'pool.opened' | 'pool.joined' | 'pool.filled' | 'pool.failed', pool: DemandPool) {
  return {
    type, aggregateType: 'pool', aggregateId: pool.id,
    payload: {
      poolId: pool.id, status: pool.status, organizerOrganizationId: pool.organizerOrganizationId, categoryCode: pool.categoryCode,
      destinationRegionCode: pool.destinationRegionCode, targetGrams: pool.targetGrams, joinedGrams: pool.joinedGrams, demandId: pool.demandId,
    } as Record<string, unknown>,
  };
}
