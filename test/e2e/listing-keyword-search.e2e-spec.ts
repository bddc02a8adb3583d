import { DataSource } from 'typeorm';
import { addDays, chinaDate } from '@chanxiao/core';
import { ListingSearch1764800000000 } from '../../libs/migrations/src/1764800000000-listing-search';
import { type RunningApp, startApp } from '../support/apps';
import { makeBuyer, makeCooperative, makeListing } from '../support/factories';
import { createTestEnv, type TestEnv } from '../support/test-env';

const today = chinaDate();

// Real produce titles as cooperatives write them: [county, category, title, variety, price fen/kg, days to best-before].
const LOTS: [string, string, string, string | null, number, number][] = [
  ['620522', 'fruit.apple', '秦安花牛苹果 80mm+ 一级果', '花牛', 680, 120], // 秦安县: poverty
  ['620522', 'fruit.apple', '天水花牛苹果 礼盒装', '花牛', 880, 90],
  ['620522', 'fruit.apple', '秦安冰糖心 脆甜', '冰糖心', 600, 20], // an apple whose title does not say so: found by its category
  ['610328', 'fruit.apple', '千阳矮砧红富士苹果', '红富士', 560, 100], // 千阳县: poverty
  ['532627', 'fruit.apple', '广南高原红富士苹果', '红富士', 620, 80], // 广南县: supervised
  ['532627', 'grain.rice', '广南八宝贡米 新米', '八宝贡米', 980, 300],
  ['532627', 'grain.rice', '广南八宝贡米 陈米 5kg 装', '八宝贡米', 760, 200],
  ['433127', 'fruit.kiwi', '永顺红心猕猴桃', '红阳', 980, 40],
  ['513431', 'veg.potato', '昭觉高原马铃薯 商品薯', '青薯9号', 110, 120],
  ['360732', 'fruit.navel_orange', '兴国赣南脐橙 75mm', '纽荷尔', 450, 60],
  ['653225', 'nut.jujube', '策勒和田红枣 特级', '骏枣', 1650, 300],
];

