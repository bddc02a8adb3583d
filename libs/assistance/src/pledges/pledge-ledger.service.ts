import { Injectable } from '@nestjs/common';
import type { RelayedEvent } from '@chanxiao/core';
import type { EntityManager } from 'typeorm';
import { countedOf, PLEDGE_EVENT_TYPES } from './pledge-progress.util';

interface OrderEventPayload {
  status: string;
  buyerOrganizationId: string;
  lines?: { listingId: string; grams: number; amountFen: number }[];
}

/**
 * The pledge ledger: what a 消费扶贫 purchaser's orders count toward its pledge, from the order events
 * (`order.paid`, `order.partly_cancelled`, `order.cancelled`; refunds happen only through those two).
 *
 * Each event's payload carries the order's status and lines as they were after the change, so the entry stores
 * that **balance** (poverty-county fen, of which supervised, grams) and its signed change from the previous event
 * of the same order *by outbox id*. Events may be processed out of order (several workers, retries): the
 * changes of an order are recomputed from the balances, in event order, whenever one arrives, under a lock per
 * order. So the changes always sum to the last balance, each event counts once (primary key (order, event)),
 * and the month of a change is the month of the event that made it.
 */
@Injectable()
export class PledgeLedgerService {
  async apply(manager: EntityManager, event: RelayedEvent): Promise<boolean> {
    if (!PLEDGE_EVENT_TYPES.includes(event.type)) return false;
    const payload = event.payload as unknown as OrderEventPayload;
    const lines = payload.lines ?? [];
    if (!lines.length) return false;
    const [buyer] = (await manager.query(`SELECT buyer_type FROM organizations WHERE id = $1`, [payload.buyerOrganizationId])) as { buyer_type: string | null }[];
    if (buyer?.buyer_type !== 'consumption_assistance') return false;
    // A lot's county flags are copied when it is created and never change, so reading them now is reading them then.
    const lots = (await manager.query(`SELECT id, is_poverty_county, is_supervised_county FROM listings WHERE id = ANY($1::uuid[])`, [lines.map((l) => l.listingId)])) as {
      id: string; is_poverty_county: boolean; is_supervised_county: boolean;
    }[];
    const flags = new Map(lots.map((l) => [l.id, l]));
    const counted = lines.map((l) => ({ ...l, isPovertyCounty: !!flags.get(l.listingId)?.is_poverty_county, isSupervisedCounty: !!flags.get(l.listingId)?.is_supervised_county }));
    // An order with no poverty-county line never counts, in any status.
    if (!counted.some((l) => l.isPovertyCounty)) return false;
    const balance = countedOf(payload.status, counted);
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('pledge-order:' || $1))`, [event.aggregateId]);
    await manager.query(
      `INSERT INTO pledge_entries (order_id, event_id, organization_id, event_type, occurred_at, amount_fen, supervised_fen, grams, balance_fen, balance_supervised_fen, balance_grams)
       VALUES ($1, $2, $3, $4, $5, 0, 0, 0, $6, $7, $8) ON CONFLICT DO NOTHING`,
      [event.aggregateId, event.id, payload.buyerOrganizationId, event.type, event.createdAt, balance.fen, balance.supervisedFen, balance.grams],
    );
    await manager.query(
      `UPDATE pledge_entries e
          SET amount_fen = d.amount_fen, supervised_fen = d.supervised_fen, grams = d.grams
         FROM (SELECT event_id,
                      balance_fen - lag(balance_fen, 1, 0::bigint) OVER w AS amount_fen,
                      balance_supervised_fen - lag(balance_supervised_fen, 1, 0::bigint) OVER w AS supervised_fen,
                      balance_grams - lag(balance_grams, 1, 0::bigint) OVER w AS grams
                 FROM pledge_entries WHERE order_id = $1 WINDOW w AS (ORDER BY event_id)) d
        WHERE e.order_id = $1 AND e.event_id = d.event_id
          AND (e.amount_fen, e.supervised_fen, e.grams) IS DISTINCT FROM (d.amount_fen, d.supervised_fen, d.grams)`,
      [event.aggregateId],
    );
    return true;
  }
}
