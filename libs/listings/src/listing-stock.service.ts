import { Injectable } from '@nestjs/common';
import { DomainError } from '@chanxiao/core';
import type { EntityManager } from 'typeorm';
import { Listing } from './listing.entity';
import { ListingsService } from './listings.service';
import { gramsToKg } from './quantity.util';

/** One line to reserve: grams of a lot. */
export interface StockRequest {
  listingId: string;
  grams: number;
  /** Where the request came from, for error messages: `lines[2]`. */
  field: string;
  /** Reserve only at this price: the caller priced its order from an earlier read of the lot. */
  unitPriceFen?: number;
}

/** What a reservation saw of the lot at the instant it reserved (the price to snapshot, the seller). */
export interface Reserved {
  listingId: string;
  grams: number;
  organizationId: string;
  unitPriceFen: number;
  title: string;
  categoryCode: string;
}

const RESERVE = `
  UPDATE listings
     SET available_grams = available_grams - $2, reserved_grams = reserved_grams + $2, updated_at = now()
   WHERE id = $1 AND status = 'active' AND available_grams >= $2
     AND (min_order_grams <= $2 OR available_grams = $2)
     AND ($3::int IS NULL OR unit_price_fen = $3)
  RETURNING id, organization_id, unit_price_fen, title, category_code`;

/**
 * Moves stock between a lot's `available`, `reserved` and `sold` for orders and holds. Each move is one
 * conditional UPDATE: it either applies whole or matches no row, so concurrent buyers can never oversell
 * (and the CHECK constraint is a second line of defence that never has to fire). Callers pass the
 * transaction, and lock lots in id order ({@link reserve} sorts) so two multi-lot orders cannot deadlock.
 */
@Injectable()
export class ListingStockService {
  constructor(private readonly listings: ListingsService) {}

  /**
   * Reserves every request or throws, naming the first line that could not be reserved (409 for stock or
   * status, 400 below the minimum order). The caller's transaction rolls back the others.
   */
  async reserve(manager: EntityManager, requests: StockRequest[]): Promise<Reserved[]> {
    const reserved: Reserved[] = [];
    for (const request of [...requests].sort((a, b) => (a.listingId < b.listingId ? -1 : 1))) {
      const [row] = await updated<Record<string, string | number>>(manager, RESERVE, [request.listingId, request.grams, request.unitPriceFen ?? null]);
      if (!row) throw await this.whyNot(manager, request);
      reserved.push({
        listingId: String(row.id),
        grams: request.grams,
        organizationId: String(row.organization_id),
        unitPriceFen: Number(row.unit_price_fen),
        title: String(row.title),
        categoryCode: String(row.category_code),
      });
    }
    return reserved;
  }

  /**
   * Gives reserved grams back: to `available` while the lot is active, otherwise off the market (`delisted`),
   * since a withdrawn or expired lot must not sell again.
   */
  async release(manager: EntityManager, listingId: string, grams: number): Promise<void> {
    await this.giveBack(manager, listingId, grams, 'reserved');
  }

  /**
   * Takes back sold grams (a paid order cancelled, wholly or in part, and refunded): to `available` while the lot
   * is active, otherwise off the market (`delisted`), like {@link release}.
   */
  async returnSold(manager: EntityManager, listingId: string, grams: number): Promise<void> {
    await this.giveBack(manager, listingId, grams, 'sold');
  }

  private async giveBack(manager: EntityManager, listingId: string, grams: number, from: 'reserved' | 'sold'): Promise<void> {
    const rows = await updated(
      manager,
      `UPDATE listings
          SET ${from}_grams = ${from}_grams - $2,
              available_grams = available_grams + CASE WHEN status = 'active' THEN $2 ELSE 0 END,
              total_grams = total_grams - CASE WHEN status = 'active' THEN 0 ELSE $2 END,
              delisted_grams = delisted_grams + CASE WHEN status = 'active' THEN 0 ELSE $2 END,
              updated_at = now()
        WHERE id = $1 AND ${from}_grams >= $2
       RETURNING id`,
      [listingId, grams],
    );
    if (rows.length === 0) throw new Error(`cannot give back ${grams} g of listing ${listingId}: not that much ${from}`);
  }

  /** Turns reserved grams into sold ones (payment received); a lot with nothing left becomes sold out. */
  async sell(manager: EntityManager, listingId: string, grams: number): Promise<void> {
    const rows = await updated<{ status: string; available_grams: string; reserved_grams: string }>(
      manager,
      `UPDATE listings SET reserved_grams = reserved_grams - $2, sold_grams = sold_grams + $2, updated_at = now()
        WHERE id = $1 AND reserved_grams >= $2
       RETURNING status, available_grams, reserved_grams`,
      [listingId, grams],
    );
    const [row] = rows;
    if (!row) throw new Error(`cannot sell ${grams} g of listing ${listingId}: not that much reserved`);
    if (row.status === 'active' && Number(row.available_grams) === 0 && Number(row.reserved_grams) === 0) {
      const lot = await manager.getRepository(Listing).findOneByOrFail({ id: listingId });
      await this.listings.transition(manager, lot, 'sold_out');
    }
  }

