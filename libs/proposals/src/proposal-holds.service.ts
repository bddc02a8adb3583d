import { Injectable } from '@nestjs/common';
import { AppConfig, OutboxService } from '@chanxiao/core';
import { ListingStockService } from '@chanxiao/listings/listing-stock.service';
import type { EntityManager } from 'typeorm';
import { Proposal, type ProposalSource } from './proposal.entity';
import { proposalStateMachine, type ProposalStatus, type ProposalTransitionContext } from './proposal.state-machine';
import { proposalEvent } from './proposal.view';

/** A pair the matcher wants to propose: at most `grams` of the lot for the demand, with its score per kg. */
export interface ProposalCandidate {
  demandId: string;
  listingId: string;
  grams: number;
  score: number;
}

interface DemandState {
  organizationId: string;
  status: string;
  remaining: number;
  maxUnitPriceFen: number;
  live: number;
}

interface LotState {
  organizationId: string;
  status: string;
  available: number;
  reserved: number;
  minOrder: number;
  unitPriceFen: number;
  live: number;
  /** Grams held by live proposals, per buyer organisation. */
  heldBy: Map<string, number>;
}

const LIVE = `('proposed', 'accepted_by_buyer', 'accepted_by_seller')`;

/**
 * Creates proposals with their holds, and releases holds when proposals close. The rules that keep holds safe
 * live here and nowhere else:
 *
 * - **Lock order** everywhere: proposals, then demands, then lots, each set in id order. Creating takes the
 *   demands and then the lots; closing takes the proposal, its demand, its lot. So no two matchers (or a matcher
 *   and a buyer accepting) can deadlock, and every check below reads rows nobody else can change until commit.
 * - A hold is two conditional UPDATEs: the lot's `available → reserved` (the very reservation orders use, so
 *   holds and orders together never exceed the stock) and the demand's `held_grams` (CHECK `filled + held ≤ quantity`).
 * - Limits: MATCH_MAX_PROPOSALS_PER_DEMAND and MATCH_MAX_PROPOSALS_PER_LOT live proposals, and no buyer
 *   organisation holds more than MATCH_MAX_BUYER_SHARE_PERCENT of a lot's unsold stock (or one minimum order,
 *   if that is more). One live proposal per pair (a unique index backs this), and never again a pair one side declined or let expire.
 */
@Injectable()
export class ProposalHoldsService {
  constructor(
    private readonly stock: ListingStockService,
    private readonly outbox: OutboxService,
    private readonly config: AppConfig,
  ) {}

  /**
   * Proposes as many `candidates` as still fit, in the given order (best first), inside the caller's transaction.
   * Each candidate gets the most that fits: its grams, the demand's remaining, the lot's available, the buyer's
   * share. Candidates that no longer fit are skipped, not errors: the world moved since the matcher looked.
   */
  async proposeAll(manager: EntityManager, candidates: ProposalCandidate[], source: ProposalSource, now = new Date()): Promise<Proposal[]> {
    if (candidates.length === 0) return [];
    const demandIds = [...new Set(candidates.map((c) => c.demandId))].sort();
    const lotIds = [...new Set(candidates.map((c) => c.listingId))].sort();
    await manager.query(`SELECT id FROM demands WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, [demandIds]);
    await manager.query(`SELECT id FROM listings WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, [lotIds]);
    // Read after the locks: under READ COMMITTED each statement sees everything committed before it started.
    const demands = await this.demandStates(manager, demandIds);
    const lots = await this.lotStates(manager, lotIds);
    const taken = await this.takenPairs(manager, demandIds, lotIds);
    const created: Proposal[] = [];
    const expiresAt = new Date(now.getTime() + this.config.PROPOSAL_TTL_HOURS * 3_600_000);
    for (const c of candidates) {
      const d = demands.get(c.demandId);
      const l = lots.get(c.listingId);
      if (!d || !l || taken.has(`${c.demandId}/${c.listingId}`)) continue;
      const grams = this.fit(c, d, l);
      if (grams <= 0) continue;
      await manager.query(`UPDATE demands SET held_grams = held_grams + $2, updated_at = now() WHERE id = $1`, [c.demandId, grams]);
      await this.stock.reserve(manager, [{ listingId: c.listingId, grams, field: 'proposal', unitPriceFen: l.unitPriceFen }]);
      const proposal = await manager.getRepository(Proposal).save(
        manager.getRepository(Proposal).create({
          status: 'proposed', demandId: c.demandId, listingId: c.listingId, sellerOrganizationId: l.organizationId, buyerOrganizationId: d.organizationId,
          quantityGrams: grams, unitPriceFen: l.unitPriceFen, score: c.score, source, expiresAt,
          buyerAcceptedAt: null, sellerAcceptedAt: null, orderId: null, closeReason: null, closedAt: null,
        }),
      );
      d.remaining -= grams;
      d.live++;
      l.available -= grams;
      l.reserved += grams;
      l.live++;
      l.heldBy.set(d.organizationId, (l.heldBy.get(d.organizationId) ?? 0) + grams);
      taken.add(`${c.demandId}/${c.listingId}`);
      created.push(proposal);
    }
    await this.outbox.writeMany(manager, created.map((p) => proposalEvent('proposal.created', p)));
    return created;
  }

