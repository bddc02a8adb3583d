import type { DataSource } from 'typeorm';
import { MATCHER_EVENT_TYPES } from '@chanxiao/proposals';
import { waitFor } from './wait';

/** How many outbox events the matcher reacts to it has not processed yet (relayed, consumed, recorded). */
export async function matcherBacklog(db: DataSource): Promise<number> {
  const [{ n }] = await db.query(
    `SELECT count(*)::int AS n FROM outbox_events o WHERE o.type = ANY($1) AND NOT EXISTS (SELECT 1 FROM processed_events p WHERE p.consumer = 'matcher' AND p.event_id = o.id)`,
    [MATCHER_EVENT_TYPES],
  );
  return n;
}

/**
 * Waits until the matcher has processed every event in the outbox it reacts to, so a test can assert on what
 * matching did, and on what it did not do.
 */
export function matcherSettled(db: DataSource, ms = 20_000): Promise<void> {
  return waitFor('the matcher to process every outbox event', async () => (await matcherBacklog(db)) === 0, ms);
}

/** A lot's quantities, and whether they add up. */
export async function lotStock(db: DataSource, id: string) {
  const [row] = await db.query(
    `SELECT status, available_grams::int AS available, reserved_grams::int AS reserved, sold_grams::int AS sold, total_grams::int AS total FROM listings WHERE id = $1`,
    [id],
  );
  return row as { status: string; available: number; reserved: number; sold: number; total: number };
}

/**
 * The invariants matching must never break, over the whole database: every lot's reserved stock is what its live
 * proposals hold plus what its pending orders reserve; every demand's held grams are what its live proposals hold;
 * at most one live proposal per pair. Returns the rows that break them (empty when all hold).
 */
export async function holdViolations(db: DataSource): Promise<unknown[]> {
  return db.query(`
    WITH held AS (
      SELECT listing_id, sum(quantity_grams) AS g FROM proposals WHERE status IN ('proposed', 'accepted_by_buyer', 'accepted_by_seller') GROUP BY listing_id
    ), ordered AS (
      SELECT ol.listing_id, sum(ol.quantity_grams) AS g FROM order_lines ol JOIN orders o ON o.id = ol.order_id WHERE o.status = 'pending_payment' GROUP BY ol.listing_id
    )
    SELECT 'lot' AS kind, l.id, l.reserved_grams AS actual, coalesce(h.g, 0) + coalesce(o.g, 0) AS expected
      FROM listings l LEFT JOIN held h ON h.listing_id = l.id LEFT JOIN ordered o ON o.listing_id = l.id
     WHERE l.reserved_grams <> coalesce(h.g, 0) + coalesce(o.g, 0)
    UNION ALL
    SELECT 'demand', d.id, d.held_grams, coalesce(sum(p.quantity_grams), 0)
      FROM demands d LEFT JOIN proposals p ON p.demand_id = d.id AND p.status IN ('proposed', 'accepted_by_buyer', 'accepted_by_seller')
     GROUP BY d.id HAVING d.held_grams <> coalesce(sum(p.quantity_grams), 0)
    UNION ALL
    SELECT 'pair', min(p.id::text)::uuid, count(*), 1 FROM proposals p WHERE p.status IN ('proposed', 'accepted_by_buyer', 'accepted_by_seller')
     GROUP BY p.demand_id, p.listing_id HAVING count(*) > 1`);
}