  /**
   * Checks requests against the lots as they are now, without locking them: what a checkout prices its order
   * from before {@link reserve} takes the locks (with the same prices), so the hot rows are locked briefly.
   */
  async quote(manager: EntityManager, requests: StockRequest[]): Promise<Reserved[]> {
    // Plain SQL: this read is on every checkout's path.
    const rows = (await manager.query(
      `SELECT id, organization_id, status, unit_price_fen, title, category_code, available_grams, min_order_grams FROM listings WHERE id = ANY($1)`,
      [requests.map((r) => r.listingId)],
    )) as Record<string, string | number>[];
    const byId = new Map(rows.map((r) => [String(r.id), Object.assign(new Listing(), {
      id: String(r.id), organizationId: String(r.organization_id), status: r.status as Listing['status'], unitPriceFen: Number(r.unit_price_fen),
      title: String(r.title), categoryCode: String(r.category_code), availableGrams: Number(r.available_grams), minOrderGrams: Number(r.min_order_grams),
    })]));
    return requests.map((request) => {
      const lot = byId.get(request.listingId);
      const problem = problemWith(lot, request);
      if (problem) throw problem;
      return { listingId: lot!.id, grams: request.grams, organizationId: lot!.organizationId, unitPriceFen: lot!.unitPriceFen, title: lot!.title, categoryCode: lot!.categoryCode };
    });
  }

  /**
   * The reservation as a data-modifying CTE body, for a caller that must do its whole write in one statement
   * (a checkout on a hot lot: the row locks are then held only while PostgreSQL runs the statement, never across
   * a round trip to the app). `wanted` names a relation of `(listing_id uuid, grams bigint, unit_price_fen integer)`;
   * `guard` is a boolean SQL condition that must hold for anything to be reserved. Returns the reserved ids.
   * Same conditions as {@link reserve}: all-or-nothing is the caller's, by comparing the count it returns.
   */
  reservationSql(wanted: string, guard = 'true'): string {
    return `UPDATE listings l
               SET available_grams = l.available_grams - w.grams, reserved_grams = l.reserved_grams + w.grams, updated_at = now()
              FROM ${wanted} w
             WHERE (${guard}) AND l.id = w.listing_id AND l.status = 'active' AND l.available_grams >= w.grams
               AND (l.min_order_grams <= w.grams OR l.available_grams = w.grams) AND l.unit_price_fen = w.unit_price_fen
            RETURNING l.id`;
  }

  /** After a failed reservation: the first request that cannot be reserved now, as the error to answer. */
  async explain(manager: EntityManager, requests: StockRequest[]): Promise<DomainError> {
    for (const request of requests) {
      const lot = await manager.getRepository(Listing).findOneBy({ id: request.listingId });
      const problem = problemWith(lot ?? undefined, request);
      if (problem) return problem;
    }
    return new DomainError('conflict', 'order.stock_changed', 'the lots changed while ordering; order again', [{ field: 'lines', message: 'changed while ordering' }]);
  }

  // The UPDATE matched nothing: read the lot to say why (its state may have moved on by now; the message is advice).
  private async whyNot(manager: EntityManager, request: StockRequest): Promise<DomainError> {
    const lot = await manager.getRepository(Listing).findOneBy({ id: request.listingId });
    return problemWith(lot ?? undefined, request) ?? new DomainError('conflict', 'order.stock_changed', `${request.field}: the lot changed while ordering; order again`, [{ field: request.field, message: 'changed while ordering' }]);
  }
}

/** Why `request` cannot be reserved from `lot` as it stands, or null. */
function problemWith(lot: Listing | undefined, request: StockRequest): DomainError | null {
  const at = (message: string) => [{ field: request.field, message }];
  if (!lot || lot.status === 'draft') return new DomainError('conflict', 'order.listing_unavailable', `${request.field}: listing ${request.listingId} is not for sale`, at('is not for sale'));
  if (lot.status !== 'active') return new DomainError('conflict', 'order.listing_unavailable', `${request.field}: listing is ${lot.status}`, at(`listing is ${lot.status}`));
  if (request.unitPriceFen !== undefined && lot.unitPriceFen !== request.unitPriceFen) {
    return new DomainError('conflict', 'order.price_changed', `${request.field}: the price changed to ${lot.unitPriceFen} fen/kg while ordering; check it and order again`, at(`price is now ${lot.unitPriceFen} fen/kg`));
  }
  if (request.grams > lot.availableGrams) {
    return new DomainError('conflict', 'order.insufficient_stock', `${request.field}: only ${gramsToKg(lot.availableGrams)} kg available`, at(`only ${gramsToKg(lot.availableGrams)} kg available`));
  }
  if (request.grams < lot.minOrderGrams && request.grams !== lot.availableGrams) {
    return DomainError.validation('order.below_minimum', at(`must be at least the minimum order of ${gramsToKg(lot.minOrderGrams)} kg (or all ${gramsToKg(lot.availableGrams)} kg left)`));
  }
  return null;
}

/** Runs an UPDATE … RETURNING and gives its rows (TypeORM answers `[rows, rowCount]` for UPDATE). */
async function updated<R>(manager: EntityManager, sql: string, parameters: unknown[]): Promise<R[]> {
  const [rows] = (await manager.query(sql, parameters)) as [R[], number];
  return rows;
}
