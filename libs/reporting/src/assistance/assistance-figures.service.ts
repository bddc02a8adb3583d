import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { addDays, chinaDate, DomainError, uuidOrNone } from '@chanxiao/core';
import { RegionsService } from '@chanxiao/regions';
import type { DataSource } from 'typeorm';
import { type Period, periodInstants, resolvePeriod } from '../period.util';
import { RegionScopeService, type Scope } from '../region-scope.service';
import { SOLD_STATUSES } from '../reporting-sql';

/** One purchaser's pledge fulfilment (libs/assistance keeps the ledger; this reads it). */
export interface PurchaserPledgeRow {
  organizationId: string;
  name: string;
  regionCode: string;
  pledgedFen: number | null;
  countedFen: number;
  countedKg: number;
  supervisedFen: number;
  shareOfPledge: number | null;
  expectedFen: number | null;
  behindSchedule: boolean;
}

export interface PledgeFigures {
  year: number;
  asOf: string;
  purchasers: PurchaserPledgeRow[];
  behindSchedule: PurchaserPledgeRow[];
  totals: { purchasers: number; pledged: number; pledgedFen: number; countedFen: number; supervisedFen: number };
}

export interface CampaignFigures {
  id: string;
  name: string;
  ownerRegionCode: string;
  startsOn: string;
  endsOn: string;
  state: 'upcoming' | 'active' | 'ended';
  regionCodes: string[];
  categoryCodes: string[];
  soldKg: number;
  soldFen: number;
  orders: number;
  countiesReached: number;
}

export interface SubsidyFigures {
  id: string;
  name: string;
  ownerRegionCode: string;
  startsOn: string;
  endsOn: string;
  perOrderFen: number;
  perSellerCapFen: number;
  budgetFen: number;
  spentFen: number;
  remainingFen: number;
  /** Movements in the period asked for (the whole programme when none). */
  earnedOrders: number;
  earnedFen: number;
  reversedFen: number;
  sellers: number;
}

const n = (v: unknown) => Number(v ?? 0);

/**
 * The agency's 消费扶贫 figures, region-scoped like every dashboard figure: pledge fulfilment of the purchasers
 * registered in the scope, the campaigns and subsidy programmes created by agencies in the scope (so a
 * prefecture does not see a province's campaign, whose figures reach beyond it), with live figures.
 * - pledge: the pledge ledger's signed entries of the year up to `asOf` (paid, net of refunds and cancellations,
 *   lines from poverty counties); expected = the pledge × days of the year elapsed ÷ days in the year;
 * - campaign: sold lines (the dashboard's definition) of lots in the campaign's regions and categories, paid
 *   within the campaign's period (and the period asked for);
 * - subsidy: budget and spend now; entries created in the period.
 */
