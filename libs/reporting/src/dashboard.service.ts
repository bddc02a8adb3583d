import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { addDays, chinaDate, decodeCursor, encodeCursor, type Principal } from '@chanxiao/core';
import type { DataSource } from 'typeorm';
import type { AtRiskLot, BuyerTypeRow, CategoryRow, CountyRow, Figures, Listing, RowFigures, SummaryView, TrendPoint } from './dashboard.views';
import { BUYER_TYPE_NAMES } from './dashboard.views';
import { monthPeriod, monthsEndingWith, type Period, periodDays, periodInstants, previousPeriod } from './period.util';
import { type Scope } from './region-scope.service';
import { SQL } from './reporting-sql';
import { daysOfStockLeft, gramsToKg, ratio } from './units.util';

interface Sold { grams: number; fen: number; orders: number; buyers: number }
interface Listed { grams: number; stalledGrams: number }
type Keyed<T> = Map<string, T>;

const num = (v: unknown) => Number(v ?? 0);

/**
 * Region-scoped sales figures for the agency dashboard and the monthly report. Every figure is a sum over
 * orders and lots in SQL (definitions in reporting-sql.ts), so a test can reconcile it with its own query.
 */
@Injectable()
export class DashboardService {
  private categoryNames?: Promise<CategoryNames>;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async summary(scope: Scope, period: Period): Promise<SummaryView> {
    const previous = previousPeriod(period);
    const [current, before, stock] = await Promise.all([this.figures(scope, period), this.figures(scope, previous), this.query(SQL.stockTotals, [scope.countyCodes])]);
    return {
      regionCode: scope.code, regionName: scope.name, regionLevel: scope.level,
      period, previousPeriod: previous, current, previous: before, stockKg: gramsToKg(num(stock[0]?.grams)),
    };
  }

  async counties(scope: Scope, period: Period): Promise<CountyRow[]> {
    const [sold, listed, stock] = await this.byKey(scope, period, SQL.soldByCounty, SQL.listedByCounty, SQL.stockByCounty);
    return countyRows(scope, sold, listed, stock, periodDays(period));
  }

  async categories(scope: Scope, period: Period): Promise<CategoryRow[]> {
    const [[sold, listed, stock], names] = await Promise.all([this.byKey(scope, period, SQL.soldByCategory, SQL.listedByCategory, SQL.stockByCategory), this.names()]);
    return categoryRows(names, sold, listed, stock, periodDays(period));
  }

  /**
   * Everything the monthly report shows for one period, equal to `summary().current`, `counties`, `categories`
   * and `buyerTypes` of the same period, from one scan of the sold lines (`GROUPING SETS`) instead of one per
   * view, plus the number of sold lines. `sold`, when given, are the rows of that scan computed elsewhere (the
   * monthly report sums them from the sold lines it streams anyway, `SoldLineTotals`).
   */
  async breakdown(scope: Scope, period: Period, sold?: Promise<Record<string, unknown>[]>): Promise<PeriodBreakdown> {
    const { start, end } = periodInstants(period);
    const params = [scope.countyCodes, start, end];
    const [soldRows, listedRows, stockRows, names] = await Promise.all([
      sold ?? this.query(SQL.soldBreakdown, params),
      this.query(SQL.listedBreakdown, params),
      this.query(SQL.stockBreakdown, [scope.countyCodes]),
      this.names(),
    ]);
    // `g` is GROUPING(): which grouping set a row belongs to (see the SQL).
    const keyed = (rows: Record<string, unknown>[], g: number, key: string): Record<string, unknown>[] => rows.filter((r) => r.g === g).map((r) => ({ ...r, key: r[key] }));
    const stock = (g: number, key: string) => new Map(keyed(stockRows, g, key).map((r) => [String(r.key).trim(), num(r.grams)]));
    const days = periodDays(period);
    const [total] = keyed(soldRows, 7, 'g');
    const [listedTotal] = keyed(listedRows, 3, 'g');
    return {
      current: figures(total && toSold([total]).get(String(total.key)), listedTotal && toListed([listedTotal]).get(String(listedTotal.key))),
      stockKg: gramsToKg(num(stockRows.find((r) => r.g === 3)?.grams)),
      counties: countyRows(scope, toSold(keyed(soldRows, 3, 'county')), toListed(keyed(listedRows, 1, 'county')), stock(1, 'county'), days),
      categories: categoryRows(names, toSold(keyed(soldRows, 5, 'category')), toListed(keyed(listedRows, 2, 'category')), stock(2, 'category'), days),
      buyerTypes: buyerTypeRows(keyed(soldRows, 6, 'buyer_type')),
      lineCount: num(total?.lines),
    };
  }

