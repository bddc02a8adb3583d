import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DomainError } from '@chanxiao/core';
import type { DataSource } from 'typeorm';
import { Category } from './category.entity';

/** The category as the API shows it (SPEC §5). */
export type CategoryView = Omit<Category, 'sortOrder'>;

/**
 * The produce taxonomy, read once at start-up (it changes only by migration).
 * A top-level code stands for itself and all its leaves.
 */
@Injectable()
export class CategoriesService implements OnModuleInit {
  private all: CategoryView[] = [];
  private byCode = new Map<string, CategoryView>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async onModuleInit(): Promise<void> {
    const rows = await this.dataSource.getRepository(Category).find({ order: { sortOrder: 'ASC' } });
    this.all = rows.map(({ sortOrder: _sortOrder, ...view }) => view);
    this.byCode = new Map(this.all.map((c) => [c.code, c]));
  }

  list(): CategoryView[] {
    return this.all;
  }

  find(code: string): CategoryView | undefined {
    return this.byCode.get(code);
  }

  /** Like {@link find}, but an unknown code is a 400 naming `field`. */
  get(code: string, field = 'categoryCode'): CategoryView {
    const category = this.find(code);
    if (!category) throw DomainError.validation('category.unknown', [{ field, message: `${code} is not a category code` }]);
    return category;
  }

  /** The code itself and, for a top-level category, every leaf under it. */
  expand(code: string): string[] {
    return [code, ...this.all.filter((c) => c.parentCode === code).map((c) => c.code)];
  }
}
