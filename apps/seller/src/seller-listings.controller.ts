import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '@chanxiao/core';
import { CreateListingDto, ListingPage, ListingsService, ListingView, ListListingsQuery, UpdateListingDto } from '@chanxiao/listings';

@ApiTags('listings')
@ApiBearerAuth()
@Controller('listings')
export class SellerListingsController {
  constructor(private readonly listings: ListingsService) {}

  /** Creates a lot as a draft. `regionCode` defaults to the organisation's county. */
  @Post()
  @ApiCreatedResponse({ type: ListingView })
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateListingDto): Promise<ListingView> {
    return this.listings.create(principal, body);
  }

  /** The organisation's own lots, newest first, filtered by status and category (a group includes its leaves). */
  @Get()
  @ApiOkResponse({ type: ListingPage })
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListListingsQuery): Promise<ListingPage> {
    return this.listings.list(principal, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: ListingView })
  get(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<ListingView> {
    return this.listings.get(principal, id);
  }

  /** Changes a draft freely; an active lot only in its commercial terms (price, quantity, grade, dates, …). */
  @Patch(':id')
  @ApiOkResponse({ type: ListingView })
  update(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: UpdateListingDto): Promise<ListingView> {
    return this.listings.update(principal, id, body);
  }

  @Post(':id/publish')
  @HttpCode(200)
  @ApiOkResponse({ type: ListingView })
  publish(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<ListingView> {
    return this.listings.publish(principal, id);
  }

  /** Takes a draft or active lot off the market; reserved stock stays with its holds and unpaid orders. */
  @Post(':id/withdraw')
  @HttpCode(200)
  @ApiOkResponse({ type: ListingView })
  withdraw(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<ListingView> {
    return this.listings.withdraw(principal, id);
  }
}
