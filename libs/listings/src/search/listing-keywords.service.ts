import { Injectable } from '@nestjs/common';
import { CategoriesService } from '@chanxiao/categories';
import { RegionsService } from '@chanxiao/regions';
import { KeywordSegmenter } from './keywords';

/** What a lot's keywords are drawn from, before the names of its category and county are looked up. */
export interface ListingKeywordFields {
  title: string;
  variety: string | null;
  grade: string | null;
  categoryCode: string;
  regionCode: string;
}

/**
 * The process's {@link KeywordSegmenter}, its user dictionary built from the taxonomy and the regions (both read
 * at start-up), made on first use: loading jieba's dictionary takes a moment and only the apps that search or
 * write lots need it.
 */
@Injectable()
export class ListingKeywords {
  private segmenter?: KeywordSegmenter;

  constructor(
    private readonly categories: CategoriesService,
    private readonly regions: RegionsService,
  ) {}

  get keywords(): KeywordSegmenter {
    this.segmenter ??= new KeywordSegmenter([...this.categories.list().map((c) => c.nameZh), ...this.regions.names()]);
    return this.segmenter;
  }

  /** The lot's `search_vector` (text form): its words, its category and group names, its county, city and province. */
  vectorOf(lot: ListingKeywordFields): string {
    const category = this.categories.find(lot.categoryCode);
    const group = category?.parentCode ? this.categories.find(category.parentCode) : undefined;
    return this.keywords.vectorOf({
      title: lot.title,
      variety: lot.variety,
      grade: lot.grade,
      categoryNames: [category?.nameZh, group?.nameZh].filter((name): name is string => !!name),
      regionNames: this.regions.parentChain(lot.regionCode).map((r) => r.name),
    });
  }
}
