import { webAppRoot } from '@chanxiao/core';
import { type RunningApp, startApp } from '../support/apps';
import { demandInput, listingInput, makeBuyer, makeCooperative, makeListing, sellerRegistration, TEST_PASSWORD } from '../support/factories';
import { createTestEnv, type TestEnv } from '../support/test-env';

interface Answer {
  status: number;
  language: string | null;
  body: { statusCode: number; error: string; message: string; code?: string; details?: { field: string; message: string }[] };
}

const CJK = /[\u3400-\u9fff]/;

/** One request as a client sends it: no Accept-Language unless `language` is given. */
async function send(app: RunningApp, method: string, path: string, options: { body?: unknown; raw?: string; token?: string; language?: string } = {}): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (options.language !== undefined) headers['accept-language'] = options.language;
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const body = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(app.baseUrl + path, { method, headers, body });
  return { status: response.status, language: response.headers.get('content-language'), body: (await response.json()) as Answer['body'] };
}

/** The same request without the header and with `en`: everything but the words is the same. */
async function inBoth(app: RunningApp, method: string, path: string, options: { body?: unknown; raw?: string; token?: string } = {}) {
  const zh = await send(app, method, path, options);
  const en = await send(app, method, path, { ...options, language: 'en' });
  expect(zh.status).toBe(en.status);
  expect({ statusCode: zh.body.statusCode, error: zh.body.error, code: zh.body.code, fields: zh.body.details?.map((d) => d.field) }).toEqual({
    statusCode: en.body.statusCode, error: en.body.error, code: en.body.code, fields: en.body.details?.map((d) => d.field),
  });
  expect(zh.language).toBe('zh-CN');
  expect(en.language).toBe('en');
  expect(zh.body.message).toMatch(CJK);
  for (const d of zh.body.details ?? []) expect(d.message).toMatch(CJK);
  expect(en.body.message).not.toMatch(CJK);
  return { zh: zh.body, en: en.body };
}

