import { DataSource } from 'typeorm';
import { addDays, chinaDate } from '@chanxiao/core';
import { urgency } from '@chanxiao/listings';
import { haversineKm, type LatLon } from '@chanxiao/regions';
import { type RunningApp, startApp } from '../support/apps';
import { makeBuyer, makeCooperative, makeListing } from '../support/factories';
import { createTestEnv, type TestEnv } from '../support/test-env';

/** What a seller's API says of a lot, enough to compute every filter and order independently of the search SQL. */
interface Lot {
  id: string;
  title: string;
  categoryCode: string;
  unitPriceFen: number;
  availableKg: number;
  bestBefore: string;
  coldChain: boolean;
  stalled: boolean;
  regionCode: string;
  isPovertyCounty: boolean;
  isSupervisedCounty: boolean;
  publishedAt: string;
}

const BUYER_COUNTY = '440307'; // 深圳 龙岗区
const COUNTIES = {
  guangnan: '532627', // 广南县, 云南 文山州: supervised
  lancang: '530828', // 澜沧县, 云南 普洱市: supervised
  qinan: '620522', // 秦安县, 甘肃 天水市: poverty
  qinzhou: '620502', // 秦州区, 甘肃 天水市: neither
  chaoyang: '110105', // 朝阳区, 北京: neither
} as const;

// [county, category, price fen/kg, days to best-before, stalled, cold chain, kg]. Some ties on purpose: potatoes at
// 120 fen (price), and 秦安's stalled apples at +31 days against 朝阳's plain ones at +10 (effective best-before).
const SPECS: [keyof typeof COUNTIES, string, number, number, boolean, boolean, number][] = [
  ['guangnan', 'fruit.apple', 680, 100, true, false, 20000],
  ['guangnan', 'fungi.shiitake', 1200, 5, false, true, 800],
  ['guangnan', 'grain.rice', 900, 300, true, false, 50000],
  ['guangnan', 'tea.green', 25000, 200, false, false, 300],
  ['lancang', 'fruit.kiwi', 900, 25, false, false, 6000],
  ['lancang', 'fungi.shiitake', 1100, 6, false, true, 1200],
  ['lancang', 'tea.green', 30000, 100, true, false, 150.5],
  ['lancang', 'veg.potato', 120, 60, false, false, 80000],
  ['qinan', 'fruit.apple', 620, 90, true, false, 30000],
  ['qinan', 'fruit.apple', 650, 31, true, false, 12000],
  ['qinan', 'fruit.kiwi', 980, 20, true, false, 9000],
  ['qinan', 'veg.potato', 120, 60, false, false, 100000],
  ['qinzhou', 'fruit.apple', 560, 45, false, false, 15000],
  ['qinzhou', 'veg.potato', 140, 50, true, false, 40000],
  ['chaoyang', 'fruit.apple', 700, 10, false, false, 5000],
  ['chaoyang', 'fungi.shiitake', 1500, 3, true, true, 400],
  ['chaoyang', 'veg.potato', 150, 45, true, false, 60000],
  ['chaoyang', 'grain.rice', 850, 200, false, false, 25000],
];

