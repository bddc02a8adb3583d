import iconv from 'iconv-lite';
import { DataSource } from 'typeorm';
import { type RunningApp, startApp } from '../support/apps';
import { makeCooperative } from '../support/factories';
import { IMPORT_HEADER, lotRows } from '../support/lot-rows';
import { createTestEnv, type TestEnv } from '../support/test-env';

async function upload(baseUrl: string, token: string, content: Buffer, filename: string, query = '') {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(content)]), filename);
  const response = await fetch(`${baseUrl}/api/v1/listings/import${query}`, { method: 'POST', body: form, headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, body: await response.json() };
}

describe('a cooperative lists its harvest through the API', () => {
  let env: TestEnv;
  let seller: RunningApp;
  let db: DataSource;

  beforeAll(async () => {
    env = await createTestEnv();
    seller = await startApp('seller', env);
    db = seller.app.get(DataSource);
  });

  afterAll(async () => {
    await seller?.close();
    await env?.destroy();
  });

  it('registers, imports 1,000 lots from GBK, fixes the bad rows, publishes, edits and withdraws; the invariant holds', async () => {
    const { accessToken: token } = await makeCooperative(seller.http, { organization: { regionCode: '513431' } }); // 昭觉县

    const { rows, badRows, fix } = lotRows(1000, 25);
    const first = await upload(seller.baseUrl, token, iconv.encode([IMPORT_HEADER, ...rows].join('\r\n'), 'gbk'), '2020年滞销产品.csv');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ status: 'done', totalRows: 1000, created: 960, failed: 40 });
    const failedRows = first.body.rows.filter((r: { status: string }) => r.status === 'error').map((r: { row: number }) => r.row);
    expect(failedRows).toEqual(badRows);
    for (const r of first.body.rows.filter((x: { status: string }) => x.status === 'error')) {
      expect(r.errors.length).toBeGreaterThan(0);
      for (const e of r.errors) expect(e).toEqual({ field: expect.any(String), column: expect.any(String), message: expect.any(String) });
    }

    // The clerk corrects just the rows the report named and imports them again, publishing at once.
    const fixed = await upload(seller.baseUrl, token, iconv.encode([IMPORT_HEADER, ...failedRows.map(fix)].join('\r\n'), 'gbk'), '更正.csv', '?publish=true');
    expect(fixed.body).toMatchObject({ created: 40, failed: 0 });

    const drafts = first.body.rows.filter((r: { status: string }) => r.status === 'created').map((r: { listingId: string }) => r.listingId);
    for (const id of drafts.slice(0, 20)) {
      expect((await seller.http.post(`/api/v1/listings/${id}/publish`, undefined, token)).status).toBe(200);
    }
    const edited = await seller.http.request('PATCH', `/api/v1/listings/${drafts[0]}`, { body: { unitPriceFen: 455, quantityKg: 12000.5 }, token });
    expect(edited.body).toMatchObject({ unitPriceFen: 455, quantityKg: 12000.5, status: 'active' });
    const withdrawn = await seller.http.post(`/api/v1/listings/${drafts[1]}/withdraw`, undefined, token);
    expect(withdrawn.body).toMatchObject({ status: 'withdrawn', availableKg: 0 });

    const active = await seller.http.get('/api/v1/listings?status=active&limit=100', token);
    expect(active.body.items).toHaveLength(19 + 40);
    const [{ lots, broken }] = await db.query(`SELECT count(*)::int AS lots, count(*) FILTER (WHERE available_grams + reserved_grams + sold_grams <> total_grams)::int AS broken FROM listings`);
    expect({ lots, broken }).toEqual({ lots: 1000, broken: 0 });
    const [{ events }] = await db.query(`SELECT count(*)::int AS events FROM outbox_events WHERE type = 'listing.created'`);
    expect(events).toBe(1000);
  });
});
