import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { chinaDate, CurrentPrincipal, DomainError, type Principal } from '@chanxiao/core';
import { AtRiskQuery, DashboardQuery, DashboardService, RegionScopeService, resolvePeriod, TrendQuery } from '@chanxiao/reporting';

/** Region-scoped sales figures (SPEC §5): a region outside the caller's scope answers 404. */
@ApiTags('dashboard')
@ApiBearerAuth()
@Controller()
export class DashboardController {
  constructor(
    private readonly dashboard: DashboardService,
    private readonly scopes: RegionScopeService,
  ) {}

  @Get('dashboard/summary')
  @ApiOkResponse({ description: 'listed, stalled and sold kg, sales in fen, orders, buyers and sell-through, with the previous period' })
  summary(@CurrentPrincipal() principal: Principal, @Query() query: DashboardQuery) {
    return this.dashboard.summary(this.scopes.forPrincipal(principal, query.regionCode), period(query));
  }

  @Get('dashboard/counties')
  @ApiOkResponse({ description: 'one row per county-level division in scope' })
  async counties(@CurrentPrincipal() principal: Principal, @Query() query: DashboardQuery) {
    const scope = this.scopes.forPrincipal(principal, query.regionCode);
    const p = period(query);
    return { regionCode: scope.code, regionName: scope.name, period: p, items: await this.dashboard.counties(scope, p), nextCursor: null };
  }

  @Get('dashboard/categories')
  @ApiOkResponse({ description: 'one row per category with lots or sales in scope' })
  async categories(@CurrentPrincipal() principal: Principal, @Query() query: DashboardQuery) {
    const scope = this.scopes.forPrincipal(principal, query.regionCode);
    const p = period(query);
    return { regionCode: scope.code, regionName: scope.name, period: p, items: await this.dashboard.categories(scope, p), nextCursor: null };
  }

  @Get('dashboard/trend')
  @ApiOkResponse({ description: 'listed and sold per calendar month, the last `months` months' })
  async trend(@CurrentPrincipal() principal: Principal, @Query() query: TrendQuery) {
    const scope = this.scopes.forPrincipal(principal, query.regionCode);
    return { regionCode: scope.code, regionName: scope.name, items: await this.dashboard.trend(scope, chinaDate().slice(0, 7), query.months ?? 12), nextCursor: null };
  }

  @Get('listings/at-risk')
  @ApiOkResponse({ description: 'active lots with stock that are stalled or expire within `withinDays`, supervised counties first, then by best-before' })
  atRisk(@CurrentPrincipal() principal: Principal, @Query() query: AtRiskQuery) {
    return this.dashboard.atRisk(this.scopes.forPrincipal(principal, query.regionCode), query.withinDays ?? 7, query.limit ?? 20, query.cursor);
  }
}

function period(query: DashboardQuery) {
  const { period: resolved, problems } = resolvePeriod(query.from, query.to);
  if (!resolved) throw DomainError.validation('dashboard.bad_period', problems);
  return resolved;
}
