import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, OneToMany, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Organization } from '@chanxiao/identity/organization.entity';
import { Listing } from '@chanxiao/listings/listing.entity';
import type { OrderStatus, PaymentMethod } from './order.state-machine';

/** Money and grams in bigint columns: far below 2^53, so plain numbers in code. */
const integer = { from: (v: string | null) => (v === null ? null : Number(v)), to: (v: number) => v };

/** One checkout: the buyer's lines from any number of sellers, split into one order per seller. */
@Entity({ name: 'order_groups' })
@Index('order_groups_buyer_idx', ['buyerOrganizationId', 'createdAt'])
export class OrderGroup {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'buyer_organization_id', type: 'uuid' })
  buyerOrganizationId: string;

  @ManyToOne(() => Organization)
  @JoinColumn({ name: 'buyer_organization_id', foreignKeyConstraintName: 'order_groups_buyer_organization_id_fkey' })
  buyer?: Organization;

  @Column({ name: 'idempotency_key', type: 'text' })
  idempotencyKey: string;

  @Column({ name: 'payment_method', type: 'text' })
  paymentMethod: PaymentMethod;

  @Column({ name: 'total_fen', type: 'bigint', transformer: integer })
  totalFen: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @OneToMany(() => Order, (order) => order.group)
  orders?: Order[];
}

/** A binding purchase from one seller (SPEC §5 order lifecycle). */
@Entity({ name: 'orders' })
@Check('orders_status_check', `"status" IN ('pending_payment', 'paid', 'shipped', 'delivered', 'completed', 'cancelled')`)
@Check('orders_payment_method_check', `"payment_method" IN ('bank_transfer', 'stripe')`)
@Check('orders_total_check', '"total_fen" > 0')
@Index('orders_buyer_created_idx', ['buyerOrganizationId', 'createdAt', 'id'])
@Index('orders_seller_created_idx', ['sellerOrganizationId', 'createdAt', 'id'])
@Index('orders_group_idx', ['orderGroupId'])
@Index('orders_number_key', ['number'], { unique: true })
@Index('orders_pending_pay_by_idx', ['payBy'], { where: `"status" = 'pending_payment'` })
@Index('orders_delivered_at_idx', ['deliveredAt'], { where: `"status" = 'delivered'` })
// Agency figures (migration 1764300000000): sold orders by payment time, maintained by the migration.
@Index('orders_sold_paid_at_idx', { synchronize: false })
export class Order {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /**
   * What people read aloud and write on a bank slip: `CX` + creation date in Beijing time + a sequence number of at
   * least 6 digits (`CX20261204000123`), from `chanxiao_order_number()` in the inserting statement (migration 1764900000000).
   */
  @Column({ type: 'text' })
  number: string;

  @Column({ name: 'order_group_id', type: 'uuid' })
  orderGroupId: string;

  @ManyToOne(() => OrderGroup, (group) => group.orders)
  @JoinColumn({ name: 'order_group_id', foreignKeyConstraintName: 'orders_order_group_id_fkey' })
  group?: OrderGroup;

  @Column({ name: 'buyer_organization_id', type: 'uuid' })
  buyerOrganizationId: string;

  @ManyToOne(() => Organization)
  @JoinColumn({ name: 'buyer_organization_id', foreignKeyConstraintName: 'orders_buyer_organization_id_fkey' })
  buyer?: Organization;

  @Column({ name: 'seller_organization_id', type: 'uuid' })
  sellerOrganizationId: string;

  @ManyToOne(() => Organization)
  @JoinColumn({ name: 'seller_organization_id', foreignKeyConstraintName: 'orders_seller_organization_id_fkey' })
  seller?: Organization;

  @Column({ type: 'text' })
  status: OrderStatus;

  @Column({ name: 'payment_method', type: 'text' })
  paymentMethod: PaymentMethod;

  @Column({ name: 'total_fen', type: 'bigint', transformer: integer })
  totalFen: number;

  /** Unpaid past this instant, the order cancels itself and its stock returns. */
  @Column({ name: 'pay_by', type: 'timestamptz' })
  payBy: Date;

  @Column({ name: 'paid_at', type: 'timestamptz', nullable: true })
  paidAt: Date | null;

  @Column({ name: 'shipped_at', type: 'timestamptz', nullable: true })
  shippedAt: Date | null;

  @Column({ type: 'text', nullable: true })
  carrier: string | null;

  @Column({ name: 'tracking_no', type: 'text', nullable: true })
  trackingNo: string | null;

  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt: Date | null;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt: Date | null;

  @Column({ name: 'cancelled_at', type: 'timestamptz', nullable: true })
  cancelledAt: Date | null;

  /** `buyer`, `unpaid` (the deadline passed). */
  @Column({ name: 'cancel_reason', type: 'text', nullable: true })
  cancelReason: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @OneToMany(() => OrderLine, (line) => line.order)
  lines?: OrderLine[];
}

/** A line of an order: a quantity of one lot at the price snapshotted when it was reserved. */
@Entity({ name: 'order_lines' })
@Check('order_lines_quantity_check', '"quantity_grams" > 0')
@Check('order_lines_amount_check', '"amount_fen" >= 0')
@Index('order_lines_listing_idx', ['listingId'])
export class OrderLine {
  @PrimaryColumn({ name: 'order_id', type: 'uuid' })
  orderId: string;

  @PrimaryColumn({ name: 'line_no', type: 'smallint' })
  lineNo: number;

  @ManyToOne(() => Order, (order) => order.lines, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'order_id', foreignKeyConstraintName: 'order_lines_order_id_fkey' })
  order?: Order;

  @Column({ name: 'listing_id', type: 'uuid' })
  listingId: string;

  @ManyToOne(() => Listing)
  @JoinColumn({ name: 'listing_id', foreignKeyConstraintName: 'order_lines_listing_id_fkey' })
  listing?: Listing;

  @Column({ type: 'text' })
  title: string;

  @Column({ name: 'category_code', type: 'text' })
  categoryCode: string;

  @Column({ name: 'quantity_grams', type: 'bigint', transformer: integer })
  quantityGrams: number;

  @Column({ name: 'unit_price_fen', type: 'integer' })
  unitPriceFen: number;

  @Column({ name: 'amount_fen', type: 'bigint', transformer: integer })
  amountFen: number;
}

/**
 * An `Idempotency-Key` a buyer used, with the request's hash and the response it got. Written in the same
 * transaction as the order group, so a key exists exactly when its orders do.
 */
@Entity({ name: 'idempotency_keys' })
export class IdempotencyKey {
  @PrimaryColumn({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @PrimaryColumn({ type: 'text' })
  key: string;

  @Column({ name: 'request_hash', type: 'text' })
  requestHash: string;

  @Column({ name: 'status_code', type: 'smallint', nullable: true })
  statusCode: number | null;

  @Column({ type: 'jsonb', nullable: true })
  response: unknown;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
