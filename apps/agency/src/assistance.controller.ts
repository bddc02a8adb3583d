import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '@chanxiao/core';
import { CampaignsService, CreateCampaignDto, CreateSubsidyProgrammeDto, SubsidyProgrammesService } from '@chanxiao/assistance';
import { AssistanceFiguresService, DashboardQuery, RegionQuery, RegionScopeService } from '@chanxiao/reporting';

/**
 * 消费扶贫 for agency staff: campaigns and courier subsidy programmes in their region, and the figures: pledge
 * fulfilment of the purchasers in scope (those behind schedule listed), campaign sales, subsidy spend vs budget.
 */
@ApiTags('assistance')
@ApiBearerAuth()
@Controller()
export class AssistanceController {
  constructor(
    private readonly campaigns: CampaignsService,
    private readonly programmes: SubsidyProgrammesService,
    private readonly figures: AssistanceFiguresService,
    private readonly scopes: RegionScopeService,
  ) {}

  /** Pledges (year to date, as of `to` or today), campaigns (sales in the period) and subsidies (entries in the period, spend now). */
  @Get('dashboard/assistance')
  @ApiOkResponse({ description: 'pledge fulfilment per purchaser and those behind schedule, campaign figures, subsidy spend vs budget' })
  dashboard(@CurrentPrincipal() principal: Principal, @Query() query: DashboardQuery) {
    return this.figures.dashboard(this.scopes.forPrincipal(principal, query.regionCode), query.from, query.to);
  }

  @Post('campaigns')
  @ApiCreatedResponse({ description: 'the campaign, owned by your region; its regions must lie within it' })
  createCampaign(@CurrentPrincipal() principal: Principal, @Body() body: CreateCampaignDto) {
    return this.campaigns.create(principal, body);
  }

  @Get('campaigns')
  @ApiOkResponse({ description: 'campaigns created in your region (or `regionCode` within it), with live figures' })
  async listCampaigns(@CurrentPrincipal() principal: Principal, @Query() query: RegionQuery) {
    return { items: await this.figures.campaigns(this.scopes.forPrincipal(principal, query.regionCode)), nextCursor: null };
  }

  @Get('campaigns/:id')
  @ApiOkResponse({ description: 'one campaign with live figures; outside your region 404' })
  campaign(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    return this.figures.campaign(this.scopes.forPrincipal(principal), id);
  }

  @Post('subsidy-programmes')
  @ApiCreatedResponse({ description: 'the programme, owned by your region; its regions must lie within it' })
  createProgramme(@CurrentPrincipal() principal: Principal, @Body() body: CreateSubsidyProgrammeDto) {
    return this.programmes.create(principal, body);
  }

  @Get('subsidy-programmes')
  @ApiOkResponse({ description: 'programmes created in your region, spend vs budget' })
  async listProgrammes(@CurrentPrincipal() principal: Principal, @Query() query: RegionQuery) {
    return { items: await this.figures.subsidies(this.scopes.forPrincipal(principal, query.regionCode)), nextCursor: null };
  }
}
