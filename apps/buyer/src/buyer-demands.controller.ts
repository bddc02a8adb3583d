import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '@chanxiao/core';
import { CreateDemandDto, DemandPage, DemandsService, DemandView, ListDemandsQuery } from '@chanxiao/demands';

@ApiTags('demands')
@ApiBearerAuth()
@Controller('demands')
export class BuyerDemandsController {
  constructor(private readonly demands: DemandsService) {}

  /** Posts a purchase demand; the matcher proposes lots for it. */
  @Post()
  @ApiCreatedResponse({ type: DemandView })
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateDemandDto): Promise<DemandView> {
    return this.demands.create(principal, body);
  }

  /** The organisation's own demands, newest first, optionally of one status. */
  @Get()
  @ApiOkResponse({ type: DemandPage })
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListDemandsQuery): Promise<DemandPage> {
    return this.demands.list(principal, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: DemandView })
  get(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<DemandView> {
    return this.demands.get(principal, id);
  }

  /** Cancels an open or partially filled demand; what is already filled stays bought. */
  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOkResponse({ type: DemandView })
  cancel(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<DemandView> {
    return this.demands.cancel(principal, id);
  }
}