describe('API messages follow Accept-Language (SPEC §8)', () => {
  let env: TestEnv;
  let seller: RunningApp;
  let buyer: RunningApp;
  let sellerToken: string;
  let buyerToken: string;

  beforeAll(async () => {
    env = await createTestEnv();
    seller = await startApp('seller', env);
    buyer = await startApp('buyer', env);
    sellerToken = (await makeCooperative(seller.http)).accessToken;
    buyerToken = (await makeBuyer(buyer.http)).accessToken;
  });

  afterAll(async () => {
    for (const app of [seller, buyer]) await app?.close();
    await env?.destroy();
  });

  it('answers a registration with a bad credit code in Chinese by default, in English on request', async () => {
    const input = sellerRegistration();
    const code = input.organization.creditCode as string;
    const wrongCheck = code.slice(0, 17) + (code[17] === '0' ? '1' : '0');
    const { zh, en } = await inBoth(seller, 'POST', '/api/v1/auth/register', { body: { ...input, organization: { ...input.organization, creditCode: wrongCheck } } });
    expect(zh).toMatchObject({ statusCode: 400, code: 'request.invalid', details: [{ field: 'organization.creditCode', message: '校验码错误（GB 32100-2015）' }] });
    expect(zh.message).toBe('organization.creditCode 校验码错误（GB 32100-2015）');
    expect(en.details).toEqual([{ field: 'organization.creditCode', message: 'has a wrong check character (GB 32100-2015)' }]);
  });

  it('names a listing field with its problem in Chinese', async () => {
    const { zh, en } = await inBoth(seller, 'POST', '/api/v1/listings', { body: listingInput({ quantityKg: 12.3456 }), token: sellerToken });
    expect(zh.details).toEqual([{ field: 'quantityKg', message: '最多三位小数（精确到克）' }]);
    expect(zh.message).toBe('quantityKg 最多三位小数（精确到克）');
    expect(en.message).toBe('quantityKg must have at most 3 decimals (whole grams)');
  });

  it('says which transition was refused and why, states in Chinese', async () => {
    const lot = await makeListing(seller.http, sellerToken);
    expect((await seller.http.post(`/api/v1/listings/${lot.id}/withdraw`, undefined, sellerToken)).status).toBe(200);
    const { zh, en } = await inBoth(seller, 'POST', `/api/v1/listings/${lot.id}/publish`, { token: sellerToken });
    expect(zh).toMatchObject({ statusCode: 409, code: 'fsm.illegal_transition', details: [{ field: 'status' }] });
    expect(zh.message).toContain('货品不能从“已下架”变为“在售”');
    expect(zh.message).not.toMatch(/withdrawn|active/);
    expect(en.message).toBe('listing cannot go from withdrawn to active: no transition from withdrawn to active; withdrawn is final');
  });

  it('answers a wrong password with 手机号或密码错误', async () => {
    const { input } = await makeCooperative(seller.http);
    const { zh, en } = await inBoth(seller, 'POST', '/api/v1/auth/login', { body: { phone: input.user.phone, password: `${TEST_PASSWORD}x` } });
    expect(zh).toMatchObject({ statusCode: 401, code: 'auth.bad_credentials', message: '手机号或密码错误' });
    expect(en.message).toBe('the phone number or password is wrong');
  });

  it("translates Fastify's malformed JSON and Nest's unknown route", async () => {
    const json = await inBoth(seller, 'POST', '/api/v1/auth/login', { raw: '{"phone": ' });
    expect(json.zh).toEqual({ statusCode: 400, error: 'Bad Request', message: '请求体不是有效的 JSON' });
    const route = await inBoth(buyer, 'GET', '/api/v1/no-such-route');
    expect(route.zh).toEqual({ statusCode: 404, error: 'Not Found', message: '未找到接口 GET /api/v1/no-such-route' });
    expect(route.en.message).toBe('Cannot GET /api/v1/no-such-route');
  });

  it('translates the buyer app too: a missing token, an unknown region in a demand', async () => {
    const noToken = await inBoth(buyer, 'GET', '/api/v1/demands');
    expect(noToken.zh).toMatchObject({ statusCode: 401, code: 'auth.missing_token', message: '需要访问令牌（请求头 Authorization: Bearer <token>）' });
    const demand = await inBoth(buyer, 'POST', '/api/v1/demands', { body: demandInput({ destinationRegionCode: '999999' }), token: buyerToken });
    expect(demand.zh.details).toEqual([{ field: 'destinationRegionCode', message: '999999 不是 GB/T 2260 行政区划代码' }]);
    expect(demand.en.details).toEqual([{ field: 'destinationRegionCode', message: '999999 is not a GB/T 2260 region code' }]);
  });

  it('explains a refused spreadsheet in Chinese', async () => {
    const upload = async (language?: string) => {
      const form = new FormData();
      form.append('file', new Blob([new TextEncoder().encode('%PDF-1.4 not a sheet')]), 'report.pdf');
      const headers: Record<string, string> = { authorization: `Bearer ${sellerToken}`, ...(language ? { 'accept-language': language } : {}) };
      const response = await fetch(`${seller.baseUrl}/api/v1/listings/import`, { method: 'POST', body: form, headers });
      return { status: response.status, body: (await response.json()) as Answer['body'] };
    };
    const [zh, en] = [await upload(), await upload('en')];
    expect(zh.status).toBe(415);
    expect(zh.body).toMatchObject({ code: 'import.unsupported_type', details: [{ field: 'file' }] });
    expect(zh.body.message).toBe('report.pdf 是PDF 文档，不是可导入的电子表格：请另存为 .xlsx（Excel 工作簿）或 .csv 后再上传。');
    expect(zh.body.details![0].message).toBe(zh.body.message);
    expect(en.body.message).toBe('report.pdf is a PDF document, not a spreadsheet the import reads: save it as .xlsx (Excel workbook) or .csv and upload that.');
  });

  it("gives an import report's row problems in Chinese, and in English on request", async () => {
    const header = '品类代码,标题,品种,等级,数量(公斤),起订量(公斤),单价(元/公斤),采收日期,最佳食用期至,需冷链,滞销,扶贫产品认定编号,产地县代码';
    const csv = [header, 'fruit.durian,品类不存在,,,100,10,5,2026-11-20,2027-01-20,否,否,,', 'fruit.kiwi,起订量大于数量,,,100,200,9.5,2026-11-28,2027-01-10,是,否,,', 'fruit.apple,价格写错,,,100,10,六块八,2026-11-20,2027-01-20,否,否,,'].join('\n');
    const upload = async (language?: string) => {
      const form = new FormData();
      form.append('file', new Blob([new TextEncoder().encode(csv)]), 'lots.csv');
      const headers: Record<string, string> = { authorization: `Bearer ${sellerToken}`, ...(language ? { 'accept-language': language } : {}) };
      const response = await fetch(`${seller.baseUrl}/api/v1/listings/import`, { method: 'POST', body: form, headers });
      return (await response.json()) as { importId: string; rows: { row: number; errors: { field: string; message: string }[] }[] };
    };
    const [zh, en] = [await upload(), await upload('en')];
    const problems = (report: typeof zh) => report.rows.flatMap((r) => r.errors.map((e) => ({ row: r.row, field: e.field, message: e.message })));
    expect(problems(zh).map(({ row, field }) => ({ row, field }))).toEqual(problems(en).map(({ row, field }) => ({ row, field })));
    expect(problems(zh)).toHaveLength(3);
    for (const p of problems(zh)) {
      expect(p.message).toMatch(CJK);
      expect(p.message).not.toBe('取值无效');
    }
    for (const p of problems(en)) expect(p.message).not.toMatch(CJK);
    // A stored report read back later follows the reader's language too.
    const again = await fetch(`${seller.baseUrl}/api/v1/listings/import/${zh.importId}`, { headers: { authorization: `Bearer ${sellerToken}` } });
    expect(problems((await again.json()) as typeof zh)).toEqual(problems(zh));
  });

  it('keeps these answers with the web app served at / (its static files load after the error handler is set)', async () => {
    if (!webAppRoot('seller')) return; // the web app is built by npm run build
    const page = await fetch(`${seller.baseUrl}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const media = await fetch(`${seller.baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/xml' }, body: '<a/>' });
    expect(await media.json()).toEqual({ statusCode: 415, error: 'Unsupported Media Type', message: '不支持的内容类型（Content-Type）' });
  });

  it('reads q-values: the preferred supported language wins, anything else is Chinese', async () => {
    const ask = async (language: string) => (await send(seller, 'POST', '/api/v1/auth/login', { raw: '{', language })).body.message;
    expect(await ask('en-US,en;q=0.9')).toBe("Body is not valid JSON but content-type is set to 'application/json'");
    expect(await ask('zh-CN,zh;q=0.9,en;q=0.8')).toBe('请求体不是有效的 JSON');
    expect(await ask('fr')).toBe('请求体不是有效的 JSON');
    expect(await ask('fr;q=1, en;q=0.5')).toBe("Body is not valid JSON but content-type is set to 'application/json'");
  });
});
