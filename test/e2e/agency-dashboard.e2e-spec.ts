import { DataSource } from 'typeorm';
import { chinaDate } from '@chanxiao/core';
import { monthPeriod, previousPeriod } from '@chanxiao/reporting';
import { type RunningApp, startApp } from '../support/apps';
import { buildAgencyMarket } from '../support/agency-fixture';
import { createTestEnv, type TestEnv } from '../support/test-env';

/**
 * Independent SQL for every figure, written another way than the service's (regions joined by province or
 * prefecture, "paid" as paid_at set and not cancelled, days in China time), so the two must agree.
 */
const SOLD = (group: string) => `
  SELECT ${group} AS key, sum(ol.quantity_grams)::bigint AS grams, sum(ol.amount_fen)::bigint AS fen,
         count(DISTINCT o.id)::int AS orders, count(DISTINCT o.buyer_organization_id)::int AS buyers
  FROM order_lines ol JOIN orders o ON o.id = ol.order_id JOIN listings l ON l.id = ol.listing_id JOIN regions r ON r.code = l.region_code
  WHERE (r.province_code = $1 OR r.parent_code = $1 OR r.code = $1) AND o.paid_at IS NOT NULL AND o.status <> 'cancelled'
    AND (o.paid_at AT TIME ZONE 'Asia/Shanghai')::date BETWEEN $2::date AND $3::date
  GROUP BY 1`;
const LISTED = (group: string) => `
  SELECT ${group} AS key, sum(l.total_grams + l.delisted_grams)::bigint AS grams, sum(CASE WHEN l.stalled THEN l.total_grams + l.delisted_grams ELSE 0 END)::bigint AS stalled
  FROM listings l JOIN regions r ON r.code = l.region_code
  WHERE (r.province_code = $1 OR r.parent_code = $1 OR r.code = $1) AND (l.published_at AT TIME ZONE 'Asia/Shanghai')::date BETWEEN $2::date AND $3::date
  GROUP BY 1`;

