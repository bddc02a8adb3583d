/** Every BullMQ queue, by name; job payloads are typed next to their processors. */
export enum QueueName {
  /** Periodic lot maintenance (expiry) and large spreadsheet imports. */
  Listings = 'listings',
  /** Periodic demand maintenance (expiry past deliverBy). */
  Demands = 'demands',
  /** Unpaid-order cancellation (delayed per order, plus a sweeper) and automatic completion. */
  Orders = 'orders',
  /** Proposal expiry (delayed per proposal, plus a sweeper) and the periodic global re-optimisation. */
  Proposals = 'proposals',
  /** Monthly reports: every province's report for the month before, generated on the 1st. */
  Reports = 'reports',
  /** Domain events relayed from the outbox (job name = event type, job id = `outbox-<id>`). */
  Events = 'events',
  /** Seller payouts for completed orders and refunds to resend to Stripe (a repeatable job). */
  Payments = 'payments',
  /** 消费扶贫: the order events that move pledges and courier subsidies (routed by the relay), and the pool deadline sweep. */
  Assistance = 'assistance',
}
