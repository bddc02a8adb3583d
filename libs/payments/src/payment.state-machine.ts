import { StateMachine } from '@chanxiao/core';

/**
 * A PaymentIntent as we track it. Stripe's `requires_payment_method | requires_confirmation | requires_action`
 * are all `requires_payment` here; `failed` is a failed attempt (Stripe goes back to `requires_payment_method`
 * and the buyer may try again until the orders' deadline).
 */
export type PaymentStatus = 'requires_payment' | 'processing' | 'succeeded' | 'failed' | 'canceled';

/**
 * Webhooks arrive late, twice and out of order, so the webhook handler asks {@link StateMachine.check} and
 * ignores (records, without effect) an event whose transition is not allowed: `payment_failed` after `succeeded`
 * changes nothing, `succeeded` after `payment_failed` pays the orders.
 */
export const paymentStateMachine = new StateMachine<PaymentStatus, void>({
  name: 'payment',
  transitions: {
    requires_payment: ['processing', 'succeeded', 'failed', 'canceled'],
    processing: ['succeeded', 'failed', 'canceled'],
    failed: ['processing', 'succeeded', 'canceled'],
    succeeded: [],
    canceled: [],
  },
});

/**
 * A refund: `unsent` (recorded with the cancellation, Stripe not asked yet or did not answer) → `pending` or
 * straight to `succeeded`/`failed` as Stripe says; a succeeded refund can still fail later (Stripe sends
 * `refund.failed`, e.g. a closed card account).
 */
export type RefundStatus = 'unsent' | 'pending' | 'succeeded' | 'failed' | 'canceled';

export const refundStateMachine = new StateMachine<RefundStatus, void>({
  name: 'refund',
  transitions: {
    unsent: ['pending', 'succeeded', 'failed', 'canceled'],
    pending: ['succeeded', 'failed', 'canceled'],
    succeeded: ['failed'],
    failed: [],
    canceled: [],
  },
});

/** A seller payout: `held` from payment until the order completes, then `sent` (one transfer) or `void` (cancelled). */
export type PayoutStatus = 'held' | 'sent' | 'void';

export const payoutStateMachine = new StateMachine<PayoutStatus, void>({
  name: 'payout',
  transitions: {
    held: ['sent', 'void'],
    sent: [],
    void: [],
  },
});

/** Our status for a Stripe PaymentIntent status. */
export function paymentStatusOf(stripeStatus: string): PaymentStatus {
  if (stripeStatus === 'succeeded' || stripeStatus === 'processing') return stripeStatus;
  if (stripeStatus === 'canceled') return 'canceled';
  return 'requires_payment';
}
