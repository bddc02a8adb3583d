import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, PageQuery, type Principal } from '@chanxiao/core';
import { SubsidyEntryPage, SubsidyProgrammesService } from '@chanxiao/assistance';

/** The cooperative's courier subsidy entries (earned when an order ships, reversed if it is cancelled after). */
@ApiTags('subsidies')
@ApiBearerAuth()
@Controller('subsidies')
export class SellerSubsidiesController {
  constructor(private readonly programmes: SubsidyProgrammesService) {}

  @Get()
  @ApiOkResponse({ type: SubsidyEntryPage })
  list(@CurrentPrincipal() principal: Principal, @Query() query: PageQuery): Promise<SubsidyEntryPage> {
    return this.programmes.entries(principal, query);
  }
}