  /** One point per calendar month, the last `months` months up to and including `lastMonth`. */
  async trend(scope: Scope, lastMonth: string, months: number): Promise<TrendPoint[]> {
    const list = monthsEndingWith(lastMonth, months);
    const period = { from: monthPeriod(list[0]).from, to: monthPeriod(lastMonth).to };
    const { start, end } = periodInstants(period);
    const params = [scope.countyCodes, start, end];
    const [sold, listed] = await Promise.all([this.query(SQL.soldByMonth, params).then(toSold), this.query(SQL.listedByMonth, params).then(toListed)]);
    return list.map((month) => ({ month, ...figures(sold.get(month), listed.get(month)) }));
  }

  async buyerTypes(scope: Scope, period: Period): Promise<BuyerTypeRow[]> {
    const { start, end } = periodInstants(period);
    return buyerTypeRows(await this.query(SQL.soldByBuyerType, [scope.countyCodes, start, end]));
  }

  /** Active lots with stock that are stalled or reach best-before within `withinDays`; supervised counties first. */
  async atRisk(scope: Scope, withinDays: number, limit: number, cursor?: string, today = chinaDate()): Promise<Listing<AtRiskLot>> {
    const offset = cursor ? Number(decodeCursor(cursor, 1)[0]) : 0;
    const horizon = addDays(today, withinDays);
    const rows = await this.query(SQL.atRisk, [scope.countyCodes, today, horizon, limit + 1, Number.isInteger(offset) && offset >= 0 ? offset : 0]);
    const names = new Map(scope.counties.map((c) => [c.code, c.name]));
    const items: AtRiskLot[] = rows.slice(0, limit).map((r) => ({
      id: r.id, title: r.title, categoryCode: r.category_code, categoryNameZh: r.category_name, regionCode: r.region_code, countyName: names.get(r.region_code) ?? r.region_code,
      sellerOrganizationId: r.organization_id, sellerName: r.seller_name, isPovertyCounty: r.is_poverty_county, isSupervisedCounty: r.is_supervised_county,
      stalled: r.stalled, availableKg: gramsToKg(num(r.available_grams)), unitPriceFen: num(r.unit_price_fen), bestBefore: r.best_before, daysToBestBefore: num(r.days_left),
      reasons: [...(r.stalled ? (['stalled'] as const) : []), ...(r.best_before <= horizon ? (['expiring'] as const) : [])],
    }));
    return { regionCode: scope.code, regionName: scope.name, items, nextCursor: rows.length > limit ? encodeCursor([offset + limit]) : null };
  }

  /** Figures of a period for the whole scope. */
  async figures(scope: Scope, period: Period): Promise<Figures> {
    const { start, end } = periodInstants(period);
    const params = [scope.countyCodes, start, end];
    const [sold, listed] = await Promise.all([this.query(SQL.soldTotals, params), this.query(SQL.listedTotals, params)]);
    return figures(
      { grams: num(sold[0].grams), fen: num(sold[0].fen), orders: num(sold[0].orders), buyers: num(sold[0].buyers) },
      { grams: num(listed[0].grams), stalledGrams: num(listed[0].stalled_grams) },
    );
  }

  private async byKey(scope: Scope, period: Period, soldSql: string, listedSql: string, stockSql: string): Promise<[Keyed<Sold>, Keyed<Listed>, Keyed<number>]> {
    const { start, end } = periodInstants(period);
    const params = [scope.countyCodes, start, end];
    return Promise.all([
      this.query(soldSql, params).then(toSold),
      this.query(listedSql, params).then(toListed),
      this.query(stockSql, [scope.countyCodes]).then((rows) => new Map(rows.map((r) => [String(r.key).trim(), num(r.grams)]))),
    ]);
  }

