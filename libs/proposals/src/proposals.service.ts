import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bullmq';
import { decodeCreatedCursor, DomainError, drainLockedBatches, OutboxService, type Page, type Principal, QueueName, toPage, uuidOrNone, withTimeout } from '@chanxiao/core';
import { DemandsService } from '@chanxiao/demands';
import { Listing } from '@chanxiao/listings/listing.entity';
import { HeldOrdersService, type Order, OrdersService } from '@chanxiao/orders';
import { type DataSource, type EntityManager, In, LessThanOrEqual } from 'typeorm';
import type { ListProposalsQuery, ProposalView } from './dto/proposal.dto';
import { ProposalHoldsService } from './proposal-holds.service';
import { Proposal } from './proposal.entity';
import { LIVE_PROPOSAL_STATUSES, proposalStateMachine } from './proposal.state-machine';
import { proposalEvent, toProposalView } from './proposal.view';

const BATCH = 200;

/**
 * A hook for demands that stand for several buyers (a 消费扶贫 pool, libs/assistance): when a proposal for such a
 * demand is confirmed, it writes the orders (one per buyer) for the proposal's hold, inside the confirming
 * transaction, and returns them; for any other demand it returns null and the proposal becomes one order.
 */
export interface ProposalOrderSplitter {
  place(manager: EntityManager, proposal: Proposal, lot: Listing, now: Date): Promise<Order[] | null>;
}

export const PROPOSAL_ORDER_SPLITTER = Symbol('PROPOSAL_ORDER_SPLITTER');

/**
 * What buyers and sellers do with proposals (list, accept, decline) and what the matcher does when they run
 * out (expire) or lose their lot or demand (close). Each change locks the proposal row first, so a decline, an
 * acceptance, the expiry job and the sweeper racing on one proposal apply exactly one of them.
 */
@Injectable()
export class ProposalsService {
  private readonly logger = new Logger(ProposalsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly holds: ProposalHoldsService,
    private readonly demands: DemandsService,
    private readonly heldOrders: HeldOrdersService,
    private readonly orders: OrdersService,
    private readonly outbox: OutboxService,
    @InjectQueue(QueueName.Proposals) private readonly queue: Queue,
    @Optional() @Inject(PROPOSAL_ORDER_SPLITTER) private readonly splitter: ProposalOrderSplitter | null = null,
  ) {}

  async list(principal: Principal, query: ListProposalsQuery): Promise<Page<ProposalView>> {
    const limit = query.limit ?? 20;
    const qb = this.dataSource
      .getRepository(Proposal)
      .createQueryBuilder('p')
      .where(`p.${side(principal)} = :org`, { org: principal.organizationId })
      .orderBy('p.created_at', 'DESC')
      .addOrderBy('p.id', 'DESC')
      .take(limit + 1);
    if (query.status) qb.andWhere('p.status = :status', { status: query.status });
    if (query.cursor) {
      const [createdAt, id] = decodeCreatedCursor(query.cursor);
      qb.andWhere('(p.created_at, p.id) < (:createdAt, :id)', { createdAt, id });
    }
    return toPage(await qb.getMany(), limit, toProposalView, (p) => [p.createdAt.toISOString(), p.id]);
  }

  async get(principal: Principal, id: string): Promise<ProposalView> {
    return toProposalView(await this.find(this.dataSource.manager, principal, id, false));
  }

  /**
   * One side accepts. The first acceptance records it (`accepted_by_buyer|seller`); the second confirms: the
   * demand's hold becomes a fill and the lot's hold becomes an order in `pending_payment` for the buyer, at the
   * proposal's price. Accepting twice, after the other side declined, or after expiry is a 409.
   */
  async accept(principal: Principal, id: string): Promise<ProposalView> {
    const now = new Date();
    const { proposal, payBys } = await this.dataSource.transaction(async (manager) => {
      const p = await this.find(manager, principal, id, true);
      const actor = principal.kind === 'seller' ? 'seller' : 'buyer';
      const to = p.status === 'proposed' ? (`accepted_by_${actor}` as const) : 'confirmed';
      proposalStateMachine.assert(p.status, to, { actor, expiresAt: p.expiresAt, now });
      if (actor === 'buyer') p.buyerAcceptedAt = now;
      else p.sellerAcceptedAt = now;
      let orders: { id: string; payBy: Date }[] = [];
      if (to === 'confirmed') {
        await this.assertDemandLive(manager, p);
        const lot = await manager.getRepository(Listing).findOneByOrFail({ id: p.listingId });
        // The matcher declines a withdrawn or expired lot's proposals, but an acceptance can come first.
        if (lot.status !== 'active' && lot.status !== 'sold_out') {
          throw new DomainError('conflict', 'proposal.lot_closed', `the lot is ${lot.status}; this proposal will be withdrawn`, [{ field: 'listingId', message: `lot is ${lot.status}` }]);
        }
        await this.demands.recordFill(manager, p.demandId, p.quantityGrams, { fromHold: true });
        orders = (await this.splitter?.place(manager, p, lot, now)) ?? [await this.heldOrders.place(manager, {
          key: `proposal:${p.id}`, buyerOrganizationId: p.buyerOrganizationId, sellerOrganizationId: p.sellerOrganizationId,
          lines: [{ listingId: p.listingId, title: lot.title, categoryCode: lot.categoryCode, grams: p.quantityGrams, unitPriceFen: p.unitPriceFen }],
        }, now)];
        p.orderId = orders[0].id;
        p.closedAt = now;
      }
      p.status = to;
      await manager.getRepository(Proposal).save(p);
      await this.outbox.write(manager, proposalEvent(`proposal.${to}`, p));
      return { proposal: p, payBys: orders.map((o) => ({ id: o.id, payBy: o.payBy.toISOString() })) };
    });
    if (payBys.length) void this.orders.scheduleUnpaidCancellation(payBys);
    return toProposalView(proposal);
  }

