import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { DataSource } from 'typeorm';
import { addDays, chinaDate } from '@chanxiao/core';
import { type RunningApp, startApp } from '../support/apps';
import { makeCooperative } from '../support/factories';
import { createTestEnv, type TestEnv } from '../support/test-env';

const today = chinaDate();
const HEADER = '品类代码,标题,品种,等级,数量(公斤),起订量(公斤),单价(元/公斤),采收日期,最佳食用期至,需冷链,滞销,扶贫产品认定编号,产地县代码';

/** A CSV of good and bad rows, as a cooperative's clerk would type it. */
function mixedCsv(): string {
  return [
    HEADER,
    `fruit.apple,秦安花牛苹果 一级,花牛,一级,20000,500,6.80,${addDays(today, -10)},${addDays(today, 120)},否,是,FP2020-620522-0137,`,
    `veg.potato,昭觉高原马铃薯,青薯9号,统货,"50,000",1000,1.2,${addDays(today, -5).replace(/-/g, '/')},${addDays(today, 90)},否,是,,513431`,
    `fruit.apple,价格写错,,,100,10,六块八,${addDays(today, -10)},${addDays(today, 60)},否,否,,`,
    `fruit.durian,品类不存在,,,100,10,5,${addDays(today, -10)},${addDays(today, 60)},否,否,,`,
    `fruit.kiwi,起订量大于数量,,,100,200,9.5,${addDays(today, -3)},${addDays(today, 40)},是,否,,`,
    `fungi.shiitake,鲜香菇 冷链,,,800.125,50,12,${addDays(today, -1)},${addDays(today, 5)},是,是,,`,
    `grain.rice,数量有四位小数,,,1.2345,1,4,${addDays(today, -30)},${addDays(today, 300)},否,否,,`,
  ].join('\r\n');
}

async function upload(http: RunningApp['http'], token: string, content: Buffer, filename: string, query = '') {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(content)]), filename);
  const response = await fetch(`${http.baseUrl}/api/v1/listings/import${query}`, { method: 'POST', body: form, headers: { authorization: `Bearer ${token}`, 'accept-language': 'en' } });
  return { status: response.status, body: await response.json() };
}

