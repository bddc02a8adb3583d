import { addDays, chinaDate, daysBetween, isIsoDate } from '@chanxiao/core';

/**
 * Reporting periods are China calendar dates (Asia/Shanghai): `from` and `to` inclusive, YYYY-MM-DD. In SQL a
 * period is the half-open instant range [from 00:00 +08:00, to+1 00:00 +08:00). Pure: no Nest, no TypeORM.
 */
export interface Period {
  from: string;
  to: string;
}

export const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** The period's bounds as instants: `[start, end)` in China time. */
export function periodInstants(period: Period): { start: Date; end: Date } {
  return { start: new Date(`${period.from}T00:00:00+08:00`), end: new Date(`${addDays(period.to, 1)}T00:00:00+08:00`) };
}

/** Days in the period, both ends counted. */
export function periodDays(period: Period): number {
  return daysBetween(period.from, period.to) + 1;
}

/** The period of the same length that ends the day before `period` starts. */
export function previousPeriod(period: Period): Period {
  const days = periodDays(period);
  return { from: addDays(period.from, -days), to: addDays(period.from, -1) };
}

/** The calendar month `YYYY-MM` as a period. */
export function monthPeriod(month: string): Period {
  const match = MONTH.exec(month);
  if (!match) throw new Error(`not a month: ${month}`);
  const [year, mon] = [Number(match[1]), Number(match[2])];
  const last = new Date(Date.UTC(year, mon, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` };
}

/** The month before the one `at` falls in, in China time: what the job on the 1st reports. */
export function previousMonth(at: Date = new Date()): string {
  const today = chinaDate(at);
  return addDays(`${today.slice(0, 7)}-01`, -1).slice(0, 7);
}

/** `count` months ending with `last` (YYYY-MM), oldest first. */
export function monthsEndingWith(last: string, count: number): string[] {
  const months: string[] = [];
  let month = last;
  for (let i = 0; i < count; i++) {
    months.unshift(month);
    month = addDays(`${month}-01`, -1).slice(0, 7);
  }
  return months;
}

/** Problems with a `from`/`to` pair as given (both optional), or the resolved period: default the last 30 days. */
export function resolvePeriod(from: string | undefined, to: string | undefined, today = chinaDate()): { period?: Period; problems: { field: string; message: string }[] } {
  const problems: { field: string; message: string }[] = [];
  if (from !== undefined && !isIsoDate(from)) problems.push({ field: 'from', message: 'must be a date YYYY-MM-DD' });
  if (to !== undefined && !isIsoDate(to)) problems.push({ field: 'to', message: 'must be a date YYYY-MM-DD' });
  if (problems.length) return { problems };
  const end = to ?? today;
  const start = from ?? addDays(end, -29);
  if (start > end) return { problems: [{ field: 'from', message: `must not be after to (${end})` }] };
  if (daysBetween(start, end) > 366 * 3) return { problems: [{ field: 'from', message: 'the period may span at most three years' }] };
  return { period: { from: start, to: end }, problems };
}