  /**
   * Closes a live proposal the caller has locked (`declined` or `expired`), releasing its hold on the lot and the
   * demand exactly once: the row lock serialises a decline, the expiry job and the sweeper, and whoever comes second
   * finds the proposal closed and the state machine refuses.
   */
  async close(manager: EntityManager, proposal: Proposal, to: Extract<ProposalStatus, 'declined' | 'expired'>, context: ProposalTransitionContext, reason: string): Promise<Proposal> {
    proposalStateMachine.assert(proposal.status, to, context);
    const [, released] = (await manager.query(`UPDATE demands SET held_grams = held_grams - $2, updated_at = now() WHERE id = $1 AND held_grams >= $2`, [proposal.demandId, proposal.quantityGrams])) as [unknown, number];
    if (released !== 1) throw new Error(`proposal ${proposal.id}: its demand does not hold ${proposal.quantityGrams} g`);
    await this.stock.release(manager, proposal.listingId, proposal.quantityGrams);
    proposal.status = to;
    proposal.closedAt = context.now;
    proposal.closeReason = reason;
    await manager.getRepository(Proposal).save(proposal);
    await this.outbox.write(manager, proposalEvent(`proposal.${to}`, proposal));
    return proposal;
  }

  /** The grams a candidate can still get, or 0. */
  private fit(c: ProposalCandidate, d: DemandState, l: LotState): number {
    if (d.status !== 'open' && d.status !== 'partially_filled') return 0;
    if (l.status !== 'active' || l.unitPriceFen > d.maxUnitPriceFen || l.organizationId === d.organizationId) return 0;
    if (d.live >= this.config.MATCH_MAX_PROPOSALS_PER_DEMAND || l.live >= this.config.MATCH_MAX_PROPOSALS_PER_LOT) return 0;
    const share = Math.max(Math.floor(((l.available + l.reserved) * this.config.MATCH_MAX_BUYER_SHARE_PERCENT) / 100), l.minOrder);
    const grams = Math.min(c.grams, d.remaining, l.available, share - (l.heldBy.get(d.organizationId) ?? 0));
    // Below the lot's minimum order only when it takes everything left.
    return grams > 0 && (grams >= l.minOrder || grams === l.available) ? grams : 0;
  }

  private async demandStates(manager: EntityManager, ids: string[]): Promise<Map<string, DemandState>> {
    const rows: Record<string, unknown>[] = await manager.query(
      `SELECT d.id, d.organization_id, d.status, d.quantity_grams - d.filled_grams - d.held_grams AS remaining, d.max_unit_price_fen,
              (SELECT count(*) FROM proposals p WHERE p.demand_id = d.id AND p.status IN ${LIVE}) AS live
         FROM demands d WHERE d.id = ANY($1::uuid[])`,
      [ids],
    );
    return new Map(rows.map((r) => [String(r.id), {
      organizationId: String(r.organization_id), status: String(r.status), remaining: Number(r.remaining), maxUnitPriceFen: Number(r.max_unit_price_fen), live: Number(r.live),
    }]));
  }

  private async lotStates(manager: EntityManager, ids: string[]): Promise<Map<string, LotState>> {
    const rows: Record<string, unknown>[] = await manager.query(
      `SELECT l.id, l.organization_id, l.status, l.available_grams, l.reserved_grams, l.min_order_grams, l.unit_price_fen,
              (SELECT count(*) FROM proposals p WHERE p.listing_id = l.id AND p.status IN ${LIVE}) AS live,
              (SELECT coalesce(jsonb_object_agg(h.buyer, h.grams), '{}') FROM (
                 SELECT p.buyer_organization_id AS buyer, sum(p.quantity_grams) AS grams FROM proposals p
                  WHERE p.listing_id = l.id AND p.status IN ${LIVE} GROUP BY p.buyer_organization_id) h) AS held_by
         FROM listings l WHERE l.id = ANY($1::uuid[])`,
      [ids],
    );
    return new Map(rows.map((r) => [String(r.id), {
      organizationId: String(r.organization_id), status: String(r.status), available: Number(r.available_grams), reserved: Number(r.reserved_grams),
      minOrder: Number(r.min_order_grams), unitPriceFen: Number(r.unit_price_fen), live: Number(r.live),
      heldBy: new Map(Object.entries(r.held_by as Record<string, number>).map(([k, v]) => [k, Number(v)])),
    }]));
  }

  /**
   * Pairs not to propose: one with a live proposal, or one that a side declined or let expire (proposing the
   * same thing again would only repeat the question every PROPOSAL_TTL_HOURS).
   */
  private async takenPairs(manager: EntityManager, demandIds: string[], lotIds: string[]): Promise<Set<string>> {
    const rows: { demand_id: string; listing_id: string }[] = await manager.query(
      `SELECT demand_id, listing_id FROM proposals
        WHERE demand_id = ANY($1::uuid[]) AND listing_id = ANY($2::uuid[])
          AND (status IN ${LIVE} OR status = 'expired' OR (status = 'declined' AND close_reason IN ('buyer', 'seller')))`,
      [demandIds, lotIds],
    );
    return new Set(rows.map((r) => `${r.demand_id}/${r.listing_id}`));
  }
}