@Injectable()
export class AssistanceFiguresService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly regions: RegionsService,
    private readonly scopes: RegionScopeService,
  ) {}

  /**
   * The dashboard's 消费扶贫 block: pledges of the year up to `to` (default today); campaign sales and subsidy
   * entries in `from`–`to` when either is given, else over each campaign's or programme's whole life.
   */
  async dashboard(scope: Scope, from?: string, to?: string) {
    const explicit = from !== undefined || to !== undefined;
    const { period, problems } = resolvePeriod(from, to);
    if (!period) throw DomainError.validation('dashboard.bad_period', problems);
    const [pledges, campaigns, subsidies] = await Promise.all([
      this.pledges(scope, to ?? chinaDate()),
      this.campaigns(scope, explicit ? period : undefined),
      this.subsidies(scope, explicit ? period : undefined),
    ]);
    return { regionCode: scope.code, regionName: scope.name, period: explicit ? period : null, pledges, campaigns, subsidies };
  }

  async pledges(scope: Scope, asOf: string): Promise<PledgeFigures> {
    const year = Number(asOf.slice(0, 4));
    const start = new Date(`${year}-01-01T00:00:00+08:00`);
    const end = new Date(`${addDays(asOf, 1)}T00:00:00+08:00`);
    const rows = (await this.dataSource.query(
      `SELECT o.id, o.name, o.region_code, p.amount_fen,
              coalesce(e.fen, 0)::bigint AS fen, coalesce(e.supervised, 0)::bigint AS supervised, coalesce(e.grams, 0)::bigint AS grams
         FROM organizations o
         LEFT JOIN pledges p ON p.organization_id = o.id AND p.year = $1
         LEFT JOIN (SELECT organization_id, sum(amount_fen) AS fen, sum(supervised_fen) AS supervised, sum(grams) AS grams
                      FROM pledge_entries WHERE occurred_at >= $2 AND occurred_at < $3 GROUP BY organization_id) e ON e.organization_id = o.id
        WHERE o.kind = 'buyer' AND o.buyer_type = 'consumption_assistance'
        ORDER BY o.name, o.id`,
      [year, start, end],
    )) as { id: string; name: string; region_code: string; amount_fen: string | null; fen: string; supervised: string; grams: string }[];
    const days = (Date.parse(`${asOf}T00:00:00Z`) - Date.parse(`${year}-01-01T00:00:00Z`)) / 86_400_000 + 1;
    const yearDays = (Date.parse(`${year + 1}-01-01T00:00:00Z`) - Date.parse(`${year}-01-01T00:00:00Z`)) / 86_400_000;
    const purchasers = rows
      .filter((r) => this.regions.isWithin(r.region_code.trim(), scope.code))
      .map((r): PurchaserPledgeRow => {
        const pledged = r.amount_fen === null ? null : n(r.amount_fen);
        const counted = n(r.fen);
        const expected = pledged === null ? null : Math.floor((pledged * days) / yearDays);
        return {
          organizationId: r.id, name: r.name, regionCode: r.region_code.trim(), pledgedFen: pledged, countedFen: counted, countedKg: n(r.grams) / 1000,
          supervisedFen: n(r.supervised), shareOfPledge: pledged ? Math.round((counted / pledged) * 10000) / 10000 : null,
          expectedFen: expected, behindSchedule: expected !== null && counted < expected,
        };
      })
      .sort((a, b) => Number(b.pledgedFen !== null) - Number(a.pledgedFen !== null) || (a.shareOfPledge ?? 0) - (b.shareOfPledge ?? 0) || (a.organizationId < b.organizationId ? -1 : 1));
    const pledgedRows = purchasers.filter((p) => p.pledgedFen !== null);
    return {
      year, asOf, purchasers, behindSchedule: purchasers.filter((p) => p.behindSchedule),
      totals: {
        purchasers: purchasers.length, pledged: pledgedRows.length, pledgedFen: pledgedRows.reduce((s, p) => s + p.pledgedFen!, 0),
        countedFen: purchasers.reduce((s, p) => s + p.countedFen, 0), supervisedFen: purchasers.reduce((s, p) => s + p.supervisedFen, 0),
      },
    };
  }

  /** Campaigns created within the scope, with their sales in their period (∩ `period` when given), live. */
  async campaigns(scope: Scope, period?: Period): Promise<CampaignFigures[]> {
    const rows = (await this.dataSource.query(`SELECT id, name, owner_region_code, starts_on::text, ends_on::text, region_codes, category_codes FROM campaigns ORDER BY starts_on DESC, id`)) as {
      id: string; name: string; owner_region_code: string; starts_on: string; ends_on: string; region_codes: string[]; category_codes: string[];
    }[];
    const visible = rows.filter((c) => this.regions.isWithin(c.owner_region_code.trim(), scope.code));
    const today = chinaDate();
    return Promise.all(visible.map(async (c) => {
      const from = period && period.from > c.starts_on ? period.from : c.starts_on;
      const to = period && period.to < c.ends_on ? period.to : c.ends_on;
      const inScope = new Set(scope.countyCodes);
      const counties = [...new Set(c.region_codes.flatMap((code) => this.scopes.of(code).countyCodes))].filter((code) => inScope.has(code));
      const sold = from > to ? { grams: 0, fen: 0, orders: 0, counties: 0 } : await this.campaignSales(counties, c.category_codes, periodInstants({ from, to }));
      return {
        id: c.id, name: c.name, ownerRegionCode: c.owner_region_code.trim(), startsOn: c.starts_on, endsOn: c.ends_on,
        state: today < c.starts_on ? 'upcoming' as const : today > c.ends_on ? 'ended' as const : 'active' as const,
        regionCodes: c.region_codes, categoryCodes: c.category_codes,
        soldKg: sold.grams / 1000, soldFen: sold.fen, orders: sold.orders, countiesReached: sold.counties,
      };
    }));
  }

  async campaign(scope: Scope, id: string): Promise<CampaignFigures> {
    const found = (await this.campaigns(scope)).find((c) => c.id === uuidOrNone(id));
    if (!found) throw DomainError.notFound('campaign', id);
    return found;
  }

  /** Subsidy programmes created within the scope: budget and spend now, entries made in `period` (all when none). */
  async subsidies(scope: Scope, period?: Period): Promise<SubsidyFigures[]> {
    const { start, end } = period ? periodInstants(period) : { start: new Date(0), end: new Date('9999-01-01T00:00:00Z') };
    const rows = (await this.dataSource.query(
      `SELECT p.id, p.name, p.owner_region_code, p.starts_on::text, p.ends_on::text, p.per_order_fen, p.per_seller_cap_fen, p.budget_fen, p.spent_fen,
              count(e.id) FILTER (WHERE e.kind = 'earned')::int AS earned_orders,
              coalesce(sum(e.amount_fen) FILTER (WHERE e.kind = 'earned'), 0)::bigint AS earned_fen,
              coalesce(-sum(e.amount_fen) FILTER (WHERE e.kind = 'reversed'), 0)::bigint AS reversed_fen,
              count(DISTINCT e.seller_organization_id)::int AS sellers
         FROM subsidy_programmes p LEFT JOIN subsidy_entries e ON e.programme_id = p.id AND e.created_at >= $1 AND e.created_at < $2
        GROUP BY p.id ORDER BY p.starts_on DESC, p.id`,
      [start, end],
    )) as Record<string, string>[];
    return rows
      .filter((r) => this.regions.isWithin(r.owner_region_code.trim(), scope.code))
      .map((r) => ({
        id: r.id, name: r.name, ownerRegionCode: r.owner_region_code.trim(), startsOn: r.starts_on, endsOn: r.ends_on,
        perOrderFen: n(r.per_order_fen), perSellerCapFen: n(r.per_seller_cap_fen), budgetFen: n(r.budget_fen), spentFen: n(r.spent_fen),
        remainingFen: n(r.budget_fen) - n(r.spent_fen), earnedOrders: n(r.earned_orders), earnedFen: n(r.earned_fen), reversedFen: n(r.reversed_fen), sellers: n(r.sellers),
      }));
  }

  private async campaignSales(countyCodes: string[], categoryCodes: string[], { start, end }: { start: Date; end: Date }) {
    const [row] = await this.dataSource.query(
      `SELECT coalesce(sum(ol.quantity_grams), 0)::bigint AS grams, coalesce(sum(ol.amount_fen), 0)::bigint AS fen,
              count(DISTINCT o.id)::int AS orders, count(DISTINCT l.region_code)::int AS counties
         FROM orders o JOIN order_lines ol ON ol.order_id = o.id JOIN listings l ON l.id = ol.listing_id
        WHERE o.status IN ${SOLD_STATUSES} AND o.paid_at >= $2 AND o.paid_at < $3 AND l.region_code = ANY($1::bpchar[])
          AND (cardinality($4::text[]) = 0 OR l.category_code = ANY($4::text[]) OR split_part(l.category_code, '.', 1) = ANY($4::text[]))`,
      [countyCodes, start, end, categoryCodes],
    );
    return { grams: n(row.grams), fen: n(row.fen), orders: n(row.orders), counties: n(row.counties) };
  }
}
