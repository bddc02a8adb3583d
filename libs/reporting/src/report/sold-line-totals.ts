import type { SoldLine } from './report-tables';

/** A row of `SQL.soldBreakdown`: `g` 3 by county, 5 by category, 6 by buyer type, 7 the total. */
export interface SoldBreakdownRow {
  g: 3 | 5 | 6 | 7;
  county: string | null;
  category: string | null;
  buyer_type: string | null;
  grams: number;
  fen: number;
  orders: number;
  buyers: number;
  poverty_fen: number;
  lines: number;
}

interface Totals {
  grams: number;
  fen: number;
  povertyFen: number;
  lines: number;
  orders: number;
  lastOrder: string | null;
  buyers: Set<string>;
}

/** Where `SQL.soldLines` puts what the totals need (its first 14 columns are the report's, `LINE_COLUMNS`). */
export const SOLD_LINE = { order: 1, county: 4, category: 6, buyerType: 10, grams: 11, fen: 13, buyer: 14, povertyCounty: 15 } as const;

/**
 * The sold figures of `SQL.soldBreakdown` (by county, category, buyer type and in total), summed from the
 * sold lines while they stream to the report, so PostgreSQL scans the month's lines once. Exact: integer
 * sums, and distinct orders counted on the order's first line of a key (the lines come ordered by order, so
 * an order's lines are consecutive), distinct buyers by set.
 */
export class SoldLineTotals {
  private readonly total = totals();
  private readonly byCounty = new Map<string, Totals>();
  private readonly byCategory = new Map<string, Totals>();
  private readonly byBuyerType = new Map<string | null, Totals>();

  /** Adds one line, read before its codes are replaced by names. */
  add(line: SoldLine): void {
    const order = line[SOLD_LINE.order]!;
    const buyer = line[SOLD_LINE.buyer]!;
    const grams = Number(line[SOLD_LINE.grams]);
    const fen = Number(line[SOLD_LINE.fen]);
    const povertyFen = line[SOLD_LINE.povertyCounty] === 't' ? fen : 0;
    addTo(this.total, order, buyer, grams, fen, povertyFen);
    addTo(entry(this.byCounty, line[SOLD_LINE.county]!), order, buyer, grams, fen, povertyFen);
    addTo(entry(this.byCategory, line[SOLD_LINE.category]!), order, buyer, grams, fen, povertyFen);
    addTo(entry(this.byBuyerType, line[SOLD_LINE.buyerType]), order, buyer, grams, fen, povertyFen);
  }

  rows(): SoldBreakdownRow[] {
    const row = (g: SoldBreakdownRow['g'], key: Partial<Pick<SoldBreakdownRow, 'county' | 'category' | 'buyer_type'>>, t: Totals): SoldBreakdownRow => ({
      g, county: null, category: null, buyer_type: null, ...key,
      grams: t.grams, fen: t.fen, orders: t.orders, buyers: t.buyers.size, poverty_fen: t.povertyFen, lines: t.lines,
    });
    return [
      row(7, {}, this.total),
      ...[...this.byCounty].map(([county, t]) => row(3, { county }, t)),
      ...[...this.byCategory].map(([category, t]) => row(5, { category }, t)),
      ...[...this.byBuyerType].map(([buyerType, t]) => row(6, { buyer_type: buyerType }, t)),
    ];
  }
}

function totals(): Totals {
  return { grams: 0, fen: 0, povertyFen: 0, lines: 0, orders: 0, lastOrder: null, buyers: new Set() };
}

function entry<K>(map: Map<K, Totals>, key: K): Totals {
  let t = map.get(key);
  if (!t) map.set(key, (t = totals()));
  return t;
}

function addTo(t: Totals, order: string, buyer: string, grams: number, fen: number, povertyFen: number): void {
  t.grams += grams;
  t.fen += fen;
  t.povertyFen += povertyFen;
  t.lines++;
  // An order has one buyer: counting both on the order's first line of the key is enough.
  if (t.lastOrder !== order) {
    t.lastOrder = order;
    t.orders++;
    t.buyers.add(buyer);
  }
}
