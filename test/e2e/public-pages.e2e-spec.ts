import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { DataSource } from 'typeorm';
import { addDays, chinaDate } from '@chanxiao/core';
import { webp } from '@chanxiao/listings/photos/__fixtures__/make-images';
import { type RunningApp, startApp } from '../support/apps';
import { makeBuyer, makeCooperative, makeListing } from '../support/factories';
import { createTestEnv, type TestEnv } from '../support/test-env';

const ACCOUNT = { accountName: '广南县八宝贡米农民专业合作社', bankName: '中国农业银行广南县支行', accountNo: '6228480123456789012' };
const LOT_LINK = /href="[^"]*\/l\/([0-9a-f-]{36})"/g;

describe('public pages (no login): a lot, its QR code, a county board', () => {
  let env: TestEnv;
  let dir: string;
  let seller: RunningApp;
  let buyer: RunningApp;
  let limited: RunningApp;
  let db: DataSource;
  let coop: Awaited<ReturnType<typeof makeCooperative>>;
  let purchaser: Awaited<ReturnType<typeof makeBuyer>>;
  let lot: { id: string; title: string };

  // A fresh client IP per test (the app trusts X-Forwarded-For as a proxy would set it), so the rate limit of one
  // test never spills into another.
  const get = async (app: RunningApp, path: string, ip = `198.51.100.${Math.floor(Math.random() * 250) + 1}`) => {
    const response = await fetch(app.baseUrl + path, { headers: { 'x-forwarded-for': ip } });
    return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
  };
  const page = async (app: RunningApp, path: string, ip?: string) => {
    const response = await get(app, path, ip);
    return { ...response, text: response.bytes.toString('utf8') };
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'chanxiao-public-'));
    env = await createTestEnv();
    const config = env.configWith({ PHOTO_STORAGE_DIR: dir });
    [seller, buyer, limited] = await Promise.all([
      startApp('seller', env, config),
      startApp('buyer', env, config),
      startApp('buyer', env, env.configWith({ PHOTO_STORAGE_DIR: dir, PUBLIC_PAGE_RATE_LIMIT_PER_MINUTE: '5', PUBLIC_BASE_URL: 'https://buy.example.cn/' })),
    ]);
    db = seller.app.get(DataSource);
    coop = await makeCooperative(seller.http); // 广南县: a supervised (督战) poverty county
    expect((await seller.http.request('PUT', '/api/v1/organization/payout-account', { body: ACCOUNT, token: coop.accessToken })).status).toBe(200);
    lot = await makeListing(seller.http, coop.accessToken, { title: '广南八宝贡米 <b>新米</b>', variety: '八宝贡米', categoryCode: 'grain.rice', unitPriceFen: 1280, quantityKg: 5000, minOrderKg: 50 });
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(await webp(640, 480))], { type: 'image/webp' }), 'rice.webp');
    const uploaded = await fetch(`${seller.baseUrl}/api/v1/listings/${lot.id}/photos`, { method: 'POST', body: form, headers: { authorization: `Bearer ${coop.accessToken}` } });
    expect(uploaded.status).toBe(201);
    // A buyer has ordered some: nothing about them may show.
    purchaser = await makeBuyer(buyer.http);
    const ordered = await buyer.http.request('POST', '/api/v1/orders', {
      body: { lines: [{ listingId: lot.id, quantityKg: 100 }], paymentMethod: 'bank_transfer' }, token: purchaser.accessToken, headers: { 'idempotency-key': randomUUID() },
    });
    expect(ordered.status).toBe(201);
  });

  afterAll(async () => {
    await Promise.all([seller?.close(), buyer?.close(), limited?.close()]);
    await env?.destroy();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('shows an active lot without a token: title, price, stock, county with badges, seller, buy link and Open Graph tags', async () => {
    const response = await page(buyer, `/l/${lot.id}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('public, max-age=60');
    const html = response.text;
    expect(html).toMatch(/^<!doctype html>\n<html lang="zh-CN">/);
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    // The title is escaped, never markup.
    expect(html).toContain('广南八宝贡米 &lt;b&gt;新米&lt;/b&gt;');
    expect(html).not.toContain('<b>新米</b>');
    expect(html).toContain('12.80 <small>元/公斤</small>');
    expect(html).toContain('4,900 公斤'); // 5,000 kg less the 100 kg ordered
    expect(html).toContain('云南省 文山壮族苗族自治州 广南县');
    expect(html).toContain('<span class="badge supervised">督战</span>');
    expect(html).toContain('<span class="badge poverty">贫困县</span>');
    expect(html).toContain(`<dd>${addDays(chinaDate(), 120)}</dd>`);
    expect(html).toContain('FP2020-620522-0137');
    expect(html).toContain('广南县八宝贡米农民专业合作社');
    expect(html).toContain(`<a class="buy" href="${buyer.baseUrl}/#/lots/${lot.id}">立即购买</a>`);
    expect(html).toContain(`<meta property="og:title" content="广南八宝贡米 &lt;b&gt;新米&lt;/b&gt; · 广南县 · 产销通">`);
    expect(html).toContain('<meta property="og:description" content="云南省 文山壮族苗族自治州 广南县 · 12.80 元/公斤');
    expect(html).toContain(`<meta property="og:url" content="${buyer.baseUrl}/l/${lot.id}">`);
    const image = /<meta property="og:image" content="([^"]+)">/.exec(html)?.[1];
    expect(image).toMatch(new RegExp(`^${buyer.baseUrl}/media/photos/[^"]+\\.webp$`));
    expect((await get(buyer, new URL(image!).pathname)).status).toBe(200);
    expect(html).not.toMatch(/<script/i);
  });

  it('never shows a phone number, credit code, account number or anything about buyers', async () => {
    const html = (await page(buyer, `/l/${lot.id}`)).text + (await page(buyer, '/c/532627')).text;
    for (const secret of [coop.input.organization.contactPhone, coop.input.user.phone, coop.input.organization.creditCode, ACCOUNT.accountNo, ACCOUNT.bankName, coop.input.user.name,
      purchaser.input.organization.name, purchaser.input.organization.contactPhone, purchaser.input.organization.creditCode, purchaser.organization.id, coop.organization.id]) {
      expect(html).not.toContain(secret);
    }
    // No mainland mobile number at all. Lot and photo ids are random UUIDs whose hex may hold eleven digits in a row
    // (…-16306049910d): those are taken out first, everything else on the page is searched.
    const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
    expect(html.replace(UUID, '<id>')).not.toMatch(/1[3-9]\d{9}/);
  });

  it('answers the same Chinese 404 page for drafts, withdrawn, expired, unknown and malformed lots', async () => {
    const draft = await makeListing(seller.http, coop.accessToken, {}, false);
    const withdrawn = await makeListing(seller.http, coop.accessToken);
    expect((await seller.http.post(`/api/v1/listings/${withdrawn.id}/withdraw`, undefined, coop.accessToken)).status).toBe(200);
    const expired = await makeListing(seller.http, coop.accessToken);
    await db.query(`UPDATE listings SET status = 'expired' WHERE id = $1`, [expired.id]);
    const bodies = new Set<string>();
    for (const path of [`/l/${draft.id}`, `/l/${withdrawn.id}`, `/l/${expired.id}`, `/l/${randomUUID()}`, '/l/not-a-lot', `/l/${draft.id}/qr.png`, '/c/999999', '/c/532600', '/c/abc']) {
      const response = await page(buyer, path);
      expect([path, response.status]).toEqual([path, 404]);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      bodies.add(response.text);
    }
    expect(bodies.size).toBe(1);
    const [body] = bodies;
    expect(body).toContain('<html lang="zh-CN">');
    expect(body).toContain('页面不存在');
  });

  it("lists a county's active stalled lots, most urgent first, and not its drafts or unstalled lots", async () => {
    const soon = await makeListing(seller.http, coop.accessToken, { title: '广南高山茶 五天', categoryCode: 'tea.green', bestBefore: addDays(chinaDate(), 5) });
    const later = await makeListing(seller.http, coop.accessToken, { title: '广南铁皮石斛 三十天', bestBefore: addDays(chinaDate(), 30) });
    const sooner = await makeListing(seller.http, coop.accessToken, { title: '广南沙糖桔 两天', bestBefore: addDays(chinaDate(), 2) });
    const draft = await makeListing(seller.http, coop.accessToken, { title: '广南草稿', bestBefore: addDays(chinaDate(), 1) }, false);
    const unstalled = await makeListing(seller.http, coop.accessToken, { title: '广南畅销', stalled: false, bestBefore: addDays(chinaDate(), 1) });
    const response = await page(buyer, '/c/532627');
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('public, max-age=60');
    expect(response.text).toContain('<h1>广南县滞销农产品</h1>');
    expect(response.text).toContain('<span class="badge supervised">督战</span><span class="badge poverty">贫困县</span>');
    const ids = [...response.text.matchAll(LOT_LINK)].map((m) => m[1]);
    expect(ids).not.toContain(draft.id);
    expect(ids).not.toContain(unstalled.id);
    const shown = ids.filter((id) => [sooner.id, soon.id, later.id, lot.id].includes(id));
    expect(shown).toEqual([sooner.id, soon.id, later.id, lot.id]);
    // A county with no stalled lot is a page that says so, not a 404.
    const empty = await page(buyer, '/c/620522');
    expect(empty.status).toBe(200);
    expect(empty.text).toContain('目前没有滞销的在售货品');
  });

  it('draws a QR code of the page URL: from the request host, or from PUBLIC_BASE_URL when set', async () => {
    for (const [app, origin] of [[buyer, buyer.baseUrl], [limited, 'https://buy.example.cn']] as const) {
      const response = await get(app, `/l/${lot.id}/qr.png`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/png');
      expect(response.headers.get('cache-control')).toBe('public, max-age=60');
      const png = PNG.sync.read(response.bytes);
      expect(jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data).toBe(`${origin}/l/${lot.id}`);
    }
    const configured = (await page(limited, `/l/${lot.id}`)).text;
    expect(configured).toContain(`<meta property="og:url" content="https://buy.example.cn/l/${lot.id}">`);
    expect(configured).toContain(`href="https://buy.example.cn/#/lots/${lot.id}"`);
  });

  it('rate-limits each client IP across the public pages with a 429 page', async () => {
    const ip = '203.0.113.77';
    const statuses: number[] = [];
    let refused: Awaited<ReturnType<typeof page>> | undefined;
    // The window starts at the IP's first request; 5 pass, the 6th is refused (allow for a window ending mid-way).
    for (let i = 0; i < 12 && !refused; i++) {
      const response = await page(limited, i % 2 ? '/c/532627' : `/l/${lot.id}`, ip);
      statuses.push(response.status);
      if (response.status === 429) refused = response;
    }
    expect(refused).toBeDefined();
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(5);
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(refused!.text).toContain('访问过于频繁');
    expect(refused!.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(Number(refused!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await get(limited, `/l/${lot.id}/qr.png`, ip)).status).toBe(429);
    // Another IP is not affected, nor the JSON API.
    expect((await page(limited, `/l/${lot.id}`, '203.0.113.78')).status).toBe(200);
    expect((await limited.http.get('/api/v1/regions')).status).toBe(200);
  });
});