describe('keyword search (GET /api/v1/listings?q=, issue 14)', () => {
  let env: TestEnv;
  let seller: RunningApp;
  let buyer: RunningApp;
  let db: DataSource;
  let buyerToken: string;
  const tokens = new Map<string, string>();
  const byTitle = new Map<string, string>();

  const search = (query: string) => buyer.http.get(`/api/v1/listings?${query}`, buyerToken);
  const titles = async (query: string) => {
    const response = await search(query);
    expect(response.status).toBe(200);
    return (response.body.items as { title: string }[]).map((i) => i.title).sort();
  };

  beforeAll(async () => {
    env = await createTestEnv();
    seller = await startApp('seller', env);
    buyer = await startApp('buyer', env);
    db = seller.app.get(DataSource);
    buyerToken = (await makeBuyer(buyer.http, { organization: { regionCode: '440307' } })).accessToken;
    for (const [county, categoryCode, title, variety, unitPriceFen, days] of LOTS) {
      if (!tokens.has(county)) tokens.set(county, (await makeCooperative(seller.http, { organization: { regionCode: county } })).accessToken);
      const lot = await makeListing(seller.http, tokens.get(county)!, {
        categoryCode, title, variety, unitPriceFen, minOrderKg: 10, quantityKg: 5000, harvestedOn: addDays(today, -3), bestBefore: addDays(today, days),
      });
      byTitle.set(title, lot.id);
    }
    // A draft apple: never found, whatever the keywords.
    await makeListing(seller.http, tokens.get('620522')!, { title: '草稿 花牛苹果', variety: '花牛' }, false);
  });

  afterAll(async () => {
    await buyer?.close();
    await seller?.close();
    await env?.destroy();
  });

  it('finds every apple by 苹果, and only apples', async () => {
    expect(await titles('q=苹果')).toEqual(['千阳矮砧红富士苹果', '天水花牛苹果 礼盒装', '广南高原红富士苹果', '秦安冰糖心 脆甜', '秦安花牛苹果 80mm+ 一级果'].sort());
  });

  it("names each lot's seller, in the list and the detail", async () => {
    const [first] = (await search(`q=${encodeURIComponent('昭觉')}`)).body.items;
    const org = (await seller.http.get('/api/v1/me', tokens.get('513431'))).body.organization;
    expect(first.sellerName).toBe(org.name);
    expect((await buyer.http.get(`/api/v1/listings/${first.id}`, buyerToken)).body.sellerName).toBe(org.name);
  });

  it('keeps a variety whole: 花牛 is not 红富士, 红富士 is not 花牛', async () => {
    expect(await titles(`q=${encodeURIComponent('花牛')}`)).toEqual(['天水花牛苹果 礼盒装', '秦安花牛苹果 80mm+ 一级果'].sort());
    expect(await titles(`q=${encodeURIComponent('红富士')}`)).toEqual(['千阳矮砧红富士苹果', '广南高原红富士苹果'].sort());
    expect(await titles(`q=${encodeURIComponent('花牛苹果')}`)).toEqual(['天水花牛苹果 礼盒装', '秦安花牛苹果 80mm+ 一级果'].sort());
  });

  it('needs every word: 广南 贡米 finds the 广南八宝贡米 lots, not 广南 apples', async () => {
    expect(await titles(`q=${encodeURIComponent('广南 贡米')}`)).toEqual(['广南八宝贡米 新米', '广南八宝贡米 陈米 5kg 装'].sort());
    expect(await titles(`q=${encodeURIComponent('广南八宝贡米')}`)).toEqual(['广南八宝贡米 新米', '广南八宝贡米 陈米 5kg 装'].sort());
    expect(await titles(`q=${encodeURIComponent('广南')}`)).toHaveLength(3);
    expect(await titles(`q=${encodeURIComponent('秦安 贡米')}`)).toEqual([]);
  });

  it('finds by category, county, province, a single character and pinyin initials', async () => {
    expect(await titles(`q=${encodeURIComponent('水果')}`)).toHaveLength(7); // the category group: apples, kiwi, oranges
    expect(await titles(`q=${encodeURIComponent('昭觉县')}`)).toEqual(['昭觉高原马铃薯 商品薯']);
    expect(await titles(`q=${encodeURIComponent('云南')}`)).toHaveLength(3);
    expect(await titles(`q=${encodeURIComponent('橙')}`)).toEqual(['兴国赣南脐橙 75mm']);
    expect(await titles('q=pg')).toEqual(await titles('q=苹果'));
    expect(await titles('q=PG')).toEqual(await titles('q=苹果'));
    expect(await titles(`q=${encodeURIComponent('榴莲')}`)).toEqual([]);
  });

  it('combines with filters, and pages with every sort without repeats or gaps', async () => {
    expect(await titles(`q=${encodeURIComponent('苹果')}&supervisedOnly=true`)).toEqual(['广南高原红富士苹果']);
    expect(await titles(`q=${encodeURIComponent('苹果')}&maxPriceFen=650`)).toEqual(['千阳矮砧红富士苹果', '广南高原红富士苹果', '秦安冰糖心 脆甜'].sort());
    expect(await titles(`q=${encodeURIComponent('云南')}&categoryCode=grain`)).toEqual(['广南八宝贡米 新米', '广南八宝贡米 陈米 5kg 装'].sort());
    for (const sort of ['relevance', 'price', 'urgency', 'distance', 'newest']) {
      const seen: { id: string; unitPriceFen: number }[] = [];
      let cursor: string | null = null;
      do {
        const response = await search(`q=${encodeURIComponent('苹果')}&sort=${sort}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        expect(response.status).toBe(200);
        expect(response.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...response.body.items);
        cursor = response.body.nextCursor;
      } while (cursor);
      expect(seen.map((i) => i.id).sort()).toEqual((await search(`q=${encodeURIComponent('苹果')}&limit=100`)).body.items.map((i: { id: string }) => i.id).sort());
      expect(new Set(seen.map((i) => i.id)).size).toBe(seen.length);
      if (sort === 'price') expect(seen.map((i) => i.unitPriceFen)).toEqual([560, 600, 620, 680, 880]);
    }
  });

  it('ranks by relevance: a title match before a category-only match, ties most urgent first', async () => {
    const apples = (await search(`q=${encodeURIComponent('苹果')}&sort=relevance`)).body.items as { title: string; urgency: number }[];
    // 冰糖心 keeps 20 days, the most urgent apple, but only its category says 苹果: it comes last.
    expect(apples.map((i) => i.title).at(-1)).toBe('秦安冰糖心 脆甜');
    expect(apples.slice(0, -1).map((i) => i.urgency)).toEqual(apples.slice(0, -1).map((i) => i.urgency).sort((a, b) => b - a));

    const response = await search(`q=${encodeURIComponent('广南')}&sort=relevance`);
    expect(response.status).toBe(200);
    const got = (response.body.items as { title: string; urgency: number }[]);
    expect(got).toHaveLength(3);
    // All three say 广南 in the title and the county: equal rank, then urgency (the apples keep 80 days, the rice 200–300).
    expect(got.map((i) => i.urgency)).toEqual([...got.map((i) => i.urgency)].sort((a, b) => b - a));
    const province = await search(`q=${encodeURIComponent('云南 水果')}&sort=relevance`);
    expect(province.body.items.map((i: { title: string }) => i.title)).toEqual(['广南高原红富士苹果']);
  });

  it('keeps the vector in step with edits: a new title is found by its words, the old ones are gone', async () => {
    const id = byTitle.get('永顺红心猕猴桃')!;
    const token = tokens.get('433127')!;
    const changed = await seller.http.request('PATCH', `/api/v1/listings/${id}`, { body: { title: '湘西猕猴桃 精品果', variety: '米良1号' }, token });
    expect(changed.status).toBe(200);
    expect(await titles(`q=${encodeURIComponent('湘西')}`)).toEqual(['湘西猕猴桃 精品果']);
    expect(await titles(`q=${encodeURIComponent('米良1号')}`)).toEqual(['湘西猕猴桃 精品果']);
    expect(await titles(`q=${encodeURIComponent('红心')}`)).toEqual([]);
    expect(await titles(`q=${encodeURIComponent('猕猴桃')}`)).toEqual(['湘西猕猴桃 精品果']);
    const [row] = await db.query(`SELECT search_vector::text AS v FROM listings WHERE id = $1`, [id]);
    expect(row.v).toContain("'湘西'");
    expect(row.v).not.toContain("'红心'");
  });

  it('fills the vectors of lots that existed before it (the migration, down and up again)', async () => {
    const before = await titles(`q=${encodeURIComponent('苹果')}`);
    const runner = db.createQueryRunner();
    try {
      await new ListingSearch1764800000000().down(runner);
      await new ListingSearch1764800000000().up(runner);
    } finally {
      await runner.release();
    }
    expect(await titles(`q=${encodeURIComponent('苹果')}`)).toEqual(before);
    expect(await titles(`q=${encodeURIComponent('广南 贡米')}`)).toHaveLength(2);
  });

  it('answers 400 naming q for too long, punctuation-only or control-character keywords; an empty box is no keyword', async () => {
    for (const q of ['苹'.repeat(51), '！!，。…', '苹果\u0000', '苹果\u200b']) {
      const response = await search(`q=${encodeURIComponent(q)}`);
      expect(response.status).toBe(400);
      expect(response.body.details.map((d: { field: string }) => d.field)).toEqual(['q']);
    }
    expect((await search(`q=${encodeURIComponent('苹'.repeat(50))}`)).status).toBe(200);
    const empty = await search('q=%20%20');
    expect(empty.status).toBe(200);
    expect(empty.body.items).toHaveLength(LOTS.length);
    const relevanceAlone = await search('sort=relevance');
    expect(relevanceAlone.status).toBe(400);
    expect(relevanceAlone.body.details.map((d: { field: string }) => d.field)).toEqual(['sort']);
  });
});