  /** One side declines: the hold is released, and the matcher never proposes this pair again. */
  async decline(principal: Principal, id: string): Promise<ProposalView> {
    const actor = principal.kind === 'seller' ? 'seller' : 'buyer';
    return this.dataSource.transaction(async (manager) => {
      const p = await this.find(manager, principal, id, true);
      return toProposalView(await this.holds.close(manager, p, 'declined', { actor, expiresAt: p.expiresAt, now: new Date() }, actor));
    });
  }

  /** The delayed job's work: expire the proposal if it is still live past its expiry. False when there was nothing to do. */
  async expireIfDue(proposalId: string, now = new Date()): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const p = await manager.getRepository(Proposal).findOne({ where: { id: proposalId }, lock: { mode: 'pessimistic_write' } });
      if (!p || !LIVE_PROPOSAL_STATUSES.includes(p.status) || p.expiresAt > now) return false;
      await this.holds.close(manager, p, 'expired', { actor: 'system', expiresAt: p.expiresAt, now }, 'expired');
      return true;
    });
  }

  /** Expires live proposals past their expiry whose delayed job was lost; SKIP LOCKED batches, safe with several matchers. */
  async sweep(now = new Date()): Promise<number> {
    return this.closeWhere({ status: In([...LIVE_PROPOSAL_STATUSES]), expiresAt: LessThanOrEqual(now) }, 'expired', 'expired', now);
  }

  /**
   * A lot left the market (withdrawn, expired, sold out) or a demand closed: inside the caller's transaction, its
   * live proposals are declined (`reason` says why) and release their holds. Waits for row locks, so a party
   * accepting at the same moment either confirms first or finds the proposal declined.
   */
  async closeFor(manager: EntityManager, where: { listingId: string } | { demandId: string }, reason: string, now = new Date()): Promise<number> {
    const found = await manager.getRepository(Proposal).find({ where: { ...where, status: In([...LIVE_PROPOSAL_STATUSES]) }, order: { id: 'ASC' }, lock: { mode: 'pessimistic_write' } });
    for (const p of found) await this.holds.close(manager, p, 'declined', { actor: 'system', expiresAt: p.expiresAt, now }, reason);
    return found.length;
  }

  /** After commit: a delayed job per proposal expires it at `expiresAt` (the sweeper catches a lost one). */
  async scheduleExpiry(proposals: Proposal[]): Promise<void> {
    if (proposals.length === 0) return;
    try {
      const jobs = proposals.map((p) => ({ name: 'expire', data: { proposalId: p.id }, opts: { jobId: `expire-proposal-${p.id}`, delay: Math.max(0, p.expiresAt.getTime() - Date.now()) } }));
      await withTimeout(this.queue.addBulk(jobs), 2000, 'Redis did not answer within 2 s');
    } catch (error) {
      this.logger.warn(`could not schedule the expiry of ${proposals.length} proposals (the sweeper will catch them): ${(error as Error).message}`);
    }
  }

  private closeWhere(where: Record<string, unknown>, to: 'declined' | 'expired', reason: string, now = new Date()): Promise<number> {
    return drainLockedBatches(
      this.dataSource,
      BATCH,
      (manager, size) => manager.getRepository(Proposal).find({ where, order: { id: 'ASC' }, take: size, lock: { mode: 'pessimistic_write', onLocked: 'skip_locked' } }),
      async (manager, p) => {
        await this.holds.close(manager, p, to, { actor: 'system', expiresAt: p.expiresAt, now }, reason);
      },
    );
  }

  private async find(manager: EntityManager, principal: Principal, id: string, lock: boolean): Promise<Proposal> {
    const p = await manager.getRepository(Proposal).findOne({
      where: { id: uuidOrNone(id), [principal.kind === 'seller' ? 'sellerOrganizationId' : 'buyerOrganizationId']: principal.organizationId },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (!p) throw DomainError.notFound('proposal', id);
    return p;
  }

  private async assertDemandLive(manager: EntityManager, p: Proposal): Promise<void> {
    const [row] = (await manager.query(`SELECT status FROM demands WHERE id = $1`, [p.demandId])) as { status: string }[];
    if (row.status !== 'open' && row.status !== 'partially_filled') {
      throw new DomainError('conflict', 'proposal.demand_closed', `the demand is ${row.status}; this proposal will be withdrawn`, [{ field: 'demandId', message: `demand is ${row.status}` }]);
    }
  }
}

function side(principal: Principal): 'seller_organization_id' | 'buyer_organization_id' {
  return principal.kind === 'seller' ? 'seller_organization_id' : 'buyer_organization_id';
}
