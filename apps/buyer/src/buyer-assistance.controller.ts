import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, DomainError, type Principal } from '@chanxiao/core';
import {
  CampaignsService, CreatePledgeDto, JoinPoolDto, ListPoolsQuery, OpenPoolDto, PledgeProgressView, PledgesService, PledgeView, PoolPage, PoolsService, PoolView, UpdatePledgeDto,
} from '@chanxiao/assistance';

/** 消费扶贫 pledges: record the year's commitment and follow what counts toward it. */
@ApiTags('pledges')
@ApiBearerAuth()
@Controller('pledges')
export class BuyerPledgesController {
  constructor(private readonly pledges: PledgesService) {}

  /** Records this year's (or `year`'s) pledge; a consumption_assistance buyer only (403 otherwise), once a year (409). */
  @Post()
  @ApiCreatedResponse({ type: PledgeView })
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreatePledgeDto) {
    return this.pledges.create(principal, body);
  }

  /** This year's pledge and progress: amount bought from poverty counties, share of the pledge, share from supervised counties, by month. */
  @Get('current')
  @ApiOkResponse({ type: PledgeProgressView, description: 'pledge (null if none recorded) and progress' })
  current(@CurrentPrincipal() principal: Principal) {
    return this.pledges.progress(principal);
  }

  @Get(':year')
  @ApiOkResponse({ type: PledgeProgressView })
  year(@CurrentPrincipal() principal: Principal, @Param('year') year: string) {
    return this.pledges.progress(principal, yearOf(year));
  }

  @Patch(':year')
  @ApiOkResponse({ type: PledgeView })
  update(@CurrentPrincipal() principal: Principal, @Param('year') year: string, @Body() body: UpdatePledgeDto) {
    return this.pledges.update(principal, yearOf(year), body);
  }
}

/** Special campaigns (专项行动) under way or coming. */
@ApiTags('campaigns')
@ApiBearerAuth()
@Controller('campaigns')
export class BuyerCampaignsController {
  constructor(private readonly campaigns: CampaignsService) {}

  @Get()
  @ApiOkResponse({ description: 'campaigns not yet ended, soonest ending first' })
  list() {
    return this.campaigns.listOpen();
  }

  @Get(':id')
  @ApiOkResponse({ description: 'one campaign; an ended or unknown one is 404' })
  get(@Param('id') id: string) {
    return this.campaigns.getOpen(id);
  }
}

/** Pooled demand (拼单): join buyers of the same category and destination city up to a truckload. */
@ApiTags('pools')
@ApiBearerAuth()
@Controller('pools')
export class BuyerPoolsController {
  constructor(private readonly pools: PoolsService) {}

  /** Opens a pool and joins it with the first quantity; the opener answers the proposals once it is full. */
  @Post()
  @ApiCreatedResponse({ type: PoolView })
  open(@CurrentPrincipal() principal: Principal, @Body() body: OpenPoolDto) {
    return this.pools.open(principal, body);
  }

  @Get()
  @ApiOkResponse({ type: PoolPage, description: 'open pools (default), pools of a status, or `status=mine`' })
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListPoolsQuery) {
    return this.pools.list(principal, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: PoolView })
  get(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    return this.pools.get(principal, id);
  }

  /** Adds your quantity; the join that reaches the truckload turns the pool into one demand. */
  @Post(':id/join')
  @HttpCode(200)
  @ApiOkResponse({ type: PoolView })
  join(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: JoinPoolDto) {
    return this.pools.join(principal, id, body);
  }
}

function yearOf(text: string): number {
  if (!/^\d{4}$/.test(text)) throw DomainError.notFound('pledge', text);
  return Number(text);
}
