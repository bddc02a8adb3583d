import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Organization } from '@chanxiao/identity/organization.entity';
import { Listing } from '@chanxiao/listings/listing.entity';
import { Order, OrderGroup } from '@chanxiao/orders';
import type { PaymentStatus, PayoutStatus, RefundStatus } from './payment.state-machine';

/** Money in bigint columns: far below 2^53, so plain numbers in code. */
const fen = { from: (v: string | null) => (v === null ? null : Number(v)), to: (v: number | null) => v };

/**
 * A Stripe PaymentIntent for one order group (all its sellers' orders, one charge). A group has a new attempt
 * only when the previous intent was cancelled at Stripe; `id` is Stripe's `pi_…`.
 */
@Entity({ name: 'payment_intents' })
@Index('payment_intents_group_attempt_key', ['orderGroupId', 'attempt'], { unique: true })
@Check('payment_intents_status_check', `"status" IN ('requires_payment', 'processing', 'succeeded', 'failed', 'canceled')`)
@Check('payment_intents_amounts_check', `"amount_fen" > 0 AND "amount_received_fen" BETWEEN 0 AND "amount_fen" AND "amount_refunded_fen" BETWEEN 0 AND "amount_received_fen"`)
export class PaymentIntentRecord {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ name: 'order_group_id', type: 'uuid' })
  orderGroupId: string;

  @ManyToOne(() => OrderGroup)
  @JoinColumn({ name: 'order_group_id', foreignKeyConstraintName: 'payment_intents_order_group_id_fkey' })
  group?: OrderGroup;

  @Column({ type: 'smallint' })
  attempt: number;

  @Column({ type: 'text' })
  status: PaymentStatus;

  @Column({ type: 'text' })
  currency: string;

  @Column({ name: 'amount_fen', type: 'bigint', transformer: fen })
  amountFen: number;

  @Column({ name: 'amount_received_fen', type: 'bigint', transformer: fen, default: 0 })
  amountReceivedFen: number;

  /** Sum of the refunds not failed; never above what was received (CHECK). */
  @Column({ name: 'amount_refunded_fen', type: 'bigint', transformer: fen, default: 0 })
  amountRefundedFen: number;

  /** What the buyer's browser or app needs to confirm the payment with Stripe.js or a mobile SDK. */
  @Column({ name: 'client_secret', type: 'text' })
  clientSecret: string;

  /** The charge that paid it (`ch_…`): payouts are transfers funded from it. */
  @Column({ name: 'latest_charge', type: 'text', nullable: true })
  latestCharge: string | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** A Stripe webhook event already handled: its id is the key, so a replay has no second effect. */
@Entity({ name: 'stripe_events' })
export class StripeEventRecord {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ type: 'text' })
  type: string;

  @Column({ name: 'object_id', type: 'text', nullable: true })
  objectId: string | null;

  @Column({ name: 'stripe_created_at', type: 'timestamptz' })
  stripeCreatedAt: Date;

  /** What the event did: `applied`, or `ignored: <why>`. */
  @Column({ type: 'text' })
  outcome: string;

  @CreateDateColumn({ name: 'received_at', type: 'timestamptz' })
  receivedAt: Date;
}

export type RefundReason = 'cancelled_lines' | 'cancelled_order' | 'paid_after_cancellation';

/**
 * Money paid back on a PaymentIntent for (part of) one order. Recorded in the transaction that cancels, before
 * Stripe is asked (`unsent`), and sent with the idempotency key `refund-<id>`, so it is never lost or doubled.
 */
@Entity({ name: 'refunds' })
@Check('refunds_amount_check', '"amount_fen" > 0')
@Check('refunds_reason_check', `"reason" IN ('cancelled_lines', 'cancelled_order', 'paid_after_cancellation')`)
@Check('refunds_status_check', `"status" IN ('unsent', 'pending', 'succeeded', 'failed', 'canceled')`)
@Index('refunds_order_idx', ['orderId'])
@Index('refunds_payment_intent_idx', ['paymentIntentId'])
@Index('refunds_unsent_idx', ['createdAt'], { where: `"status" = 'unsent'` })
@Index('refunds_stripe_refund_id_key', ['stripeRefundId'], { unique: true })
export class Refund {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'payment_intent_id', type: 'text' })
  paymentIntentId: string;

  @ManyToOne(() => PaymentIntentRecord)
  @JoinColumn({ name: 'payment_intent_id', foreignKeyConstraintName: 'refunds_payment_intent_id_fkey' })
  paymentIntent?: PaymentIntentRecord;

  @Column({ name: 'order_id', type: 'uuid' })
  orderId: string;

  @ManyToOne(() => Order)
  @JoinColumn({ name: 'order_id', foreignKeyConstraintName: 'refunds_order_id_fkey' })
  order?: Order;

  @Column({ name: 'amount_fen', type: 'bigint', transformer: fen })
  amountFen: number;

  @Column({ type: 'text' })
  reason: RefundReason;

  @Column({ type: 'text' })
  status: RefundStatus;

  @Column({ name: 'stripe_refund_id', type: 'text', nullable: true })
  stripeRefundId: string | null;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** What a refund pays back, lot by lot: the grams taken off an order line and their amount. */
