import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Category } from '@chanxiao/categories/category.entity';
import { Organization } from '@chanxiao/identity/organization.entity';
import { Region } from '@chanxiao/regions/region.entity';
import type { ListingStatus } from './listing.state-machine';

/** bigint columns hold grams; every value stays far below 2^53, so they map to plain numbers. */
const grams = { from: (v: string | null) => (v === null ? null : Number(v)), to: (v: number) => v };

/**
 * A lot of one produce offered by a cooperative. Quantities are integer grams and always satisfy
 * `available + reserved + sold = total`, each ≥ 0: a CHECK constraint enforces it, so no request, race or
 * crash can oversell. Grams taken off the market (withdrawal, expiry) leave `total` and are counted in `delisted`.
 */
@Entity({ name: 'listings' })
@Check('listings_quantities_check', '"available_grams" >= 0 AND "reserved_grams" >= 0 AND "sold_grams" >= 0 AND "delisted_grams" >= 0 AND "available_grams" + "reserved_grams" + "sold_grams" = "total_grams"')
@Check('listings_status_check', `"status" IN ('draft', 'active', 'sold_out', 'withdrawn', 'expired')`)
@Check('listings_price_check', '"unit_price_fen" > 0')
@Check('listings_min_order_check', '"min_order_grams" > 0')
@Index('listings_organization_created_idx', ['organizationId', 'createdAt', 'id'])
@Index('listings_active_best_before_idx', ['bestBefore'], { where: `"status" = 'active'` })
// Buyer search (migration 1764057600000, see search/search-sql.ts): partial indexes over active lots, one per sort
// order, with and without a category. TypeORM cannot express index expressions, so those it leaves alone.
@Index('listings_search_urgency_idx', { synchronize: false })
@Index('listings_search_category_urgency_idx', { synchronize: false })
@Index('listings_search_group_urgency_idx', { synchronize: false })
@Index('listings_search_price_idx', ['unitPriceFen', 'id'], { where: `"status" = 'active'` })
@Index('listings_search_category_price_idx', ['categoryCode', 'unitPriceFen', 'id'], { where: `"status" = 'active'` })
@Index('listings_search_group_price_idx', { synchronize: false })
@Index('listings_search_vector_idx', { synchronize: false }) // GIN (migration 1764800000000)
@Index('listings_search_newest_idx', ['publishedAt', 'id'], { where: `"status" = 'active'` })
@Index('listings_search_region_idx', ['regionCode'], { where: `"status" = 'active'` })
@Index('listings_search_distance_idx', { synchronize: false })
// Agency reporting (migration 1764300000000): lots by publication time, for "listed in a period".
@Index('listings_published_at_idx', { synchronize: false })
export class Listing {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @ManyToOne(() => Organization)
  @JoinColumn({ name: 'organization_id', foreignKeyConstraintName: 'listings_organization_id_fkey' })
  organization?: Organization;

  @Column({ type: 'text' })
  status: ListingStatus;

  @Column({ name: 'category_code', type: 'text' })
  categoryCode: string;

  @ManyToOne(() => Category)
  @JoinColumn({ name: 'category_code', foreignKeyConstraintName: 'listings_category_code_fkey' })
  category?: Category;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text', nullable: true })
  variety: string | null;

  @Column({ type: 'text', nullable: true })
  grade: string | null;

  @Column({ name: 'total_grams', type: 'bigint', transformer: grams })
  totalGrams: number;

  @Column({ name: 'available_grams', type: 'bigint', transformer: grams })
  availableGrams: number;

  @Column({ name: 'reserved_grams', type: 'bigint', transformer: grams, default: 0 })
  reservedGrams: number;

  @Column({ name: 'sold_grams', type: 'bigint', transformer: grams, default: 0 })
  soldGrams: number;

  @Column({ name: 'delisted_grams', type: 'bigint', transformer: grams, default: 0 })
  delistedGrams: number;

  @Column({ name: 'min_order_grams', type: 'bigint', transformer: grams })
  minOrderGrams: number;

  /** Price per kg in fen; orders snapshot it, so a change never touches existing orders. */
  @Column({ name: 'unit_price_fen', type: 'integer' })
  unitPriceFen: number;

  @Column({ name: 'harvested_on', type: 'date' })
  harvestedOn: string;

  @Column({ name: 'best_before', type: 'date' })
  bestBefore: string;

  @Column({ name: 'cold_chain', type: 'boolean' })
  coldChain: boolean;

  /** 滞销: the cooperative cannot sell it through its usual channels. */
  @Column({ type: 'boolean' })
  stalled: boolean;

  /** 扶贫产品 certificate number; a lot with one is `certified`. */
  @Column({ name: 'certificate_no', type: 'text', nullable: true })
  certificateNo: string | null;

  @Column({ name: 'region_code', type: 'char', length: 6 })
  regionCode: string;

  @ManyToOne(() => Region)
  @JoinColumn({ name: 'region_code', foreignKeyConstraintName: 'listings_region_code_fkey' })
  region?: Region;

  // Copied from the region when the lot is created (regions change only by migration) so search can filter
  // and rank on them without a join.
  @Column({ name: 'is_poverty_county', type: 'boolean' })
  isPovertyCounty: boolean;

  @Column({ name: 'is_supervised_county', type: 'boolean' })
  isSupervisedCounty: boolean;

  /** The county's centroid (WGS-84 degrees), copied from the region like the flags: search measures distance from it. */
  @Column({ type: 'double precision' })
  lat: number;

  @Column({ type: 'double precision' })
  lon: number;

  /**
   * Keyword search (buyer `q`): the title's, variety's, category's and county's words, cut by jieba and written
   * with every change of those fields (see search/keywords.ts). Not read into entities (`select: false`).
   */
  @Column({ name: 'search_vector', type: 'tsvector', select: false, default: () => "''" })
  searchVector: string;

  // Millisecond precision, so a JS Date round-trips exactly through a keyset cursor.
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt: Date | null;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt: Date | null;
}
