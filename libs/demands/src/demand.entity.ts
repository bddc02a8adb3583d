import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Category } from '@chanxiao/categories/category.entity';
import { Organization } from '@chanxiao/identity/organization.entity';
import { Region } from '@chanxiao/regions/region.entity';
import type { DemandStatus } from './demand.state-machine';

/** bigint columns hold grams; every value stays far below 2^53, so they map to plain numbers. */
const grams = { from: (v: string | null) => (v === null ? null : Number(v)), to: (v: number) => v };

/**
 * A buyer's purchase request: so many grams of a category (a leaf, or a top-level group meaning any of its
 * leaves) at no more than a price per kg, delivered to a region by a date. `filled_grams` only grows, through
 * conditional UPDATEs, and a CHECK constraint keeps it within `0 … quantity_grams`, so no race can over-fill.
 */
@Entity({ name: 'demands' })
@Check('demands_status_check', `"status" IN ('open', 'partially_filled', 'filled', 'cancelled', 'expired')`)
@Check('demands_quantity_check', '"quantity_grams" > 0')
@Check('demands_filled_check', '"filled_grams" >= 0 AND "held_grams" >= 0 AND "filled_grams" + "held_grams" <= "quantity_grams"')
@Check('demands_price_check', '"max_unit_price_fen" > 0')
@Index('demands_organization_created_idx', ['organizationId', 'createdAt', 'id'])
@Index('demands_live_category_deliver_by_idx', ['categoryCode', 'deliverBy'], { where: `"status" IN ('open', 'partially_filled')` })
@Index('demands_live_deliver_by_idx', ['deliverBy'], { where: `"status" IN ('open', 'partially_filled')` })
export class Demand {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** The buying organisation. */
  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @ManyToOne(() => Organization)
  @JoinColumn({ name: 'organization_id', foreignKeyConstraintName: 'demands_organization_id_fkey' })
  organization?: Organization;

  @Column({ type: 'text' })
  status: DemandStatus;

  @Column({ name: 'category_code', type: 'text' })
  categoryCode: string;

  @ManyToOne(() => Category)
  @JoinColumn({ name: 'category_code', foreignKeyConstraintName: 'demands_category_code_fkey' })
  category?: Category;

  @Column({ name: 'quantity_grams', type: 'bigint', transformer: grams })
  quantityGrams: number;

  @Column({ name: 'filled_grams', type: 'bigint', transformer: grams, default: 0 })
  filledGrams: number;

  /** Grams that open proposals hold for this demand: not filled yet, but not to be proposed again. */
  @Column({ name: 'held_grams', type: 'bigint', transformer: grams, default: 0 })
  heldGrams: number;

  /** The most the buyer pays, in fen per kg. */
  @Column({ name: 'max_unit_price_fen', type: 'integer' })
  maxUnitPriceFen: number;

  /** Where the produce goes: a province, city or county. */
  @Column({ name: 'destination_region_code', type: 'char', length: 6 })
  destinationRegionCode: string;

  @ManyToOne(() => Region)
  @JoinColumn({ name: 'destination_region_code', foreignKeyConstraintName: 'demands_destination_region_code_fkey' })
  destinationRegion?: Region;

  /** The last China calendar day on which delivery is still useful; the demand expires the day after. */
  @Column({ name: 'deliver_by', type: 'date' })
  deliverBy: string;

  /** The buyer can receive cold-chain lots. */
  @Column({ name: 'cold_chain_capable', type: 'boolean' })
  coldChainCapable: boolean;

  /** 消费扶贫: rank lots from poverty counties first. */
  @Column({ name: 'prefer_poverty', type: 'boolean' })
  preferPoverty: boolean;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  // Millisecond precision, so a JS Date round-trips exactly through a keyset cursor.
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt: Date | null;
}