@Entity({ name: 'refund_lines' })
@Check('refund_lines_quantity_check', '"quantity_grams" > 0')
@Check('refund_lines_amount_check', '"amount_fen" >= 0')
export class RefundLine {
  @PrimaryColumn({ name: 'refund_id', type: 'uuid' })
  refundId: string;

  @ManyToOne(() => Refund, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'refund_id', foreignKeyConstraintName: 'refund_lines_refund_id_fkey' })
  refund?: Refund;

  @PrimaryColumn({ name: 'listing_id', type: 'uuid' })
  listingId: string;

  @ManyToOne(() => Listing)
  @JoinColumn({ name: 'listing_id', foreignKeyConstraintName: 'refund_lines_listing_id_fkey' })
  listing?: Listing;

  @Column({ type: 'text' })
  title: string;

  @Column({ name: 'quantity_grams', type: 'bigint', transformer: fen })
  quantityGrams: number;

  @Column({ name: 'unit_price_fen', type: 'integer' })
  unitPriceFen: number;

  @Column({ name: 'amount_fen', type: 'bigint', transformer: fen })
  amountFen: number;
}

/** A seller's Stripe Connect (Express) account and what Stripe last said about it. */
@Entity({ name: 'stripe_accounts' })
@Index('stripe_accounts_stripe_account_id_key', ['stripeAccountId'], { unique: true })
export class StripeAccount {
  @PrimaryColumn({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @ManyToOne(() => Organization)
  @JoinColumn({ name: 'organization_id', foreignKeyConstraintName: 'stripe_accounts_organization_id_fkey' })
  organization?: Organization;

  @Column({ name: 'stripe_account_id', type: 'text' })
  stripeAccountId: string;

  @Column({ name: 'details_submitted', type: 'boolean', default: false })
  detailsSubmitted: boolean;

  @Column({ name: 'charges_enabled', type: 'boolean', default: false })
  chargesEnabled: boolean;

  /** Stripe will pay the seller out: payouts are sent only then. */
  @Column({ name: 'payouts_enabled', type: 'boolean', default: false })
  payoutsEnabled: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/**
 * The seller's share of one online-paid order: `held` from payment until the order completes, then `sent` as one
 * Stripe transfer (idempotency key `payout-<orderId>`), or `void` if the order was cancelled. One row per order.
 */
@Entity({ name: 'payouts' })
@Check('payouts_status_check', `"status" IN ('held', 'sent', 'void')`)
@Check('payouts_amount_check', `"amount_fen" IS NULL OR ("amount_fen" >= 0 AND "amount_fen" = "order_total_fen" - "platform_fee_fen")`)
@Index('payouts_held_idx', ['sellerOrganizationId'], { where: `"status" = 'held'` })
@Index('payouts_stripe_transfer_id_key', ['stripeTransferId'], { unique: true })
export class Payout {
  @PrimaryColumn({ name: 'order_id', type: 'uuid' })
  orderId: string;

  @ManyToOne(() => Order)
  @JoinColumn({ name: 'order_id', foreignKeyConstraintName: 'payouts_order_id_fkey' })
  order?: Order;

  @Column({ name: 'seller_organization_id', type: 'uuid' })
  sellerOrganizationId: string;

  @ManyToOne(() => Organization)
  @JoinColumn({ name: 'seller_organization_id', foreignKeyConstraintName: 'payouts_seller_organization_id_fkey' })
  seller?: Organization;

  @Column({ name: 'payment_intent_id', type: 'text' })
  paymentIntentId: string;

  @ManyToOne(() => PaymentIntentRecord)
  @JoinColumn({ name: 'payment_intent_id', foreignKeyConstraintName: 'payouts_payment_intent_id_fkey' })
  paymentIntent?: PaymentIntentRecord;

  @Column({ type: 'text' })
  status: PayoutStatus;

  @Column({ name: 'order_total_fen', type: 'bigint', transformer: fen, nullable: true })
  orderTotalFen: number | null;

  @Column({ name: 'platform_fee_fen', type: 'bigint', transformer: fen, nullable: true })
  platformFeeFen: number | null;

  @Column({ name: 'amount_fen', type: 'bigint', transformer: fen, nullable: true })
  amountFen: number | null;

  @Column({ name: 'stripe_transfer_id', type: 'text', nullable: true })
  stripeTransferId: string | null;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt: Date | null;
}
