import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { DataSource } from 'typeorm';
import { monthPeriod } from '@chanxiao/reporting';
import { type RunningApp, startApp } from '../support/apps';
import { buildAgencyMarket } from '../support/agency-fixture';
import { createTestEnv, type TestEnv } from '../support/test-env';

/** Fetches a report as bytes with its headers. */
async function fetchReport(agency: RunningApp, query: string, token: string) {
  const response = await fetch(`${agency.baseUrl}/api/v1/reports/monthly?${query}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}

/** A sheet's rows as arrays of cell values (1-based columns shifted to 0-based). */
function rowsOf(sheet: ExcelJS.Worksheet): ExcelJS.CellValue[][] {
  const rows: ExcelJS.CellValue[][] = [];
  sheet.eachRow((row) => rows.push((row.values as ExcelJS.CellValue[]).slice(1)));
  return rows;
}

describe('the monthly report', () => {
  let env: TestEnv;
  let seller: RunningApp;
  let buyer: RunningApp;
  let agency: RunningApp;
  let db: DataSource;
  let market: Awaited<ReturnType<typeof buildAgencyMarket>>;
  let dashboard: { summary: any; counties: any[]; categories: any[] };

  beforeAll(async () => {
    env = await createTestEnv();
    [seller, buyer, agency] = await Promise.all([startApp('seller', env), startApp('buyer', env), startApp('agency', env)]);
    db = seller.app.get(DataSource);
    market = await buildAgencyMarket(seller, buyer, agency, db);
    const { from, to } = monthPeriod(market.month);
    const q = `from=${from}&to=${to}`;
    const token = market.tokens.province;
    dashboard = {
      summary: (await agency.http.get(`/api/v1/dashboard/summary?${q}`, token)).body,
      counties: (await agency.http.get(`/api/v1/dashboard/counties?${q}`, token)).body.items,
      categories: (await agency.http.get(`/api/v1/dashboard/categories?${q}`, token)).body.items,
    };
  }, 60_000);

  afterAll(async () => {
    await Promise.all([seller?.close(), buyer?.close(), agency?.close()]);
    await env?.destroy();
  });

  it('writes the XLSX with Chinese sheets and headers, yuan with two decimals, and every sold line', async () => {
    const report = await fetchReport(agency, `month=${market.month}&format=xlsx`, market.tokens.province);
    expect(report.status).toBe(200);
    expect(report.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(report.headers.get('content-disposition')).toContain(`chanxiao-monthly-report-530000-${market.month}.xlsx`);
    expect(Date.parse(report.headers.get('x-report-generated-at')!)).toBeGreaterThan(Date.now() - 60_000);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(report.bytes as never);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['汇总', '分县统计', '挂牌督战县', '分品类统计', '消费扶贫按采购方类型', '消费扶贫认购进度', '专项行动', '物流补贴', '销售明细']);

    const summary = workbook.getWorksheet('汇总')!;
    const label = (text: string) => rowsOf(summary).find((r) => r[0] === text)!;
    expect(label('地区')[1]).toBe('云南省（530000）');
    expect(label('销售额（元）')[1]).toBe(9759); // 975,900 fen
    const soldCell = summary.getRow(rowsOf(summary).findIndex((r) => r[0] === '销售额（元）') + 1).getCell(2);
    expect(soldCell.numFmt).toBe('#,##0.00');
    expect(label('销售量（公斤）')[1]).toBe(dashboard.summary.current.soldKg);
    expect(label('上架量（公斤）')[1]).toBe(dashboard.summary.current.listedKg);
    expect(label('订单数')[1]).toBe(3);

    const counties = rowsOf(workbook.getWorksheet('分县统计')!);
    expect(counties[0].slice(0, 9)).toEqual(['县（区）代码', '县（区）', '所属市（州）', '国家扶贫开发工作重点县', '挂牌督战县', '上架量（公斤）', '其中滞销（公斤）', '销售量（公斤）', '销售额（元）']);
    expect(counties).toHaveLength(dashboard.counties.length + 1);
    for (const row of counties.slice(1)) {
      const api = dashboard.counties.find((c) => c.regionCode === row[0]);
      expect([row[0], row[5], row[7], row[8], row[9]]).toEqual([api.regionCode, api.listedKg, api.soldKg, api.soldFen / 100, api.orders]);
    }
    const [{ n: supervisedCount }] = await db.query(`SELECT count(*)::int AS n FROM regions WHERE province_code = '530000' AND is_supervised_county`);
    const supervised = rowsOf(workbook.getWorksheet('挂牌督战县')!).slice(1);
    expect(supervised).toHaveLength(supervisedCount);
    expect(supervised.every((r) => r[4] === '是')).toBe(true);

    const categories = rowsOf(workbook.getWorksheet('分品类统计')!).slice(1);
    expect(categories.map((r) => [r[0], r[6], r[5] ? r[6] : r[6]])).toEqual(dashboard.categories.map((c) => [c.categoryCode, c.soldFen / 100, c.soldFen / 100]));

    const buyerTypes = rowsOf(workbook.getWorksheet('消费扶贫按采购方类型')!);
    const canteen = buyerTypes.find((r) => r[0] === 'consumption_assistance')!;
    // The canteen bought 200 kg of rice last month (1,960.00 元), all from a poverty county.
    expect(canteen.slice(2)).toEqual([1, 1, 200, 1960, 1960]);
    expect(buyerTypes.at(-1)!.slice(1)).toEqual(['合计', undefined, 3, 1500, 9759, 9759]);

    const lines = rowsOf(workbook.getWorksheet('销售明细')!);
    expect(lines[0]).toEqual(['付款时间', '订单号', '行号', '订单状态', '县（区）代码', '县（区）', '品类', '品名', '卖方', '买方', '采购方类型', '数量（公斤）', '单价（元/公斤）', '金额（元）']);
    const sql = await db.query(
      `SELECT o.id, ol.quantity_grams::int AS grams, ol.amount_fen::int AS fen FROM orders o JOIN order_lines ol ON ol.order_id = o.id JOIN listings l ON l.id = ol.listing_id
       WHERE l.region_code LIKE '53%' AND o.status <> 'cancelled' AND o.paid_at IS NOT NULL AND to_char(o.paid_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') = $1 ORDER BY o.paid_at`,
      [market.month],
    );
    expect(lines.slice(1).map((r) => [r[1], r[11], r[13]])).toEqual(sql.map((r: { id: string; grams: number; fen: number }) => [r.id, r.grams / 1000, r.fen / 100]));
    expect(lines[3][3]).toBe('已发货');
    // Payment times are Beijing wall time: the fixture paid the apples at 10:00 on the 10th.
    expect((lines[1][0] as Date).toISOString()).toBe(`${market.month}-10T10:00:00.000Z`);
  });

  it('writes the CSV with the same sections, yuan as text with two decimals', async () => {
    const report = await fetchReport(agency, `month=${market.month}&format=csv`, market.tokens.province);
    expect(report.status).toBe(200);
    const text = report.bytes.toString('utf8');
    expect(text.startsWith('\uFEFF【汇总】')).toBe(true);
    const rows: string[][] = parse(text.slice(1), { relax_column_count: true, skip_empty_lines: true });
    const section = (name: string) => {
      const start = rows.findIndex((r) => r[0] === `【${name}】`);
      const end = rows.findIndex((r, i) => i > start && /^【.+】$/.test(r[0]));
      return rows.slice(start + 1, end < 0 ? undefined : end);
    };
    expect(section('汇总').find((r) => r[0] === '销售额（元）')!.slice(1)).toEqual(['9759.00', expect.any(String)]);
    const guangnan = section('分县统计').find((r) => r[0] === '532627')!;
    expect(guangnan.slice(1, 9)).toEqual(['广南县', '文山壮族苗族自治州', '是', '是', '10000', '10000', '1200', '8760.00']);
    const lines = section('销售明细');
    expect(lines).toHaveLength(1 + 3);
    expect(lines.slice(1).map((r) => r[13]).sort()).toEqual(['1960.00', '6800.00', '999.00']);
  });

  it('writes the JSON with money in fen, equal to the dashboard for the month', async () => {
    const report = await fetchReport(agency, `month=${market.month}&format=json`, market.tokens.province);
    expect(report.status).toBe(200);
    const body = JSON.parse(report.bytes.toString('utf8'));
    expect(body).toMatchObject({ month: market.month, regionCode: '530000', regionName: '云南省', lineCount: 3, generatedAt: report.headers.get('x-report-generated-at') });
    expect(body.summary.current).toEqual(dashboard.summary.current);
    expect(body.counties).toEqual(dashboard.counties);
    expect(body.categories).toEqual(dashboard.categories);
    expect(body.supervisedCounties.map((c: { regionCode: string }) => c.regionCode)).toEqual(dashboard.counties.filter((c) => c.isSupervisedCounty).map((c) => c.regionCode));
    expect(body.buyerTypes.find((b: { buyerType: string }) => b.buyerType === 'wholesale_market')).toMatchObject({ buyers: 1, orders: 2, soldKg: 1300, soldFen: 779900 });
  });

  it('serves a stored report as stored until refresh=true regenerates it', async () => {
    const query = `month=${market.month}&format=xlsx&regionCode=532600`;
    const first = await fetchReport(agency, query, market.tokens.city);
    const again = await fetchReport(agency, query, market.tokens.city);
    expect(again.headers.get('x-report-generated-at')).toBe(first.headers.get('x-report-generated-at'));
    expect(again.bytes.equals(first.bytes)).toBe(true);
    // A sale that arrives later shows only after a refresh.
    const before = await fetchReport(agency, `month=${market.month}&format=json&regionCode=532600`, market.tokens.city);
    await db.query(`UPDATE orders SET paid_at = $1 WHERE id = (SELECT o.id FROM orders o JOIN order_lines ol ON ol.order_id = o.id WHERE ol.listing_id = $2 AND o.status = 'paid' AND o.paid_at > $1)`, [`${market.month}-25T09:00:00+08:00`, market.lots.apples.id]);
    const stale = await fetchReport(agency, `month=${market.month}&format=json&regionCode=532600`, market.tokens.city);
    const refreshed = await fetchReport(agency, `month=${market.month}&format=json&regionCode=532600&refresh=true`, market.tokens.city);
    expect(stale.bytes.equals(before.bytes)).toBe(true);
    expect(Date.parse(refreshed.headers.get('x-report-generated-at')!)).toBeGreaterThan(Date.parse(stale.headers.get('x-report-generated-at')!));
    expect(JSON.parse(refreshed.bytes.toString()).summary.current.soldKg).toBe(JSON.parse(stale.bytes.toString()).summary.current.soldKg + 700.5);
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM monthly_reports WHERE region_code = '532600' AND month = $1`, [market.month]);
    expect(n).toBe(2); // xlsx and json, each stored once
    await db.query(`UPDATE orders SET paid_at = now() WHERE paid_at = $1`, [`${market.month}-25T09:00:00+08:00`]);
  });

  it('refuses a bad month, a future month, and a region outside the caller’s scope', async () => {
    expect((await fetchReport(agency, 'month=2020-13', market.tokens.province)).status).toBe(400);
    expect((await fetchReport(agency, 'month=2999-01', market.tokens.province)).status).toBe(400);
    expect((await fetchReport(agency, `month=${market.month}&format=pdf`, market.tokens.province)).status).toBe(400);
    expect((await fetchReport(agency, `month=${market.month}&regionCode=620000`, market.tokens.province)).status).toBe(404);
    expect((await fetchReport(agency, `month=${market.month}&regionCode=530000`, market.tokens.city)).status).toBe(404);
  });
});
