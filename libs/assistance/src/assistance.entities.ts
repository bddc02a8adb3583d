import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Category } from '@chanxiao/categories/category.entity';
import { Demand } from '@chanxiao/demands/demand.entity';
import { Organization } from '@chanxiao/identity/organization.entity';
import { User } from '@chanxiao/identity/user.entity';
import { Order } from '@chanxiao/orders/order.entity';
import { Region } from '@chanxiao/regions/region.entity';

/** bigint columns (fen, grams, outbox ids) stay far below 2^53: plain numbers in code. */
const integer = { from: (v: string | null) => (v === null ? null : Number(v)), to: (v: number | null) => v };

/** A 消费扶贫 purchaser's commitment for one calendar year (China time), in fen. */
@Entity({ name: 'pledges' })
@Check('pledges_amount_check', '"amount_fen" > 0')
@Check('pledges_year_check', '"year" BETWEEN 2000 AND 2100')
@Check('pledges_budget_check', '"procurement_budget_fen" IS NULL OR "procurement_budget_fen" > 0')
@Check('pledges_share_check', '"reserved_share_bps" IS NULL OR "reserved_share_bps" BETWEEN 0 AND 10000')
@Index('pledges_organization_year_key', ['organizationId', 'year'], { unique: true })
export class Pledge {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @ManyToOne(() => Organization)
  @JoinColumn({ name: 'organization_id', foreignKeyConstraintName: 'pledges_organization_id_fkey' })
  organization?: Organization;

  @Column({ type: 'smallint' })
  year: number;

  @Column({ name: 'amount_fen', type: 'bigint', transformer: integer })
  amountFen: number;

  /** The canteen / procurement budget of the year, when the purchaser states it. */
  @Column({ name: 'procurement_budget_fen', type: 'bigint', transformer: integer, nullable: true })
  procurementBudgetFen: number | null;

  /** The share of that budget reserved for poverty-county produce, in basis points (3000 = 30%). */
  @Column({ name: 'reserved_share_bps', type: 'integer', nullable: true })
  reservedShareBps: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/**
 * One order event's effect on what counts toward a purchaser's pledge: the order's poverty-county amount after
 * the event (`balance*`) and the signed change from the order's previous event (`amountFen`, …), keyed by
 * (order, outbox event). The changes of an order always sum to its last balance, whatever order the events
 * were processed in (see PledgeLedgerService).
 */
@Entity({ name: 'pledge_entries' })
@Check('pledge_entries_balance_check', '"balance_fen" >= 0 AND "balance_supervised_fen" BETWEEN 0 AND "balance_fen" AND "balance_grams" >= 0')
@Index('pledge_entries_organization_occurred_idx', ['organizationId', 'occurredAt'])
export class PledgeEntry {
  @PrimaryColumn({ name: 'order_id', type: 'uuid' })
  orderId: string;

  @ManyToOne(() => Order)
  @JoinColumn({ name: 'order_id', foreignKeyConstraintName: 'pledge_entries_order_id_fkey' })
  order?: Order;

  @PrimaryColumn({ name: 'event_id', type: 'bigint', transformer: integer })
  eventId: number;

  /** The purchaser (the order's buyer). */
  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @ManyToOne(() => Organization)
  @JoinColumn({ name: 'organization_id', foreignKeyConstraintName: 'pledge_entries_organization_id_fkey' })
  organization?: Organization;

  @Column({ name: 'event_type', type: 'text' })
  eventType: string;

  /** When the event was written: the month and pledge year it counts in. */
  @Column({ name: 'occurred_at', type: 'timestamptz', precision: 3 })
  occurredAt: Date;

  @Column({ name: 'amount_fen', type: 'bigint', transformer: integer })
  amountFen: number;

  @Column({ name: 'supervised_fen', type: 'bigint', transformer: integer })
  supervisedFen: number;

  @Column({ type: 'bigint', transformer: integer })
  grams: number;