describe('agency dashboards', () => {
  let env: TestEnv;
  let seller: RunningApp;
  let buyer: RunningApp;
  let agency: RunningApp;
  let db: DataSource;
  let market: Awaited<ReturnType<typeof buildAgencyMarket>>;

  const get = (path: string, token: string) => agency.http.get(path, token);

  async function expected(region: string, from: string, to: string, group: string) {
    const [sold, listed] = await Promise.all([db.query(SOLD(group), [region, from, to]), db.query(LISTED(group), [region, from, to])]);
    const keys = new Set<string>([...sold, ...listed].map((r: { key: string }) => String(r.key).trim()));
    return new Map(
      [...keys].map((key) => {
        const s = sold.find((r: { key: string }) => String(r.key).trim() === key);
        const l = listed.find((r: { key: string }) => String(r.key).trim() === key);
        const soldGrams = Number(s?.grams ?? 0);
        const listedGrams = Number(l?.grams ?? 0);
        return [key, {
          listedKg: listedGrams / 1000, stalledKg: Number(l?.stalled ?? 0) / 1000, soldKg: soldGrams / 1000, soldFen: Number(s?.fen ?? 0),
          orders: s?.orders ?? 0, buyers: s?.buyers ?? 0, sellThroughRate: listedGrams ? Math.round((soldGrams / listedGrams) * 10000) / 10000 : null,
        }];
      }),
    );
  }

  beforeAll(async () => {
    env = await createTestEnv();
    [seller, buyer, agency] = await Promise.all([startApp('seller', env), startApp('buyer', env), startApp('agency', env)]);
    db = seller.app.get(DataSource);
    market = await buildAgencyMarket(seller, buyer, agency, db);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([seller?.close(), buyer?.close(), agency?.close()]);
    await env?.destroy();
  });

  it('gives a province its figures with last month and the period before, reconciled with the orders', async () => {
    const { from, to } = monthPeriod(market.month);
    const response = await get(`/api/v1/dashboard/summary?from=${from}&to=${to}`, market.tokens.province);
    expect(response.status).toBe(200);
    const before = previousPeriod({ from, to });
    expect(response.body).toMatchObject({ regionCode: '530000', regionName: '云南省', regionLevel: 'province', period: { from, to }, previousPeriod: before });
    // Last month: 1000 kg apples at 6.80, 200 kg rice at 9.80, 300 kg kiwi at 3.33; Gansu's sale is not Yunnan's.
    expect(response.body.current).toEqual({ listedKg: 13000, stalledKg: 13000, soldKg: 1500, soldFen: 680000 + 196000 + 99900, orders: 3, buyers: 2, sellThroughRate: 0.1154 });
    const totals = async (f: string, t: string) => (await expected('530000', f, t, `'all'`)).get('all') ?? { listedKg: 0, stalledKg: 0, soldKg: 0, soldFen: 0, orders: 0, buyers: 0, sellThroughRate: null };
    expect(response.body.current).toEqual(await totals(from, to));
    expect(response.body.previous).toEqual(await totals(before.from, before.to));
    // Stock now: what the province's active lots have available.
    const [{ grams }] = await db.query(`SELECT sum(available_grams) AS grams FROM listings l JOIN regions r ON r.code = l.region_code WHERE r.province_code = '530000' AND l.status = 'active'`);
    expect(response.body.stockKg).toBe(Number(grams) / 1000);
  });

  it('reconciles every county row and every category row with the orders and lots, for several periods', async () => {
    const month = monthPeriod(market.month);
    for (const [from, to] of [[month.from, month.to], [month.from, chinaDate()], [chinaDate(), chinaDate()]]) {
      const counties = await get(`/api/v1/dashboard/counties?from=${from}&to=${to}`, market.tokens.province);
      expect(counties.status).toBe(200);
      const byCounty = await expected('530000', from, to, 'l.region_code');
      const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM regions WHERE level = 3 AND province_code = '530000'`);
      expect(counties.body.items).toHaveLength(n);
      for (const row of counties.body.items) {
        const want = byCounty.get(row.regionCode) ?? { listedKg: 0, stalledKg: 0, soldKg: 0, soldFen: 0, orders: 0, buyers: 0, sellThroughRate: null };
        expect({ code: row.regionCode, listedKg: row.listedKg, stalledKg: row.stalledKg, soldKg: row.soldKg, soldFen: row.soldFen, orders: row.orders, buyers: row.buyers, sellThroughRate: row.sellThroughRate }).toEqual({ code: row.regionCode, ...want });
      }
      const sum = (key: 'soldFen' | 'soldKg') => counties.body.items.reduce((t: number, r: Record<string, number>) => t + r[key], 0);
      const summary = await get(`/api/v1/dashboard/summary?from=${from}&to=${to}`, market.tokens.province);
      expect(sum('soldFen')).toBe(summary.body.current.soldFen);
      expect(Math.round(sum('soldKg') * 1000)).toBe(Math.round(summary.body.current.soldKg * 1000));

      const categories = await get(`/api/v1/dashboard/categories?from=${from}&to=${to}`, market.tokens.province);
      const byCategory = await expected('530000', from, to, 'l.category_code');
      for (const [code, want] of byCategory) {
        const row = categories.body.items.find((r: { categoryCode: string }) => r.categoryCode === code);
        expect({ code, listedKg: row.listedKg, stalledKg: row.stalledKg, soldKg: row.soldKg, soldFen: row.soldFen, orders: row.orders, buyers: row.buyers, sellThroughRate: row.sellThroughRate }).toEqual({ code, ...want });
      }
    }
    // Supervised counties come first; 广南县's row carries its flags, names and stock.
    const counties = await get(`/api/v1/dashboard/counties?from=${month.from}&to=${month.to}`, market.tokens.province);
    const supervised = counties.body.items.filter((r: { isSupervisedCounty: boolean }) => r.isSupervisedCounty).length;
    expect(counties.body.items.slice(0, supervised).every((r: { isSupervisedCounty: boolean }) => r.isSupervisedCounty)).toBe(true);
    const guangnan = counties.body.items.find((r: { regionCode: string }) => r.regionCode === '532627');
    expect(guangnan).toMatchObject({ name: '广南县', cityName: '文山壮族苗族自治州', isPovertyCounty: true, isSupervisedCounty: true, soldKg: 1200, soldFen: 876000 });
    // Apples 10000 − 1000 − 700.5 − 400 (held) = 7899.5 and rice 5000 − 200 = 4800 are available; 1200 kg sold in the month.
    const days = Number(month.to.slice(8));
    expect(guangnan.stockKg).toBe(12699.5);
    expect(guangnan.daysOfStockLeft).toBe(Math.round((12699.5 / (1200 / days)) * 10) / 10);
  });

  it('gives a prefecture its counties only and a county itself only; another region answers 404', async () => {
    const city = await get('/api/v1/dashboard/counties', market.tokens.city);
    expect(city.status).toBe(200);
    const codes = city.body.items.map((r: { regionCode: string }) => r.regionCode);
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM regions WHERE level = 3 AND parent_code = '532600'`);
    expect(codes).toHaveLength(n);
    expect(codes).toEqual(expect.arrayContaining(['532627', '532628']));
    expect(codes).not.toContain('530828');

    const county = await get('/api/v1/dashboard/counties', market.tokens.county);
    expect(county.body.items.map((r: { regionCode: string }) => r.regionCode)).toEqual(['532627']);
    for (const path of ['/api/v1/dashboard/summary?regionCode=532628', '/api/v1/dashboard/counties?regionCode=532600', '/api/v1/listings/at-risk?regionCode=530000', '/api/v1/reports/monthly?month=2020-03&regionCode=532628']) {
      const response = await get(path, market.tokens.county);
      expect({ path, status: response.status }).toEqual({ path, status: 404 });
    }
    // The neighbouring county's kiwi sale is visible to the prefecture, not to 广南县.
    const { from, to } = monthPeriod(market.month);
    const neighbour = await get(`/api/v1/dashboard/summary?regionCode=532628&from=${from}&to=${to}`, market.tokens.city);
    expect(neighbour.body.current).toMatchObject({ soldKg: 300, soldFen: 99900 });
    expect((await get('/api/v1/dashboard/summary?regionCode=532628', market.tokens.province)).status).toBe(200);
    expect((await get('/api/v1/dashboard/summary?regionCode=620000', market.tokens.province)).status).toBe(404);
    expect((await get('/api/v1/dashboard/summary?regionCode=999999', market.tokens.province)).status).toBe(404);
    expect((await get('/api/v1/dashboard/summary?regionCode=53', market.tokens.province)).status).toBe(400);
    expect((await get('/api/v1/dashboard/summary?from=2020-02-30', market.tokens.province)).status).toBe(400);
    expect((await get('/api/v1/dashboard/summary', '')).status).toBe(401);
  });

  it('lists at-risk lots in scope: supervised counties first, then by best-before, matching the lots table', async () => {
    const response = await get('/api/v1/listings/at-risk', market.tokens.province);
    expect(response.status).toBe(200);
    const { rice, apples, kiwi } = market.lots;
    expect(response.body.items.map((l: { id: string }) => l.id)).toEqual([rice.id, apples.id, kiwi.id]);
    expect(response.body.items[0]).toMatchObject({ countyName: '广南县', isSupervisedCounty: true, stalled: false, reasons: ['expiring'], daysToBestBefore: 3, availableKg: 4800 });
    expect(response.body.items[1]).toMatchObject({ reasons: ['stalled'], availableKg: 7899.5, categoryNameZh: '苹果' });
    const rows = await db.query(
      `SELECT l.id FROM listings l JOIN regions r ON r.code = l.region_code
       WHERE r.province_code = '530000' AND l.status = 'active' AND l.available_grams > 0 AND (l.stalled OR l.best_before <= $1::date + 7)
       ORDER BY r.is_supervised_county DESC, l.best_before, l.stalled DESC, l.available_grams DESC, l.id`,
      [chinaDate()],
    );
    expect(response.body.items.map((l: { id: string }) => l.id)).toEqual(rows.map((r: { id: string }) => r.id));
    // Paging, and a horizon that takes in the tea (best-before in 300 days).
    const first = await get('/api/v1/listings/at-risk?limit=2', market.tokens.province);
    expect(first.body.items).toHaveLength(2);
    const second = await get(`/api/v1/listings/at-risk?limit=2&cursor=${first.body.nextCursor}`, market.tokens.province);
    expect(second.body).toMatchObject({ items: [{ id: kiwi.id }], nextCursor: null });
    const wide = await get('/api/v1/listings/at-risk?withinDays=90', market.tokens.province);
    expect(wide.body.items).toHaveLength(3);
    const county = await get('/api/v1/listings/at-risk', market.tokens.county);
    expect(county.body.items.map((l: { id: string }) => l.id)).toEqual([rice.id, apples.id]);
  });

  it('draws a monthly trend whose months add up to the orders', async () => {
    const response = await get('/api/v1/dashboard/trend?months=3', market.tokens.province);
    expect(response.status).toBe(200);
    const months = response.body.items.map((p: { month: string }) => p.month);
    expect(months).toHaveLength(3);
    expect(months.at(-1)).toBe(chinaDate().slice(0, 7));
    const last = response.body.items.find((p: { month: string }) => p.month === market.month);
    expect(last).toMatchObject({ soldKg: 1500, soldFen: 975900, orders: 3 });
    const now = response.body.items.at(-1);
    // This month: 700.5 kg apples at 6.80 = 4,763.40 元 and 50.001 kg tea at 168.00 = 8,400.17 元.
    expect(now).toMatchObject({ soldKg: 750.501, soldFen: 476340 + 840017, orders: 2 });
  });
});