describe('buyer search (GET /api/v1/listings)', () => {
  let env: TestEnv;
  let seller: RunningApp;
  let buyer: RunningApp;
  let db: DataSource;
  let buyerToken: string;
  const sellerTokens: Record<string, string> = {};
  const lots = new Map<string, Lot>();
  const hidden = {} as Record<'draft' | 'withdrawn' | 'expired' | 'soldOut' | 'pastBestBefore', string>;
  const centroids = new Map<string, LatLon>();
  const today = chinaDate();

  const search = (query: string, token = buyerToken) => buyer.http.get(`/api/v1/listings?${query}`, token);
  const ids = (items: { id: string }[]) => items.map((i) => i.id);
  const active = () => [...lots.values()];
  const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const urgencyOf = (lot: Lot) => urgency(lot, today);
  const distance = (lot: Lot, from = BUYER_COUNTY) => haversineKm(centroids.get(from)!, centroids.get(lot.regionCode)!);
  const expected = {
    urgency: (rows: Lot[]) => [...rows].sort((a, b) => urgencyOf(b) - urgencyOf(a) || byId(a, b)),
    price: (rows: Lot[]) => [...rows].sort((a, b) => a.unitPriceFen - b.unitPriceFen || byId(a, b)),
    newest: (rows: Lot[]) => [...rows].sort((a, b) => b.publishedAt.localeCompare(a.publishedAt) || byId(b, a)),
    distance: (rows: Lot[], from = BUYER_COUNTY) => [...rows].sort((a, b) => distance(a, from) - distance(b, from) || byId(a, b)),
  };

  /** Follows nextCursor to the end, calling `between` after each page. */
  async function walk(query: string, between?: (page: number, items: Lot[]) => Promise<void>): Promise<Lot[]> {
    const seen: Lot[] = [];
    let cursor: string | null = null;
    for (let page = 1; page <= 50; page++) {
      const response = await search(`${query}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(response.status).toBe(200);
      seen.push(...response.body.items);
      cursor = response.body.nextCursor;
      if (!cursor) return seen;
      await between?.(page, response.body.items);
    }
    throw new Error('the cursor walk did not end');
  }

  beforeAll(async () => {
    env = await createTestEnv();
    seller = await startApp('seller', env);
    buyer = await startApp('buyer', env);
    db = seller.app.get(DataSource);
    buyerToken = (await makeBuyer(buyer.http, { organization: { regionCode: BUYER_COUNTY } })).accessToken;
    for (const [name, code] of Object.entries(COUNTIES)) {
      sellerTokens[name] = (await makeCooperative(seller.http, { organization: { regionCode: code } })).accessToken;
    }
    for (const [i, [county, categoryCode, unitPriceFen, days, stalled, coldChain, quantityKg]] of SPECS.entries()) {
      const lot = await makeListing(seller.http, sellerTokens[county], {
        categoryCode, title: `${categoryCode} 第${i + 1}批`, unitPriceFen, quantityKg, minOrderKg: 10, stalled, coldChain,
        harvestedOn: addDays(today, -2), bestBefore: addDays(today, days),
      });
      lots.set(lot.id, lot);
    }
    const token = sellerTokens.qinan;
    hidden.draft = (await makeListing(seller.http, token, { title: '草稿 苹果' }, false)).id;
    hidden.withdrawn = (await makeListing(seller.http, token, { title: '已撤回 苹果' })).id;
    expect((await seller.http.post(`/api/v1/listings/${hidden.withdrawn}/withdraw`, undefined, token)).status).toBe(200);
    // The states orders and the expiry job will reach, set directly (stock kept consistent for the CHECK).
    hidden.expired = (await makeListing(seller.http, token, { title: '已过期 苹果' })).id;
    await db.query(`UPDATE listings SET status = 'expired', delisted_grams = available_grams, total_grams = 0, available_grams = 0 WHERE id = $1`, [hidden.expired]);
    hidden.soldOut = (await makeListing(seller.http, token, { title: '已售罄 苹果' })).id;
    await db.query(`UPDATE listings SET status = 'sold_out', sold_grams = available_grams, available_grams = 0 WHERE id = $1`, [hidden.soldOut]);
    // Still active because the expiry job has not run yet, but past its best-before: not on the market.
    hidden.pastBestBefore = (await makeListing(seller.http, token, { title: '昨日到期 苹果' })).id;
    await db.query(`UPDATE listings SET best_before = $2 WHERE id = $1`, [hidden.pastBestBefore, addDays(today, -1)]);
    const rows: { code: string; lat: number; lon: number }[] = await db.query(`SELECT code, lat, lon FROM regions WHERE code = ANY($1)`, [[BUYER_COUNTY, ...Object.values(COUNTIES)]]);
    for (const row of rows) centroids.set(row.code.trim(), { lat: row.lat, lon: row.lon });
  });

  afterAll(async () => {
    await buyer?.close();
    await seller?.close();
    await env?.destroy();
  });

  describe('results', () => {
    it('shows every active lot of every seller, most urgent first, and nothing else', async () => {
      const response = await search('limit=100');
      expect(response.status).toBe(200);
      expect(ids(response.body.items)).toEqual(ids(expected.urgency(active())));
      expect(response.body.nextCursor).toBeNull();
      for (const id of Object.values(hidden)) expect(ids(response.body.items)).not.toContain(id);
    });

    it('gives each lot the urgency of the documented formula and its distance from the buyer, to 0.1 km', async () => {
      const { body } = await search('limit=100');
      for (const item of body.items) {
        const lot = lots.get(item.id)!;
        expect(item.urgency).toBe(urgency(lot, today));
        expect(item.distanceKm).toBe(Math.round(distance(lot) * 10) / 10);
      }
      // 广南 is about 960 km from 龙岗, 朝阳 about 1,960 km.
      const guangnan = body.items.find((i: Lot) => i.regionCode === COUNTIES.guangnan);
      expect(guangnan.distanceKm).toBeGreaterThan(900);
      expect(guangnan.distanceKm).toBeLessThan(1000);
      expect(Object.keys(guangnan)).toEqual(expect.arrayContaining(['id', 'status', 'availableKg', 'unitPriceFen', 'isSupervisedCounty', 'distanceKm', 'urgency']));
    });

    it('copies the county centroid onto the lot when it is created', async () => {
      const [row] = await db.query(`SELECT l.lat = r.lat AND l.lon = r.lon AS same FROM listings l JOIN regions r ON r.code = l.region_code WHERE l.id = $1`, [active()[0].id]);
      expect(row.same).toBe(true);
    });
  });

  describe('sorts', () => {
    it.each(['urgency', 'price', 'newest', 'distance'] as const)('orders sort=%s as computed independently, ties by id', async (sort) => {
      const response = await search(`sort=${sort}&limit=100`);
      expect(response.status).toBe(200);
      expect(ids(response.body.items)).toEqual(ids(expected[sort](active())));
    });

    it('measures distance from nearRegionCode: 秦安 first at 0 km, then 秦州', async () => {
      const { body } = await search(`sort=distance&nearRegionCode=${COUNTIES.qinan}&limit=100`);
      expect(ids(body.items)).toEqual(ids(expected.distance(active(), COUNTIES.qinan)));
      expect(body.items[0]).toMatchObject({ regionCode: COUNTIES.qinan, distanceKm: 0 });
      expect(body.items.find((i: Lot) => i.regionCode === COUNTIES.qinzhou).distanceKm).toBe(Math.round(haversineKm(centroids.get(COUNTIES.qinan)!, centroids.get(COUNTIES.qinzhou)!) * 10) / 10);
    });

    it('takes a city or province as the origin too (its centroid)', async () => {
      const response = await search('sort=distance&nearRegionCode=530000&limit=1');
      expect(response.status).toBe(200);
      expect([COUNTIES.guangnan, COUNTIES.lancang]).toContain(response.body.items[0].regionCode);
    });
  });

  describe('filters', () => {
    const lotsWhere = (keep: (lot: Lot) => boolean) => ids(expected.urgency(active().filter(keep)));
    it.each<[string, string, (lot: Lot) => boolean]>([
      ['a leaf category', 'categoryCode=fruit.apple', (l) => l.categoryCode === 'fruit.apple'],
      ['a top-level category (all its leaves)', 'categoryCode=fruit', (l) => l.categoryCode.startsWith('fruit.')],
      ['a province (prefix of the county code)', 'regionCode=530000', (l) => l.regionCode.startsWith('53')],
      ['a city', 'regionCode=620500', (l) => l.regionCode.startsWith('6205')],
      ['a county', `regionCode=${COUNTIES.qinan}`, (l) => l.regionCode === COUNTIES.qinan],
      ['a price ceiling', 'maxPriceFen=680', (l) => l.unitPriceFen <= 680],
      ['a minimum available quantity', 'minKg=20000', (l) => l.availableKg >= 20000],
      ['a minimum with decimals', 'minKg=800.5', (l) => l.availableKg >= 800.5],
      ['cold chain', 'coldChain=true', (l) => l.coldChain],
      ['ambient', 'coldChain=false', (l) => !l.coldChain],
      ['poverty counties', 'povertyOnly=true', (l) => l.isPovertyCounty],
      ['supervised counties', 'supervisedOnly=true', (l) => l.isSupervisedCounty],
      ['best-before within 6 days', 'expiringWithinDays=6', (l) => l.bestBefore <= addDays(today, 6)],
      ['best-before within 3 days', 'expiringWithinDays=3', (l) => l.bestBefore <= addDays(today, 3)],
      ['several at once', 'categoryCode=veg&povertyOnly=true&maxPriceFen=130&coldChain=false', (l) => l.categoryCode.startsWith('veg.') && l.isPovertyCounty && l.unitPriceFen <= 130],
    ])('filters by %s', async (_, query, keep) => {
      const response = await search(`${query}&limit=100`);
      expect(response.status).toBe(200);
      expect(ids(response.body.items)).toEqual(lotsWhere(keep));
      expect(response.body.items.length).toBeGreaterThan(0);
      expect(response.body.items.length).toBeLessThan(lots.size);
    });

    it('answers an empty page, not an error, when nothing matches', async () => {
      const response = await search('categoryCode=meat&limit=5');
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ items: [], nextCursor: null });
    });

    it.each(['urgency', 'price', 'newest', 'distance'])('pages a filtered sort=%s with the filter kept', async (sort) => {
      const seen = await walk(`sort=${sort}&categoryCode=fruit&limit=2`);
      expect(ids(seen)).toEqual(ids(expected[sort as 'price'](active().filter((l) => l.categoryCode.startsWith('fruit.')))));
    });
  });

  describe('cursor', () => {
    it.each([
      ['urgency', 3],
      ['price', 4],
      ['newest', 5],
      ['distance', 3],
      ['distance', 1],
    ] as const)('walks sort=%s in pages of %i to exactly the full result, no lot twice', async (sort, limit) => {
      const seen = await walk(`sort=${sort}&limit=${limit}`);
      expect(new Set(ids(seen)).size).toBe(seen.length);
      expect(ids(seen)).toEqual(ids(expected[sort](active())));
    });

    it.each<[string, (lot: Lot) => boolean]>([
      ['categoryCode=fruit.apple', (l) => l.categoryCode === 'fruit.apple'],
      ['regionCode=620000', (l) => l.regionCode.startsWith('62')],
      ['regionCode=530000&coldChain=false', (l) => l.regionCode.startsWith('53') && !l.coldChain],
    ])('walks sort=distance within %s (sorted, not walked on the index) in pages of 2', async (filter, keep) => {
      const seen = await walk(`sort=distance&${filter}&limit=2`);
      expect(ids(seen)).toEqual(ids(expected.distance(active().filter(keep))));
      expect(seen.length).toBeGreaterThan(2);
    });

    it('walks distances from another origin across the ties of one county', async () => {
      // Four lots share 秦安's centroid: pages of 3 split them, so the tie-break by id decides what comes next.
      const seen = await walk(`sort=distance&nearRegionCode=${COUNTIES.qinan}&limit=3`);
      expect(ids(seen)).toEqual(ids(expected.distance(active(), COUNTIES.qinan)));
    });

    it.each([
      ['not base64 JSON', 'sort=price&cursor=not-a-cursor'],
      ['from another sort', 'sort=urgency&cursor=CURSOR_OF_PRICE'],
      ['with a key PostgreSQL would refuse', `sort=urgency&cursor=${Buffer.from(JSON.stringify(['urgency', null, '2026-13-45', '00000000-0000-0000-0000-000000000000'])).toString('base64url')}`],
      ['with an id that is not a uuid', `sort=price&cursor=${Buffer.from(JSON.stringify(['price', null, 100, 'x'])).toString('base64url')}`],
      ['for distances from another origin', 'sort=distance&nearRegionCode=620522&cursor=CURSOR_OF_DISTANCE'],
    ])('refuses a cursor %s with 400 naming cursor', async (_, query) => {
      const priceCursor = (await search('sort=price&limit=1')).body.nextCursor;
      const distanceCursor = (await search('sort=distance&limit=1')).body.nextCursor;
      const response = await search(query.replace('CURSOR_OF_PRICE', priceCursor).replace('CURSOR_OF_DISTANCE', distanceCursor));
      expect(response.status).toBe(400);
      expect(response.body.details.map((d: { field: string }) => d.field)).toEqual(['cursor']);
    });
  });

  describe('bad requests', () => {
    it.each([
      ['an unknown parameter', 'colour=red', 'colour'],
      ['an unknown sort', 'sort=cheapest', 'sort'],
      ['a zero limit', 'limit=0', 'limit'],
      ['a limit over 100', 'limit=101', 'limit'],
      ['a price in words', 'maxPriceFen=cheap', 'maxPriceFen'],
      ['a price with decimals', 'maxPriceFen=6.5', 'maxPriceFen'],
      ['four decimals of kg', 'minKg=1.2345', 'minKg'],
      ['a negative quantity', 'minKg=-5', 'minKg'],
      ['a boolean spelt yes', 'coldChain=yes', 'coldChain'],
      ['a boolean spelt 1', 'povertyOnly=1', 'povertyOnly'],
      ['negative days', 'expiringWithinDays=-1', 'expiringWithinDays'],
      ['a region code of five digits', 'regionCode=53000', 'regionCode'],
      ['an unknown region', 'regionCode=999999', 'regionCode'],
      ['an unknown origin', 'nearRegionCode=999999', 'nearRegionCode'],
      ['an unknown category', 'categoryCode=fruit.durian', 'categoryCode'],
      ['a malformed category', 'categoryCode=Fruit!', 'categoryCode'],
      ['a repeated sort', 'sort=price&sort=urgency', 'sort'],
    ])('refuses %s with 400 naming the field', async (_, query, field) => {
      const response = await search(query);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ statusCode: 400, error: expect.any(String), message: expect.any(String) });
      expect(response.body.details.map((d: { field: string }) => d.field)).toContain(field);
    });

    it('names every bad field at once', async () => {
      const response = await search('regionCode=999999&categoryCode=fruit.durian&nearRegionCode=000000');
      expect(response.status).toBe(400);
      expect(response.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['categoryCode', 'nearRegionCode', 'regionCode']);
    });

    it('answers 401 without a token and to a seller\'s token', async () => {
      expect((await search('limit=1', '')).status).toBe(401);
      expect((await search('limit=1', sellerTokens.qinan)).status).toBe(401);
    });
  });

  describe('GET /api/v1/listings/:id', () => {
    it('shows an active lot of another organisation with its distance and urgency', async () => {
      const lot = active()[0];
      const response = await buyer.http.get(`/api/v1/listings/${lot.id}?nearRegionCode=${COUNTIES.qinan}`, buyerToken);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ id: lot.id, status: 'active', urgency: urgency(lot, today), distanceKm: Math.round(distance(lot, COUNTIES.qinan) * 10) / 10 });
    });

    it.each(['draft', 'withdrawn', 'expired', 'soldOut', 'pastBestBefore'] as const)('answers 404 for a %s lot', async (state) => {
      const response = await buyer.http.get(`/api/v1/listings/${hidden[state]}`, buyerToken);
      expect(response.status).toBe(404);
    });

    it('answers 404 for an unknown id and for one that is not a uuid', async () => {
      expect((await buyer.http.get('/api/v1/listings/6f1c2a4e-0000-4000-8000-000000000000', buyerToken)).status).toBe(404);
      expect((await buyer.http.get('/api/v1/listings/12345', buyerToken)).status).toBe(404);
    });

    it('refuses an unknown origin or parameter with 400', async () => {
      const lot = active()[0];
      expect((await buyer.http.get(`/api/v1/listings/${lot.id}?nearRegionCode=999999`, buyerToken)).body.details[0].field).toBe('nearRegionCode');
      expect((await buyer.http.get(`/api/v1/listings/${lot.id}?sort=price`, buyerToken)).status).toBe(400);
    });
  });

  // Last: these change lots.
  describe('while lots change', () => {
    const patch = async (lot: Lot, changes: Record<string, unknown>) => {
      const county = (Object.keys(COUNTIES) as (keyof typeof COUNTIES)[]).find((k) => COUNTIES[k] === lot.regionCode)!;
      const response = await seller.http.request('PATCH', `/api/v1/listings/${lot.id}`, { body: changes, token: sellerTokens[county] });
      expect(response.status).toBe(200);
      lots.set(lot.id, response.body);
    };

    it('does not repeat or skip other lots when prices change between pages', async () => {
      const before = expected.price(active());
      const [raised, lowered] = [before[1], before[before.length - 3]];
      const seen = await walk('sort=price&limit=4', async (page) => {
        if (page !== 1) return;
        await patch(raised, { unitPriceFen: 99_999 }); // already shown; now last
        await patch(lowered, { unitPriceFen: 1 }); // not shown yet; now before the cursor
      });
      const others = before.filter((l) => l.id !== raised.id && l.id !== lowered.id);
      expect(ids(seen.filter((l) => l.id !== raised.id && l.id !== lowered.id))).toEqual(ids(others));
      // A lot whose own key moved: ahead of the cursor it is shown again, behind it it is not shown in this walk.
      expect(ids(seen).filter((id) => id === raised.id)).toHaveLength(2);
      expect(ids(seen)).not.toContain(lowered.id);
      expect(seen[seen.length - 1]).toMatchObject({ id: raised.id, unitPriceFen: 99_999 });
    });

    it('drops a withdrawn lot from the next page without shifting the others', async () => {
      const before = expected.urgency(active());
      const gone = before[4];
      const seen = await walk('sort=urgency&limit=3', async (page) => {
        if (page !== 1) return;
        await seller.http.post(`/api/v1/listings/${gone.id}/withdraw`, undefined, sellerTokens[(Object.keys(COUNTIES) as (keyof typeof COUNTIES)[]).find((k) => COUNTIES[k] === gone.regionCode)!]);
        lots.delete(gone.id);
      });
      expect(ids(seen)).toEqual(ids(before.filter((l) => l.id !== gone.id)));
    });
  });
});