  @Column({ name: 'balance_fen', type: 'bigint', transformer: integer })
  balanceFen: number;

  @Column({ name: 'balance_supervised_fen', type: 'bigint', transformer: integer })
  balanceSupervisedFen: number;

  @Column({ name: 'balance_grams', type: 'bigint', transformer: integer })
  balanceGrams: number;
}

/** An agency's special campaign (专项行动): a period, the regions and categories in scope. */
@Entity({ name: 'campaigns' })
@Check('campaigns_period_check', '"ends_on" >= "starts_on"')
@Check('campaigns_regions_check', 'cardinality("region_codes") > 0')
@Index('campaigns_ends_on_idx', ['endsOn'])
export class Campaign {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  /** The region of the agency that created it: who may see its figures. */
  @Column({ name: 'owner_region_code', type: 'char', length: 6 })
  ownerRegionCode: string;

  @ManyToOne(() => Region)
  @JoinColumn({ name: 'owner_region_code', foreignKeyConstraintName: 'campaigns_owner_region_code_fkey' })
  ownerRegion?: Region;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy: string;

  @ManyToOne(() => User)
  @JoinColumn({ name: 'created_by', foreignKeyConstraintName: 'campaigns_created_by_fkey' })
  creator?: User;

  @Column({ name: 'starts_on', type: 'date' })
  startsOn: string;

  @Column({ name: 'ends_on', type: 'date' })
  endsOn: string;

  /** Regions (any level) whose lots are in scope. */
  @Column({ name: 'region_codes', type: 'text', array: true })
  regionCodes: string[];

  /** Categories (leaves or groups) in scope; empty means every category. */
  @Column({ name: 'category_codes', type: 'text', array: true })
  categoryCodes: string[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}

/** A courier subsidy programme: so much per shipped order, capped per seller and in total. */
@Entity({ name: 'subsidy_programmes' })
@Check('subsidy_programmes_amounts_check', '"per_order_fen" > 0 AND "per_order_fen" <= "per_seller_cap_fen" AND "per_seller_cap_fen" <= "budget_fen"')
@Check('subsidy_programmes_spent_check', '"spent_fen" >= 0 AND "spent_fen" <= "budget_fen"')
@Check('subsidy_programmes_period_check', '"ends_on" >= "starts_on"')
@Check('subsidy_programmes_regions_check', 'cardinality("region_codes") > 0')
export class SubsidyProgramme {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'owner_region_code', type: 'char', length: 6 })
  ownerRegionCode: string;

  @ManyToOne(() => Region)
  @JoinColumn({ name: 'owner_region_code', foreignKeyConstraintName: 'subsidy_programmes_owner_region_code_fkey' })
  ownerRegion?: Region;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy: string;

  @ManyToOne(() => User)
  @JoinColumn({ name: 'created_by', foreignKeyConstraintName: 'subsidy_programmes_created_by_fkey' })
  creator?: User;

  @Column({ name: 'per_order_fen', type: 'integer' })
  perOrderFen: number;

  @Column({ name: 'per_seller_cap_fen', type: 'bigint', transformer: integer })
  perSellerCapFen: number;

  @Column({ name: 'budget_fen', type: 'bigint', transformer: integer })
  budgetFen: number;

  /** Moves only by conditional UPDATEs that keep it ≤ budget (and a CHECK). */
  @Column({ name: 'spent_fen', type: 'bigint', transformer: integer, default: 0 })
  spentFen: number;

  /** Sellers registered in these regions (any level) are eligible. */
  @Column({ name: 'region_codes', type: 'text', array: true })
  regionCodes: string[];

  @Column({ name: 'starts_on', type: 'date' })
  startsOn: string;

  @Column({ name: 'ends_on', type: 'date' })
  endsOn: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}

