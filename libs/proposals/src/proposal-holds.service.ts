import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
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
    if (!manager.queryRunner?.isTransactionActive) throw new Error('proposeAll must run inside a transaction: it locks the rows it checks');
    const demandIds = [...new Set(candidates.map((c) => c.demandId))].sort();
    const lotIds = [...new Set(candidates.map((c) => c.listingId))].sort();
    const { demands, lots, taken } = await this.lockAndRead(manager, demandIds, lotIds);
    const expiresAt = new Date(now.getTime() + this.config.PROPOSAL_TTL_HOURS * 3_600_000);
    const created: Proposal[] = [];
    for (const c of candidates) {
      const d = demands.get(c.demandId);
      const l = lots.get(c.listingId);
      if (!d || !l || taken.has(`${c.demandId}/${c.listingId}`)) continue;
      const grams = this.fit(c, d, l);
      if (grams <= 0) continue;
      created.push(Object.assign(new Proposal(), {
        id: randomUUID(), status: 'proposed', demandId: c.demandId, listingId: c.listingId, sellerOrganizationId: l.organizationId, buyerOrganizationId: d.organizationId,
        quantityGrams: grams, unitPriceFen: l.unitPriceFen, score: c.score, source, expiresAt,
        buyerAcceptedAt: null, sellerAcceptedAt: null, orderId: null, closeReason: null, createdAt: now, updatedAt: now, closedAt: null,
      }));
      d.remaining -= grams;
      d.live++;
      l.available -= grams;
      l.reserved += grams;
      l.live++;
      l.heldBy.set(d.organizationId, (l.heldBy.get(d.organizationId) ?? 0) + grams);
      taken.add(`${c.demandId}/${c.listingId}`);
    }
    if (created.length) await this.write(manager, created, lotIds.filter((id) => created.some((p) => p.listingId === id)).length);
    return created;
  }

  /**
   * Writes the holds and the proposals in one statement (one round trip, whatever their number): the demands'
   * `held_grams`, the lots' reservation (ListingStockService's, per lot for the sum of its proposals), the
   * proposal rows and their `proposal.created` events. The rows are locked and were checked, so every lot must be
   * reserved; if one is not, the statement raises and the caller's transaction writes nothing.
   */
  private async write(manager: EntityManager, created: Proposal[], lotCount: number): Promise<void> {
    const rows = created.map((p) => ({
      id: p.id, demand_id: p.demandId, listing_id: p.listingId, seller: p.sellerOrganizationId, buyer: p.buyerOrganizationId,
      grams: p.quantityGrams, price: p.unitPriceFen, score: p.score, source: p.source, expires_at: p.expiresAt.toISOString(), at: p.createdAt.toISOString(),
    }));
    const events = created.map((p) => proposalEvent('proposal.created', p)).map((e) => ({ type: e.type, aggregate_type: e.aggregateType, aggregate_id: e.aggregateId, payload: e.payload }));
    await manager.query(
      `WITH c AS (
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS c(id uuid, demand_id uuid, listing_id uuid, seller uuid, buyer uuid, grams bigint, price integer, score float8, source text, expires_at timestamptz, at timestamptz)
       ), held AS (
         UPDATE demands d SET held_grams = d.held_grams + s.grams, updated_at = now()
           FROM (SELECT demand_id, sum(grams) AS grams FROM c GROUP BY demand_id) s WHERE d.id = s.demand_id
       ), wanted AS (
         SELECT listing_id, sum(grams)::bigint AS grams, min(price) AS unit_price_fen FROM c GROUP BY listing_id ORDER BY listing_id
       ), reserved AS (
         ${this.stock.reservationSql('wanted')}
       ), checked AS (
         SELECT chanxiao_raise_if((SELECT count(*) FROM reserved) <> $3, 'chanxiao.hold_missed') AS ok
       ), p AS (
         INSERT INTO proposals (id, status, demand_id, listing_id, seller_organization_id, buyer_organization_id, quantity_grams, unit_price_fen, score, source, expires_at, created_at, updated_at)
         SELECT id, 'proposed', demand_id, listing_id, seller, buyer, grams, price, score, source, expires_at, at, at FROM c WHERE (SELECT ok FROM checked)
       ), e AS (
         ${this.outbox.insertSql('$2')}
       )
       SELECT (SELECT ok FROM checked) AS ok`,
      [JSON.stringify(rows), JSON.stringify(events), lotCount],
    );
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

  /**
   * Locks the demands, then the lots (each in id order), then reads their state and the taken pairs — five
   * statements sent as one simple-protocol query, so one round trip. Under READ COMMITTED each statement takes its
   * own snapshot, so the reads after the locks see everything committed before the locks were granted (a single
   * `SELECT … FOR UPDATE` would not: its subqueries would still see the snapshot from before it waited).
   */
  private async lockAndRead(manager: EntityManager, demandIds: string[], lotIds: string[]): Promise<{ demands: Map<string, DemandState>; lots: Map<string, LotState>; taken: Set<string> }> {
    const list = (ids: string[]) => ids.map((id) => `'${uuidLiteral(id)}'::uuid`).join(', ');
    const [, , demandRows, lotRows, takenRows] = await simpleQuery(manager, `
      SELECT 1 FROM demands WHERE id IN (${list(demandIds)}) ORDER BY id FOR UPDATE;
      SELECT 1 FROM listings WHERE id IN (${list(lotIds)}) ORDER BY id FOR UPDATE;
      SELECT d.id, d.organization_id, d.status, d.quantity_grams - d.filled_grams - d.held_grams AS remaining, d.max_unit_price_fen,
             (SELECT count(*) FROM proposals p WHERE p.demand_id = d.id AND p.status IN ${LIVE}) AS live
        FROM demands d WHERE d.id IN (${list(demandIds)});
      SELECT l.id, l.organization_id, l.status, l.available_grams, l.reserved_grams, l.min_order_grams, l.unit_price_fen,
             (SELECT count(*) FROM proposals p WHERE p.listing_id = l.id AND p.status IN ${LIVE}) AS live,
             (SELECT coalesce(jsonb_object_agg(h.buyer, h.grams), '{}') FROM (
                SELECT p.buyer_organization_id AS buyer, sum(p.quantity_grams) AS grams FROM proposals p
                 WHERE p.listing_id = l.id AND p.status IN ${LIVE} GROUP BY p.buyer_organization_id) h) AS held_by
        FROM listings l WHERE l.id IN (${list(lotIds)});
      SELECT demand_id, listing_id FROM proposals
       WHERE demand_id IN (${list(demandIds)}) AND listing_id IN (${list(lotIds)})
         AND (status IN ${LIVE} OR status = 'expired' OR (status = 'declined' AND close_reason IN ('buyer', 'seller')));`);
    const demands = new Map(demandRows.map((r) => [String(r.id), {
      organizationId: String(r.organization_id), status: String(r.status), remaining: Number(r.remaining), maxUnitPriceFen: Number(r.max_unit_price_fen), live: Number(r.live),
    }]));
    const lots = new Map(lotRows.map((r) => [String(r.id), {
      organizationId: String(r.organization_id), status: String(r.status), available: Number(r.available_grams), reserved: Number(r.reserved_grams),
      minOrder: Number(r.min_order_grams), unitPriceFen: Number(r.unit_price_fen), live: Number(r.live),
      heldBy: new Map(Object.entries(r.held_by as Record<string, number>).map(([k, v]) => [k, Number(v)])),
    }]));
    // Not to propose: a pair with a live proposal, or one a side declined or let expire (proposing the same thing
    // again would only repeat the question every PROPOSAL_TTL_HOURS).
    const taken = new Set(takenRows.map((r) => `${r.demand_id}/${r.listing_id}`));
    return { demands, lots, taken };
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A UUID checked to be one, so it can be written into SQL text. */
function uuidLiteral(id: string): string {
  if (!UUID.test(id)) throw new Error(`not a uuid: ${id}`);
  return id;
}

/**
 * Runs several `;`-separated statements (no parameters) in one round trip on the transaction's connection and
 * returns each statement's rows.
 */
async function simpleQuery(manager: EntityManager, sql: string): Promise<Record<string, unknown>[][]> {
  const client = (manager.queryRunner as unknown as { databaseConnection: { query(sql: string): Promise<{ rows: Record<string, unknown>[] } | { rows: Record<string, unknown>[] }[]> } }).databaseConnection;
  const results = await client.query(sql);
  return (Array.isArray(results) ? results : [results]).map((r) => r.rows);
}