describe('listing import', () => {
  let env: TestEnv;
  let seller: RunningApp;
  let matcher: RunningApp | undefined;
  let db: DataSource;
  let token: string;

  beforeAll(async () => {
    env = await createTestEnv();
    seller = await startApp('seller', env, env.configWith({ IMPORT_SYNC_MAX_ROWS: '50' }));
    db = seller.app.get(DataSource);
    token = (await makeCooperative(seller.http, { organization: { regionCode: '620522' } })).accessToken;
  });

  afterAll(async () => {
    await matcher?.close();
    await seller?.close();
    await env?.destroy();
  });

  it('serves an XLSX template with Chinese headers, a category sheet and drop-downs', async () => {
    const response = await fetch(`${seller.baseUrl}/api/v1/listings/import/template`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as never);
    const [sheet, categories] = workbook.worksheets;
    expect(sheet.getRow(1).values).toEqual(expect.arrayContaining(['品类代码', '数量(公斤)', '单价(元/公斤)']));
    expect(categories.name).toBe('品类代码');
    expect(categories.rowCount).toBeGreaterThan(60);
  });

  const expectMixedReport = (body: any) => {
    expect(body).toMatchObject({ status: 'done', totalRows: 7, processedRows: 7, created: 3, failed: 4 });
    const byRow = Object.fromEntries(body.rows.map((r: { row: number }) => [r.row, r]));
    expect(byRow[2]).toMatchObject({ status: 'created', listingId: expect.any(String), errors: [] });
    expect(byRow[3]).toMatchObject({ status: 'created' });
    expect(byRow[4].errors).toEqual([{ field: 'unitPriceYuan', column: '单价(元/公斤)', message: expect.stringContaining('price in yuan') }]);
    expect(byRow[5].errors).toEqual([{ field: 'categoryCode', column: '品类代码', message: 'fruit.durian is not a category code' }]);
    expect(byRow[6].errors).toEqual([{ field: 'minOrderKg', column: '起订量(公斤)', message: 'must not exceed quantityKg' }]);
    expect(byRow[7]).toMatchObject({ status: 'created' });
    expect(byRow[8].errors).toEqual([{ field: 'quantityKg', column: '数量(公斤)', message: 'must have at most 3 decimals (whole grams)' }]);
  };

  it.each([
    ['UTF-8 CSV', () => Buffer.from(mixedCsv(), 'utf8'), 'lots.csv'],
    ['UTF-8 CSV with a BOM', () => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(mixedCsv(), 'utf8')]), 'lots.csv'],
    ['GBK CSV, as Chinese Excel saves it', () => iconv.encode(mixedCsv(), 'gbk'), '产品清单.csv'],
  ])('imports a mixed good/bad %s into drafts with a per-row report', async (_, make, filename) => {
    const response = await upload(seller.http, token, make(), filename);
    expect(response.status).toBe(200);
    expectMixedReport(response.body);
    const potato = response.body.rows.find((r: { row: number }) => r.row === 3);
    const [lot] = await db.query(`SELECT status, total_grams::int AS total, unit_price_fen, harvested_on::text, region_code FROM listings WHERE id = $1`, [potato.listingId]);
    expect(lot).toEqual({ status: 'draft', total: 50000000, unit_price_fen: 120, harvested_on: addDays(today, -5), region_code: '513431' });
    const shiitake = response.body.rows.find((r: { row: number }) => r.row === 7);
    expect((await db.query(`SELECT total_grams::int AS total FROM listings WHERE id = $1`, [shiitake.listingId]))[0].total).toBe(800125);
  });

  it('imports the same rows from XLSX', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('产品清单');
    for (const line of mixedCsv().split('\r\n')) sheet.addRow(line.match(/("[^"]*"|[^,]*)(,|$)/g)!.slice(0, 13).map((c) => c.replace(/,$/, '').replace(/^"|"$/g, '')));
    const response = await upload(seller.http, token, Buffer.from(await workbook.xlsx.writeBuffer()), 'lots.xlsx');
    expect(response.status).toBe(200);
    expectMixedReport(response.body);
  });

  it('publishes valid rows with ?publish=true, applying the publish rules too', async () => {
    const csv = [HEADER, `fruit.lychee,荔枝 过期,妃子笑,,1000,100,18,${addDays(today, -3)},${addDays(today, 60)},是,是,,`, `fruit.lychee,荔枝 新鲜,妃子笑,,1000,100,18,${addDays(today, -1)},${addDays(today, 4)},是,是,,`].join('\n');
    const response = await upload(seller.http, token, Buffer.from(csv), 'lychee.csv', '?publish=true');
    expect(response.body).toMatchObject({ created: 1, failed: 1 });
    expect(response.body.rows[0].errors[0]).toMatchObject({ field: 'bestBefore', message: expect.stringContaining('荔枝 typically keeps') });
    const id = response.body.rows[1].listingId;
    expect((await db.query(`SELECT status FROM listings WHERE id = $1`, [id]))[0].status).toBe('active');
    const events = await db.query(`SELECT type FROM outbox_events WHERE aggregate_id = $1 ORDER BY id`, [id]);
    expect(events.map((e: { type: string }) => e.type)).toEqual(['listing.created', 'listing.published']);
  });

  it.each([
    ['a PDF', Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\n'), 'lots.pdf', 415],
    ['a PNG renamed .csv', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), 'lots.csv', 415],
    ['a header with no rows', Buffer.from(HEADER), 'empty.csv', 400],
    ['missing columns', Buffer.from('标题,数量(公斤)\n苹果,100'), 'lots.csv', 400],
  ])('refuses %s with a clear 4xx and creates nothing', async (_, content, filename, status) => {
    const before = Number((await db.query(`SELECT count(*) AS n FROM listings`))[0].n);
    const response = await upload(seller.http, token, content, filename);
    expect(response.status).toBe(status);
    expect(response.body.details[0]).toMatchObject({ field: 'file', message: expect.any(String) });
    expect(Number((await db.query(`SELECT count(*) AS n FROM listings`))[0].n)).toBe(before);
  });

  it('refuses a file over the size limit with 413', async () => {
    const response = await upload(seller.http, token, Buffer.alloc(11 * 1024 * 1024, 0x41), 'huge.csv');
    expect(response.status).toBe(413);
  });

  it('answers 404 for an import id that is not a uuid', async () => {
    expect((await seller.http.get('/api/v1/listings/import/latest', token)).status).toBe(404);
  });

  it('refuses a request without a file', async () => {
    const response = await seller.http.post('/api/v1/listings/import', { file: 'x' }, token);
    expect(response.status).toBe(400);
    expect(response.body.details).toEqual([{ field: 'file', message: expect.any(String) }]);
  });

  it('runs a file over the synchronous limit as a job in the matcher, with readable progress', async () => {
    matcher = await startApp('matcher', env, env.configWith({ IMPORT_SYNC_MAX_ROWS: '50' }));
    const rows = Array.from({ length: 120 }, (_, i) => `veg.chinese_cabbage,大白菜 ${i + 1} 号地块,,,${1000 + i},100,0.8,${addDays(today, -2)},${addDays(today, 25)},否,是,,`);
    const response = await upload(seller.http, token, Buffer.from([HEADER, ...rows].join('\n')), 'cabbage.csv', '?publish=true');
    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({ status: 'queued', totalRows: 120, rows: [] });
    let progress: any;
    for (let i = 0; i < 100; i++) {
      progress = (await seller.http.get(`/api/v1/listings/import/${response.body.importId}`, token)).body;
      if (progress.status === 'done' || progress.status === 'failed') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(progress).toMatchObject({ status: 'done', processedRows: 120, created: 120, failed: 0 });
    expect(progress.rows).toHaveLength(120);
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM listings WHERE title LIKE '大白菜 %' AND status = 'active'`);
    expect(n).toBe(120);
  });

  it("answers 404 for another organisation's import", async () => {
    const response = await upload(seller.http, token, Buffer.from(mixedCsv()), 'lots.csv');
    const other = await makeCooperative(seller.http);
    expect((await seller.http.get(`/api/v1/listings/import/${response.body.importId}`, other.accessToken)).status).toBe(404);
  });
});