/** A seller's spend under one programme, with the cap copied from it so a CHECK can hold the line. */
@Entity({ name: 'subsidy_seller_totals' })
@Check('subsidy_seller_totals_spent_check', '"spent_fen" >= 0 AND "spent_fen" <= "cap_fen"')
export class SubsidySellerTotal {
  @PrimaryColumn({ name: 'programme_id', type: 'uuid' })
  programmeId: string;

  @ManyToOne(() => SubsidyProgramme)
  @JoinColumn({ name: 'programme_id', foreignKeyConstraintName: 'subsidy_seller_totals_programme_id_fkey' })
  programme?: SubsidyProgramme;

  @PrimaryColumn({ name: 'seller_organization_id', type: 'uuid' })
  sellerOrganizationId: string;

  @ManyToOne(() => Organization)
  @JoinColumn({ name: 'seller_organization_id', foreignKeyConstraintName: 'subsidy_seller_totals_seller_organization_id_fkey' })
  seller?: Organization;

  @Column({ name: 'spent_fen', type: 'bigint', transformer: integer })
  spentFen: number;

  @Column({ name: 'cap_fen', type: 'bigint', transformer: integer })
  capFen: number;
}

export type SubsidyEntryKind = 'earned' | 'reversed';

/** One subsidy movement: an order earned it when shipped (once per programme), or gave it back. */
@Entity({ name: 'subsidy_entries' })
@Check('subsidy_entries_kind_check', `("kind" = 'earned' AND "amount_fen" > 0) OR ("kind" = 'reversed' AND "amount_fen" < 0)`)
@Index('subsidy_entries_programme_order_kind_key', ['programmeId', 'orderId', 'kind'], { unique: true })
@Index('subsidy_entries_seller_created_idx', ['sellerOrganizationId', 'createdAt', 'id'])
@Index('subsidy_entries_order_idx', ['orderId'])
export class SubsidyEntry {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'programme_id', type: 'uuid' })
  programmeId: string;

  @ManyToOne(() => SubsidyProgramme)
  @JoinColumn({ name: 'programme_id', foreignKeyConstraintName: 'subsidy_entries_programme_id_fkey' })
  programme?: SubsidyProgramme;

  @Column({ name: 'order_id', type: 'uuid' })
  orderId: string;

  @ManyToOne(() => Order)
  @JoinColumn({ name: 'order_id', foreignKeyConstraintName: 'subsidy_entries_order_id_fkey' })
  order?: Order;

  @Column({ name: 'seller_organization_id', type: 'uuid' })
  sellerOrganizationId: string;

  @ManyToOne(() => Organization)
  @JoinColumn({ name: 'seller_organization_id', foreignKeyConstraintName: 'subsidy_entries_seller_organization_id_fkey' })
  seller?: Organization;

  @Column({ type: 'text' })
  kind: SubsidyEntryKind;

  @Column({ name: 'amount_fen', type: 'bigint', transformer: integer })
  amountFen: number;

  /** The outbox event that caused it. */
  @Column({ name: 'event_id', type: 'bigint', transformer: integer })
  eventId: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}

export type PoolStatus = 'open' | 'filled' | 'failed';

/** Pooled demand (拼单): buyers add quantities until a truckload, then it is matched as one demand. */
@Entity({ name: 'demand_pools' })
@Check('demand_pools_status_check', `"status" IN ('open', 'filled', 'failed')`)
@Check('demand_pools_price_check', '"max_unit_price_fen" > 0')
@Check('demand_pools_grams_check', '"target_grams" > 0 AND "joined_grams" BETWEEN 0 AND "target_grams"')
@Index('demand_pools_demand_key', ['demandId'], { unique: true })
@Index('demand_pools_open_join_by_idx', ['joinBy'], { where: `"status" = 'open'` })
@Index('demand_pools_open_category_idx', ['categoryCode', 'destinationRegionCode'], { where: `"status" = 'open'` })
export class DemandPool {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** The buyer who opened it; the pool's demand is posted in its name and it answers the proposals. */
  @Column({ name: 'organizer_organization_id', type: 'uuid' })
  organizerOrganizationId: string;

