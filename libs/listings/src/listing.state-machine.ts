import { StateMachine } from '@chanxiao/core';

export type ListingStatus = 'draft' | 'active' | 'sold_out' | 'withdrawn' | 'expired';

export const LISTING_STATUSES: readonly ListingStatus[] = ['draft', 'active', 'sold_out', 'withdrawn', 'expired'];

/** What the guards look at. */
export interface ListingTransitionContext {
  availableGrams: number;
  reservedGrams: number;
  /** Problems that make the lot unfit to publish (see `publishProblems`); empty when it may go live. */
  publishProblems?: string[];
  /** Today's calendar date (Asia/Shanghai), YYYY-MM-DD. */
  today: string;
  bestBefore: string;
}

/**
 * The lot lifecycle (SPEC §5): `draft → active → sold_out`, `draft|active → withdrawn`, `active → expired`.
 * Withdrawing a lot with reserved stock is allowed: what is available leaves the market at once, what is
 * reserved stays with its holds and unpaid orders, which still complete or release (a release then leaves the
 * market too). So reserved quantity is never stranded or lost.
 */
export const listingStateMachine = new StateMachine<ListingStatus, ListingTransitionContext>({
  name: 'listing',
  transitions: {
    draft: ['active', 'withdrawn'],
    active: ['sold_out', 'withdrawn', 'expired'],
    sold_out: [],
    withdrawn: [],
    expired: [],
  },
  guards: {
    'draft->active': (c) => (c.publishProblems?.length ? c.publishProblems.join('; ') : null),
    'active->sold_out': (c) => (c.availableGrams > 0 || c.reservedGrams > 0 ? 'stock is still available or reserved' : null),
    'active->expired': (c) => (c.bestBefore >= c.today ? `best-before ${c.bestBefore} has not passed` : null),
  },
});
