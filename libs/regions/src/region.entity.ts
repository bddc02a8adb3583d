import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';

/** A GB/T 2260 administrative division (NBS 2023 codes) with its centroid and poverty-alleviation status. */
@Entity({ name: 'regions' })
@Index('regions_parent_idx', ['parentCode'])
@Check('regions_level_check', '"level" IN (1, 2, 3)')
@Check('regions_supervised_is_poverty', 'NOT "is_supervised_county" OR "is_poverty_county"')
export class Region {
  @PrimaryColumn({ type: 'char', length: 6 })
  code: string;

  @Column({ type: 'text' })
  name: string;

  /** 1 province, 2 prefecture-level city, 3 county-level division. */
  @Column({ type: 'smallint' })
  level: 1 | 2 | 3;

  @Column({ name: 'parent_code', type: 'char', length: 6, nullable: true })
  parentCode: string | null;

  @ManyToOne(() => Region, { createForeignKeyConstraints: true })
  @JoinColumn({ name: 'parent_code', foreignKeyConstraintName: 'regions_parent_code_fkey' })
  parent?: Region;

  @Column({ name: 'province_code', type: 'char', length: 6 })
  provinceCode: string;

  @Column({ type: 'double precision' })
  lat: number;

  @Column({ type: 'double precision' })
  lon: number;

  /** Where the centroid came from: `code`, `alias_code`, `name`, or a `city`/`province` fallback. */
  @Column({ name: 'centroid_source', type: 'text' })
  centroidSource: string;

  @Column({ name: 'is_poverty_county', type: 'boolean', default: false })
  isPovertyCounty: boolean;

  @Column({ name: 'is_supervised_county', type: 'boolean', default: false })
  isSupervisedCounty: boolean;

  @Column({ name: 'poverty_exit_year', type: 'smallint', nullable: true })
  povertyExitYear: number | null;
}

/** An older code that still denotes a current county (a county renamed or re-coded since the poverty list). */
@Entity({ name: 'region_aliases' })
export class RegionAlias {
  @PrimaryColumn({ type: 'char', length: 6 })
  code: string;

  @Column({ name: 'current_code', type: 'char', length: 6 })
  currentCode: string;

  @ManyToOne(() => Region)
  @JoinColumn({ name: 'current_code', foreignKeyConstraintName: 'region_aliases_current_code_fkey' })
  current?: Region;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  reason: string;
}
