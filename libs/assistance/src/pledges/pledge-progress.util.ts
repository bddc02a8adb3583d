/**
 * Pledge arithmetic, pure (no Nest, no TypeORM). A yearly pledge is expected to be met evenly over the China
 * calendar year: by day d of a year of n days, d/n of it (rounded down to the fen).
 */

/** Which order statuses count as bought (the agency's "sold" definition: paid and not cancelled). */
export const COUNTED_ORDER_STATUSES: readonly string[] = ['paid', 'shipped', 'delivered', 'completed'];

/** The order events that change what counts toward a pledge: paying, and refunds by (partial) cancellation. */
export const PLEDGE_EVENT_TYPES: readonly string[] = ['order.paid', 'order.partly_cancelled', 'order.cancelled'];

export interface CountedLine {
  amountFen: number;
  grams: number;
  isPovertyCounty: boolean;
  isSupervisedCounty: boolean;
}

/** What an order counts toward a pledge in a given status: its lines from poverty counties, if it is bought. */
export function countedOf(status: string, lines: CountedLine[]): { fen: number; supervisedFen: number; grams: number } {
  if (!COUNTED_ORDER_STATUSES.includes(status)) return { fen: 0, supervisedFen: 0, grams: 0 };
  const poverty = lines.filter((l) => l.isPovertyCounty);
  return {
    fen: poverty.reduce((sum, l) => sum + l.amountFen, 0),
    supervisedFen: poverty.filter((l) => l.isSupervisedCounty).reduce((sum, l) => sum + l.amountFen, 0),
    grams: poverty.reduce((sum, l) => sum + l.grams, 0),
  };
}

/** Days in a calendar year. */
export function daysInYear(year: number): number {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 366 : 365;
}

/** The China calendar year's bounds as instants, `[start, end)`. */
export function yearInstants(year: number): { start: Date; end: Date } {
  return { start: new Date(`${year}-01-01T00:00:00+08:00`), end: new Date(`${year + 1}-01-01T00:00:00+08:00`) };
}

/**
 * How much of `amountFen` should be bought by the end of China calendar day `date` (YYYY-MM-DD) of `year`: none
 * before the year, all after it.
 */
export function expectedByDate(amountFen: number, year: number, date: string): number {
  const y = Number(date.slice(0, 4));
  if (y < year) return 0;
  if (y > year) return amountFen;
  const dayOfYear = Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${year}-01-01T00:00:00Z`)) / 86_400_000) + 1;
  return Math.floor((amountFen * dayOfYear) / daysInYear(year));
}

/** A share as a fraction with 4 decimals (0.1234), or null when there is nothing to divide by. */
export function share(part: number, whole: number | null): number | null {
  return whole ? Math.round((part / whole) * 10000) / 10000 : null;
}
