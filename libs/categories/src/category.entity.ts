import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { Perishability } from './category-taxonomy';

/** A produce category of the two-level taxonomy (水果 › 苹果). Seeded by migration from `category-taxonomy.ts`. */
@Entity({ name: 'categories' })
@Index('categories_parent_idx', ['parentCode'])
@Check('categories_perishability_check', `"perishability" IN ('high', 'medium', 'low')`)
@Check('categories_typical_shelf_life_days_check', '"typical_shelf_life_days" > 0')
export class Category {
  @PrimaryColumn({ type: 'text' })
  code: string;

  @Column({ name: 'parent_code', type: 'text', nullable: true })
  parentCode: string | null;

  @ManyToOne(() => Category)
  @JoinColumn({ name: 'parent_code', foreignKeyConstraintName: 'categories_parent_code_fkey' })
  parent?: Category;

  @Column({ name: 'name_zh', type: 'text' })
  nameZh: string;

  @Column({ name: 'name_en', type: 'text' })
  nameEn: string;

  @Column({ type: 'text' })
  perishability: Perishability;

  @Column({ name: 'typical_shelf_life_days', type: 'int' })
  typicalShelfLifeDays: number;

  @Column({ name: 'cold_chain_required', type: 'boolean' })
  coldChainRequired: boolean;

  @Column({ name: 'sort_order', type: 'int' })
  sortOrder: number;
}
