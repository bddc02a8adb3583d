import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Demand } from '@chanxiao/demands/demand.entity';
import { Organization } from '@chanxiao/identity/organization.entity';
import { Listing } from '@chanxiao/listings/listing.entity';
import { Order } from '@chanxiao/orders/order.entity';
import type { ProposalStatus } from './proposal.state-machine';

const integer = { from: (v: string | null) => (v === null ? null : Number(v)), to: (v: number) => v };
const LIVE = `"status" IN ('proposed', 'accepted_by_buyer', 'accepted_by_seller')`;

/** Where a proposal came from: the per-event matcher or the periodic global re-optimisation. */
export type ProposalSource = 'incremental' | 'optimizer';

/**
 * The matcher's suggestion to fill (part of) a demand from (part of) a lot. While live it HOLDS its grams twice:
 * as `reserved` on the lot (the same conditional UPDATE as an order, so holds and orders never exceed what is
 * available) and as `held` on the demand (so the demand is never promised more than it wants). Confirmation
 * turns the lot's hold into an order's reservation; decline and expiry release both exactly once.
 */
@Entity({ name: 'proposals' })
@Check('proposals_status_check', `"status" IN ('proposed', 'accepted_by_buyer', 'accepted_by_seller', 'confirmed', 'declined', 'expired')`)
@Check('proposals_source_check', `"source" IN ('incremental', 'optimizer')`)
@Check('proposals_quantity_check', '"quantity_grams" > 0')
@Check('proposals_confirmed_order_check', `("status" = 'confirmed') = ("order_id" IS NOT NULL)`)
@Index('proposals_live_pair_idx', ['demandId', 'listingId'], { unique: true, where: LIVE })
@Index('proposals_listing_idx', ['listingId', 'status'])
@Index('proposals_demand_idx', ['demandId', 'status'])
@Index('proposals_seller_created_idx', ['sellerOrganizationId', 'createdAt', 'id'])
@Index('proposals_buyer_created_idx', ['buyerOrganizationId', 'createdAt', 'id'])
@Index('proposals_live_expires_idx', ['expiresAt'], { where: LIVE })
export class Proposal {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  status: ProposalStatus;

  @Column({ name: 'demand_id', type: 'uuid' })
  demandId: string;

  @ManyToOne(() => Demand)
  @JoinColumn({ name: 'demand_id', foreignKeyConstraintName: 'proposals_demand_id_fkey' })
  demand?: Demand;

  @Column({ name: 'listing_id', type: 'uuid' })
  listingId: string;

  @ManyToOne(() => Listing)
  @JoinColumn({ name: 'listing_id', foreignKeyConstraintName: 'proposals_listing_id_fkey' })
  listing?: Listing;

  @Column({ name: 'seller_organization_id', type: 'uuid' })
  sellerOrganizationId: string;

  @ManyToOne(() => Organization)
  @JoinColumn({ name: 'seller_organization_id', foreignKeyConstraintName: 'proposals_seller_organization_id_fkey' })
  sellerOrganization?: Organization;

  @Column({ name: 'buyer_organization_id', type: 'uuid' })
  buyerOrganizationId: string;

  @ManyToOne(() => Organization)
  @JoinColumn({ name: 'buyer_organization_id', foreignKeyConstraintName: 'proposals_buyer_organization_id_fkey' })
  buyerOrganization?: Organization;

  @Column({ name: 'quantity_grams', type: 'bigint', transformer: integer })
  quantityGrams: number;

  /** The lot's price per kg when the proposal was made; the order is placed at this price. */
  @Column({ name: 'unit_price_fen', type: 'integer' })
  unitPriceFen: number;

  /** The match score per kg (docs/matching.md). */
  @Column({ type: 'double precision' })
  score: number;

  @Column({ type: 'text' })
  source: ProposalSource;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'buyer_accepted_at', type: 'timestamptz', nullable: true })
  buyerAcceptedAt: Date | null;

  @Column({ name: 'seller_accepted_at', type: 'timestamptz', nullable: true })
  sellerAcceptedAt: Date | null;

  /** The order a confirmed proposal became. */
  @Column({ name: 'order_id', type: 'uuid', nullable: true })
  orderId: string | null;

  @ManyToOne(() => Order)
  @JoinColumn({ name: 'order_id', foreignKeyConstraintName: 'proposals_order_id_fkey' })
  order?: Order;

  /** Why a declined or expired proposal closed: `buyer`, `seller`, `expired`, `lot_withdrawn`, `demand_cancelled`, … */
  @Column({ name: 'close_reason', type: 'text', nullable: true })
  closeReason: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt: Date | null;
}
