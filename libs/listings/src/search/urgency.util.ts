import { addDays, daysBetween } from '@chanxiao/core/time/china-date.util';

/**
 * Buyer-search urgency: how badly a lot needs a buyer now. One formula, in days:
 *
 * ```
 * urgency = 365 − daysLeft + 14·stalled + 7·povertyCounty + 14·supervisedCounty
 * daysLeft = bestBefore − today   (China calendar days; search shows only lots with daysLeft ≥ 0)
 * ```
 *
 * Higher is more urgent. Shelf life left dominates (it spans hundreds of days, the flags at most 35), and each
 * flag counts as that many days less shelf life: a stalled (滞销) lot ranks as if it had two weeks less left, a
 * lot from one of the 832 poverty counties one week less, and one from the 52 supervised (挂牌督战) counties,
 * which are all poverty counties, three weeks less in all. 365 only sets the scale: a lot with a year left and no
 * flag scores 0; longer-lived lots (grain, tea) go below 0. It is never clamped, because a clamp would break what
 * makes the formula cheap:
 *
 * because days count linearly, `urgency = 365 + today − effectiveBestBefore`, where the *effective best-before*
 * (`bestBefore` moved earlier by the flag days) does not depend on the date. Ordering by urgency is ordering by the
 * effective best-before, the same on every day: a partial index on it (`listings_search_urgency_idx`) serves the
 * sort and the keyset cursor, and a cursor stays valid across midnight. SQL computes the same thing in
 * `search-sql.ts`; the e2e test checks that the API's `urgency` equals {@link urgency}.
 */
export const URGENCY_WEIGHTS = {
  /** The scale: a lot this many days from its best-before, with no flag, scores 0. */
  horizonDays: 365,
  stalledDays: 14,
  povertyCountyDays: 7,
  supervisedCountyDays: 14,
} as const;

/** What urgency is computed from. */
export interface UrgencyFacts {
  /** YYYY-MM-DD, China calendar. */
  bestBefore: string;
  stalled: boolean;
  isPovertyCounty: boolean;
  isSupervisedCounty: boolean;
}

/** The days a lot's flags are worth (0–35). */
export function urgencyBoostDays(lot: Omit<UrgencyFacts, 'bestBefore'>): number {
  return (lot.stalled ? URGENCY_WEIGHTS.stalledDays : 0)
    + (lot.isPovertyCounty ? URGENCY_WEIGHTS.povertyCountyDays : 0)
    + (lot.isSupervisedCounty ? URGENCY_WEIGHTS.supervisedCountyDays : 0);
}

/** The best-before date moved earlier by the flag days: ascending effective best-before is descending urgency. */
export function effectiveBestBefore(lot: UrgencyFacts): string {
  return addDays(lot.bestBefore, -urgencyBoostDays(lot));
}

/** The lot's urgency on `today` (YYYY-MM-DD, China calendar); an integer, higher is more urgent. */
export function urgency(lot: UrgencyFacts, today: string): number {
  return URGENCY_WEIGHTS.horizonDays - daysBetween(today, lot.bestBefore) + urgencyBoostDays(lot);
}
