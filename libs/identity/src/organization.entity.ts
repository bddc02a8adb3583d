import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Region } from '@chanxiao/regions/region.entity';

export type OrganizationKind = 'seller' | 'buyer' | 'agency';

export const BUYER_TYPES = ['wholesale_market', 'ecommerce', 'public_welfare_market', 'logistics', 'consumption_assistance', 'retailer'] as const;
export type BuyerType = (typeof BUYER_TYPES)[number];

/**
 * A cooperative, farm or enterprise that sells; a market, firm or purchaser that buys; or an agency office.
 * Every row of business data belongs to one organisation.
 */
@Entity({ name: 'organizations' })
@Index('organizations_credit_code_key', ['creditCode'], { unique: true })
@Check('organizations_kind_check', `"kind" IN ('seller', 'buyer', 'agency')`)
@Check('organizations_buyer_type_check', `"buyer_type" IN ('wholesale_market', 'ecommerce', 'public_welfare_market', 'logistics', 'consumption_assistance', 'retailer')`)
@Check('organizations_poverty_households_check', '"poverty_households" >= 0')
@Check('organizations_credit_code_required', `"kind" = 'agency' OR "credit_code" IS NOT NULL`)
@Check('organizations_buyer_type_for_buyers', `("kind" = 'buyer') = ("buyer_type" IS NOT NULL)`)
export class Organization {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  kind: OrganizationKind;

  @Column({ type: 'text' })
  name: string;

  /** 统一社会信用代码; agency offices created by the CLI have none. */
  @Column({ name: 'credit_code', type: 'char', length: 18, nullable: true })
  creditCode: string | null;

  @Column({ name: 'region_code', type: 'char', length: 6 })
  regionCode: string;

  @ManyToOne(() => Region)
  @JoinColumn({ name: 'region_code', foreignKeyConstraintName: 'organizations_region_code_fkey' })
  region?: Region;

  @Column({ name: 'contact_phone', type: 'text' })
  contactPhone: string;

  @Column({ name: 'buyer_type', type: 'text', nullable: true })
  buyerType: BuyerType | null;

  /** Registered poverty households (建档立卡贫困户) a seller works with. */
  @Column({ name: 'poverty_households', type: 'int', nullable: true })
  povertyHouseholds: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