  @ManyToOne(() => Organization)
  @JoinColumn({ name: 'organizer_organization_id', foreignKeyConstraintName: 'demand_pools_organizer_organization_id_fkey' })
  organizer?: Organization;

  @Column({ type: 'text' })
  status: PoolStatus;

  @Column({ name: 'category_code', type: 'text' })
  categoryCode: string;

  @ManyToOne(() => Category)
  @JoinColumn({ name: 'category_code', foreignKeyConstraintName: 'demand_pools_category_code_fkey' })
  category?: Category;

  @Column({ name: 'destination_region_code', type: 'char', length: 6 })
  destinationRegionCode: string;

  @ManyToOne(() => Region)
  @JoinColumn({ name: 'destination_region_code', foreignKeyConstraintName: 'demand_pools_destination_region_code_fkey' })
  destinationRegion?: Region;

  @Column({ name: 'max_unit_price_fen', type: 'integer' })
  maxUnitPriceFen: number;

  @Column({ name: 'deliver_by', type: 'date' })
  deliverBy: string;

  /** The pool fails if it is not full by then. */
  @Column({ name: 'join_by', type: 'timestamptz' })
  joinBy: Date;

  @Column({ name: 'cold_chain_capable', type: 'boolean' })
  coldChainCapable: boolean;

  @Column({ name: 'prefer_poverty', type: 'boolean' })
  preferPoverty: boolean;

  @Column({ name: 'target_grams', type: 'bigint', transformer: integer })
  targetGrams: number;

  @Column({ name: 'joined_grams', type: 'bigint', transformer: integer, default: 0 })
  joinedGrams: number;

  /** The demand a full pool became. */
  @Column({ name: 'demand_id', type: 'uuid', nullable: true })
  demandId: string | null;

  @ManyToOne(() => Demand)
  @JoinColumn({ name: 'demand_id', foreignKeyConstraintName: 'demand_pools_demand_id_fkey' })
  demand?: Demand;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt: Date | null;
}

export type PoolMemberStatus = 'joined' | 'released';

/** One buyer's share of a pool; `allocated` grows as the pool's proposals are confirmed into its orders. */
@Entity({ name: 'demand_pool_members' })
@Check('demand_pool_members_status_check', `"status" IN ('joined', 'released')`)
@Check('demand_pool_members_grams_check', '"quantity_grams" > 0 AND "allocated_grams" BETWEEN 0 AND "quantity_grams"')
@Index('demand_pool_members_organization_idx', ['organizationId', 'joinedAt'])
export class DemandPoolMember {
  @PrimaryColumn({ name: 'pool_id', type: 'uuid' })
  poolId: string;

  @ManyToOne(() => DemandPool)
  @JoinColumn({ name: 'pool_id', foreignKeyConstraintName: 'demand_pool_members_pool_id_fkey' })
  pool?: DemandPool;

  @PrimaryColumn({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @ManyToOne(() => Organization)
  @JoinColumn({ name: 'organization_id', foreignKeyConstraintName: 'demand_pool_members_organization_id_fkey' })
  organization?: Organization;

  @Column({ type: 'text' })
  status: PoolMemberStatus;

  @Column({ name: 'quantity_grams', type: 'bigint', transformer: integer })
  quantityGrams: number;

  @Column({ name: 'allocated_grams', type: 'bigint', transformer: integer, default: 0 })
  allocatedGrams: number;

  @CreateDateColumn({ name: 'joined_at', type: 'timestamptz', precision: 3 })
  joinedAt: Date;

  @Column({ name: 'released_at', type: 'timestamptz', nullable: true })
  releasedAt: Date | null;
}

export const ASSISTANCE_ENTITIES = [Pledge, PledgeEntry, Campaign, SubsidyProgramme, SubsidySellerTotal, SubsidyEntry, DemandPool, DemandPoolMember];
