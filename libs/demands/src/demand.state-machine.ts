import { StateMachine } from '@chanxiao/core';
import { gramsToKg } from '@chanxiao/listings/quantity.util';

export type DemandStatus = 'open' | 'partially_filled' | 'filled' | 'cancelled' | 'expired';

export const DEMAND_STATUSES: readonly DemandStatus[] = ['open', 'partially_filled', 'filled', 'cancelled', 'expired'];

/** The states in which a demand still wants produce: the matcher proposes lots for these, expiry closes them. */
export const LIVE_DEMAND_STATUSES: readonly DemandStatus[] = ['open', 'partially_filled'];

/** What the guards look at. */
export interface DemandTransitionContext {
  quantityGrams: number;
  /** Grams filled after the change being checked. */
  filledGrams: number;
  deliverBy: string;
  /** Today's calendar date (Asia/Shanghai), YYYY-MM-DD. */
  today: string;
}

/**
 * The demand lifecycle (SPEC §5): `open → partially_filled → filled`, `open|partially_filled → cancelled | expired`.
 * A single fill that covers the whole quantity goes `open → filled` directly, so the matcher sees one event for
 * it rather than a partial fill that never existed.
 */
export const demandStateMachine = new StateMachine<DemandStatus, DemandTransitionContext>({
  name: 'demand',
  transitions: {
    open: ['partially_filled', 'filled', 'cancelled', 'expired'],
    partially_filled: ['filled', 'cancelled', 'expired'],
    filled: [],
    cancelled: [],
    expired: [],
  },
  guards: {
    'open->partially_filled': (c) =>
      c.filledGrams <= 0
        ? 'nothing has been filled yet'
        : c.filledGrams >= c.quantityGrams
          ? 'the whole quantity is filled; it goes to filled'
          : null,
    '*->filled': (c) => (c.filledGrams < c.quantityGrams ? `${gramsToKg(c.quantityGrams - c.filledGrams)} kg are still to be filled` : null),
    '*->expired': (c) => (c.deliverBy >= c.today ? `deliver-by ${c.deliverBy} has not passed (today is ${c.today})` : null),
  },
});
