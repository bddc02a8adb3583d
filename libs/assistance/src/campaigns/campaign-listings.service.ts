import { Injectable } from '@nestjs/common';
import type { Principal } from '@chanxiao/core';
import { type ListingSearchDetailQuery, type ListingSearchPage, type ListingSearchQuery, ListingSearchService, type ListingSearchView } from '@chanxiao/listings';
import type { CampaignTag } from '../dto/campaign.dto';
import { CampaignsService } from './campaigns.service';

export type TaggedListing = ListingSearchView & { campaigns: CampaignTag[] };

/** Buyer search with each lot tagged with the active campaigns it is in (`campaigns: [{ id, name }]`). */
@Injectable()
export class CampaignListingsService {
  constructor(
    private readonly search: ListingSearchService,
    private readonly campaigns: CampaignsService,
  ) {}

  async list(principal: Principal, query: ListingSearchQuery): Promise<ListingSearchPage & { items: TaggedListing[] }> {
    const page = await this.search.search(principal, query);
    const tags = await this.campaigns.tagsFor(page.items);
    return { ...page, items: page.items.map((item, i) => ({ ...item, campaigns: tags[i] })) };
  }

  async get(principal: Principal, id: string, query: ListingSearchDetailQuery): Promise<TaggedListing> {
    const lot = await this.search.get(principal, id, query);
    const [tags] = await this.campaigns.tagsFor([lot]);
    return { ...lot, campaigns: tags };
  }
}
