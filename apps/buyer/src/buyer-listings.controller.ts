import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '@chanxiao/core';
import { CampaignListingsService } from '@chanxiao/assistance';
import { ListingSearchDetailQuery, ListingSearchPage, ListingSearchQuery, ListingSearchView } from '@chanxiao/listings';

@ApiTags('listings')
@ApiBearerAuth()
@Controller('listings')
export class BuyerListingsController {
  constructor(private readonly search: CampaignListingsService) {}

  /**
   * Every seller's lots on the market, filtered, most urgent first by default; each with its distance from
   * `nearRegionCode` (default: the organisation's region), its urgency and the active campaigns it is in.
   */
  @Get()
  @ApiOkResponse({ type: ListingSearchPage })
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListingSearchQuery): Promise<ListingSearchPage> {
    return this.search.list(principal, query);
  }

  /** One lot on the market; a draft, closed or past-best-before lot is 404. */
  @Get(':id')
  @ApiOkResponse({ type: ListingSearchView })
  get(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Query() query: ListingSearchDetailQuery): Promise<ListingSearchView> {
    return this.search.get(principal, id, query);
  }
}