  private names(): Promise<CategoryNames> {
    this.categoryNames ??= this.query(SQL.categoryNames, []).then((rows) => new Map(rows.map((r) => [r.code, { nameZh: r.name_zh, parentCode: r.parent_code }])));
    return this.categoryNames;
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private query(sql: string, params: unknown[]): Promise<any[]> {
    return this.dataSource.query(sql, params);
  }
}

/** The monthly report's views of one period (see `DashboardService.breakdown`). */
export interface PeriodBreakdown {
  current: Figures;
  stockKg: number;
  counties: CountyRow[];
  categories: CategoryRow[];
  buyerTypes: BuyerTypeRow[];
  lineCount: number;
}

type CategoryNames = Map<string, { nameZh: string; parentCode: string | null }>;

/** One row per county in scope (zeros included): supervised, then poverty counties first, then by sales. */
function countyRows(scope: Scope, sold: Keyed<Sold>, listed: Keyed<Listed>, stock: Keyed<number>, days: number): CountyRow[] {
  return scope.counties
    .map((county) => ({
      regionCode: county.code,
      name: county.name,
      cityName: county.cityName,
      isPovertyCounty: county.isPovertyCounty,
      isSupervisedCounty: county.isSupervisedCounty,
      ...rowFigures(sold.get(county.code), listed.get(county.code), stock.get(county.code) ?? 0, days),
    }))
    .sort((a, b) => Number(b.isSupervisedCounty) - Number(a.isSupervisedCounty) || Number(b.isPovertyCounty) - Number(a.isPovertyCounty) || b.soldFen - a.soldFen || b.listedKg - a.listedKg || (a.regionCode < b.regionCode ? -1 : 1));
}

/** One row per category with sales, listings or stock, by sales. */
function categoryRows(names: CategoryNames, sold: Keyed<Sold>, listed: Keyed<Listed>, stock: Keyed<number>, days: number): CategoryRow[] {
  const codes = new Set([...sold.keys(), ...listed.keys(), ...stock.keys()]);
  return [...codes]
    .map((code) => {
      const name = names.get(code);
      const parentCode = name?.parentCode ?? null;
      return {
        categoryCode: code, nameZh: name?.nameZh ?? code, parentCode, parentNameZh: parentCode ? (names.get(parentCode)?.nameZh ?? null) : null,
        ...rowFigures(sold.get(code), listed.get(code), stock.get(code) ?? 0, days),
      };
    })
    .sort((a, b) => b.soldFen - a.soldFen || b.listedKg - a.listedKg || (a.categoryCode < b.categoryCode ? -1 : 1));
}

/** Every buyer type (zeros included), from sold rows keyed by buyer type. */
function buyerTypeRows(rows: Record<string, unknown>[]): BuyerTypeRow[] {
  const byType = new Map(rows.map((r) => [String(r.key), r]));
  return Object.entries(BUYER_TYPE_NAMES).map(([buyerType, nameZh]) => {
    const r = byType.get(buyerType);
    return { buyerType, nameZh, buyers: num(r?.buyers), orders: num(r?.orders), soldKg: gramsToKg(num(r?.grams)), soldFen: num(r?.fen), povertyCountyFen: num(r?.poverty_fen) };
  });
}

function toSold(rows: Record<string, unknown>[]): Keyed<Sold> {
  return new Map(rows.map((r) => [String(r.key).trim(), { grams: num(r.grams), fen: num(r.fen), orders: num(r.orders), buyers: num(r.buyers) }]));
}

function toListed(rows: Record<string, unknown>[]): Keyed<Listed> {
  return new Map(rows.map((r) => [String(r.key).trim(), { grams: num(r.grams), stalledGrams: num(r.stalled_grams) }]));
}

function figures(sold: Sold | undefined, listed: Listed | undefined): Figures {
  const soldGrams = sold?.grams ?? 0;
  const listedGrams = listed?.grams ?? 0;
  return {
    listedKg: gramsToKg(listedGrams), stalledKg: gramsToKg(listed?.stalledGrams ?? 0), soldKg: gramsToKg(soldGrams), soldFen: sold?.fen ?? 0,
    orders: sold?.orders ?? 0, buyers: sold?.buyers ?? 0, sellThroughRate: ratio(soldGrams, listedGrams),
  };
}

function rowFigures(sold: Sold | undefined, listed: Listed | undefined, stockGrams: number, days: number): RowFigures {
  return { ...figures(sold, listed), stockKg: gramsToKg(stockGrams), daysOfStockLeft: daysOfStockLeft(stockGrams, sold?.grams ?? 0, days) };
}
