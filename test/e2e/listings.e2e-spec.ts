import { DataSource } from 'typeorm';
import { addDays, chinaDate } from '@chanxiao/core';
import { type RunningApp, startApp } from '../support/apps';
import { listingInput, makeCooperative, makeListing } from '../support/factories';
import { createTestEnv, type TestEnv } from '../support/test-env';

describe('seller listings', () => {
  let env: TestEnv;
  let seller: RunningApp;
  let db: DataSource;
  let token: string;
  let orgId: string;
  let otherToken: string;
  const today = chinaDate();

  const events = async (id: string) =>
    (await db.query(`SELECT type FROM outbox_events WHERE aggregate_id = $1 ORDER BY id`, [id])).map((r: { type: string }) => r.type);
  const stock = async (id: string) =>
    (await db.query(`SELECT total_grams::int AS total, available_grams::int AS available, reserved_grams::int AS reserved, sold_grams::int AS sold, delisted_grams::int AS delisted FROM listings WHERE id = $1`, [id]))[0];

  beforeAll(async () => {
    env = await createTestEnv();
    seller = await startApp('seller', env);
    db = seller.app.get(DataSource);
    const coop = await makeCooperative(seller.http, { organization: { regionCode: '620522' } }); // 秦安县
    token = coop.accessToken;
    orgId = coop.organization.id;
    otherToken = (await makeCooperative(seller.http)).accessToken;
  });

  afterAll(async () => {
    await seller?.close();
    await env?.destroy();
  });

  describe('create', () => {
    it('creates a draft in kg, stored as exact grams, in the organisation county', async () => {
      const response = await seller.http.post('/api/v1/listings', listingInput({ quantityKg: 1234.567, minOrderKg: 0.1 }), token);
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        organizationId: orgId,
        status: 'draft',
        categoryCode: 'fruit.apple',
        quantityKg: 1234.567,
        availableKg: 1234.567,
        reservedKg: 0,
        soldKg: 0,
        minOrderKg: 0.1,
        unitPriceFen: 680,
        certified: true,
        certificateNo: 'FP2020-620522-0137',
        regionCode: '620522',
        isPovertyCounty: true,
        isSupervisedCounty: false,
      });
      expect(await stock(response.body.id)).toEqual({ total: 1234567, available: 1234567, reserved: 0, sold: 0, delisted: 0 });
      expect(await events(response.body.id)).toEqual(['listing.created']);
    });

    it('adds 0.1 kg and 0.2 kg to exactly 300 g', async () => {
      const lot = await makeListing(seller.http, token, { quantityKg: 0.1, minOrderKg: 0.1 }, false);
      const patched = await seller.http.request('PATCH', `/api/v1/listings/${lot.id}`, { body: { quantityKg: 0.3 }, token });
      expect(patched.body.quantityKg).toBe(0.3);
      expect((await stock(lot.id)).total).toBe(300);
    });

    it('takes a supervised county as the origin, and says so', async () => {
      const response = await seller.http.post('/api/v1/listings', listingInput({ regionCode: '532627' }), token);
      expect(response.body).toMatchObject({ regionCode: '532627', isPovertyCounty: true, isSupervisedCounty: true });
    });

    it.each([
      ['a group instead of a leaf', { categoryCode: 'fruit' }, 'categoryCode'],
      ['an unknown category', { categoryCode: 'fruit.durian' }, 'categoryCode'],
      ['a city as origin', { regionCode: '620500' }, 'regionCode'],
      ['an unknown origin', { regionCode: '999999' }, 'regionCode'],
      ['four decimals of kg', { quantityKg: 1.2345 }, 'quantityKg'],
      ['a negative quantity', { quantityKg: -5 }, 'quantityKg'],
      ['a quantity as text', { quantityKg: '500' }, 'quantityKg'],
      ['a price with decimals', { unitPriceFen: 6.8 }, 'unitPriceFen'],
      ['a zero price', { unitPriceFen: 0 }, 'unitPriceFen'],
      ['an impossible date', { bestBefore: '2027-02-30' }, 'bestBefore'],
      ['a date in another format', { harvestedOn: '2026/10/01' }, 'harvestedOn'],
      ['a minimum order above the quantity', { quantityKg: 100, minOrderKg: 200 }, 'minOrderKg'],
      ['best-before before harvest', { harvestedOn: today, bestBefore: addDays(today, -1) }, 'bestBefore'],
      ['an unknown field', { organic: true }, 'organic'],
      ['a missing title', { title: undefined }, 'title'],
    ])('refuses %s with 400 naming the field, writing nothing', async (_, overrides, field) => {
      const before = Number((await db.query(`SELECT count(*) AS n FROM listings`))[0].n);
      const response = await seller.http.post('/api/v1/listings', listingInput(overrides), token);
      expect(response.status).toBe(400);
      expect(response.body.details.map((d: { field: string }) => d.field)).toContain(field);
      expect(Number((await db.query(`SELECT count(*) AS n FROM listings`))[0].n)).toBe(before);
    });
  });

  describe('lifecycle', () => {
    it('publishes a draft, writing listing.published', async () => {
      const lot = await makeListing(seller.http, token, {}, false);
      const response = await seller.http.post(`/api/v1/listings/${lot.id}/publish`, undefined, token);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ status: 'active', publishedAt: expect.any(String) });
      expect(await events(lot.id)).toEqual(['listing.created', 'listing.published']);
    });

    it('refuses to publish a lot past its best-before, naming why', async () => {
      const lot = await makeListing(seller.http, token, { harvestedOn: addDays(today, -30), bestBefore: today }, false);
      const response = await seller.http.post(`/api/v1/listings/${lot.id}/publish`, undefined, token);
      expect(response.status).toBe(409);
      expect(response.body.details).toEqual([{ field: 'bestBefore', message: `must be after today (${today})` }]);
      expect(response.body.message).toContain('listing cannot go from draft to active');
      expect(await events(lot.id)).toEqual(['listing.created']);
    });

    it('refuses to publish lychees declared good for two months after harvest', async () => {
      const lot = await makeListing(seller.http, token, { categoryCode: 'fruit.lychee', coldChain: true, harvestedOn: addDays(today, -1), bestBefore: addDays(today, 60) }, false);
      const response = await seller.http.post(`/api/v1/listings/${lot.id}/publish`, undefined, token);
      expect(response.status).toBe(409);
      expect(response.body.details[0]).toMatchObject({ field: 'bestBefore', message: expect.stringContaining('荔枝 typically keeps') });
    });

    it.each([
      ['publish', 'active', 'publish', 'listing cannot go from active to active: no transition from active to active; it can go to sold_out, withdrawn, expired'],
      ['withdraw', 'withdrawn', 'withdraw', 'listing cannot go from withdrawn to withdrawn: no transition from withdrawn to withdrawn; withdrawn is final'],
      ['withdraw', 'withdrawn', 'publish', 'listing cannot go from withdrawn to active: no transition from withdrawn to active; withdrawn is final'],
    ])('after %s (%s), %s is an illegal transition: 409 with the reason', async (first, _state, second, message) => {
      const lot = await makeListing(seller.http, token, {}, first === 'publish');
      if (first === 'withdraw') await seller.http.post(`/api/v1/listings/${lot.id}/withdraw`, undefined, token);
      const before = await events(lot.id);
      const response = await seller.http.post(`/api/v1/listings/${lot.id}/${second}`, undefined, token);
      expect(response.status).toBe(409);
      expect(response.body).toMatchObject({ statusCode: 409, code: 'fsm.illegal_transition', message });
      expect(await events(lot.id)).toEqual(before);
    });

    it('withdraws an active lot with reserved stock without losing the reservation', async () => {
      const lot = await makeListing(seller.http, token, { quantityKg: 1000 });
      // A hold or unpaid order of 300 kg (the order flow arrives with the buyer issue).
      await db.query(`UPDATE listings SET available_grams = available_grams - 300000, reserved_grams = reserved_grams + 300000 WHERE id = $1`, [lot.id]);
      const response = await seller.http.post(`/api/v1/listings/${lot.id}/withdraw`, undefined, token);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ status: 'withdrawn', quantityKg: 300, availableKg: 0, reservedKg: 300 });
      expect(await stock(lot.id)).toEqual({ total: 300000, available: 0, reserved: 300000, sold: 0, delisted: 700000 });
      expect(await events(lot.id)).toEqual(['listing.created', 'listing.published', 'listing.withdrawn']);
    });
  });

  describe('edits', () => {
    it('raises and lowers the quantity of an active lot through available stock', async () => {
      const lot = await makeListing(seller.http, token, { quantityKg: 1000, minOrderKg: 100 });
      const up = await seller.http.request('PATCH', `/api/v1/listings/${lot.id}`, { body: { quantityKg: 1500.5 }, token });
      expect(up.body).toMatchObject({ quantityKg: 1500.5, availableKg: 1500.5 });
      await db.query(`UPDATE listings SET available_grams = available_grams - 200000, reserved_grams = reserved_grams + 200000 WHERE id = $1`, [lot.id]);
      const down = await seller.http.request('PATCH', `/api/v1/listings/${lot.id}`, { body: { quantityKg: 600 }, token });
      expect(down.body).toMatchObject({ quantityKg: 600, availableKg: 400, reservedKg: 200 });
      const tooFar = await seller.http.request('PATCH', `/api/v1/listings/${lot.id}`, { body: { quantityKg: 150 }, token });
      expect(tooFar.status).toBe(409);
      expect(tooFar.body.details).toEqual([{ field: 'quantityKg', message: 'must be at least 200 kg (reserved and sold)' }]);
      expect(await stock(lot.id)).toEqual({ total: 600000, available: 400000, reserved: 200000, sold: 0, delisted: 0 });
    });

    it('refuses a quantity that leaves less available than the minimum order', async () => {
      const lot = await makeListing(seller.http, token, { quantityKg: 1000, minOrderKg: 500 });
      const response = await seller.http.request('PATCH', `/api/v1/listings/${lot.id}`, { body: { quantityKg: 400 }, token });
      expect(response.status).toBe(400);
      expect(response.body.details).toEqual([{ field: 'minOrderKg', message: 'must not exceed quantityKg' }]);
    });

    it('marks a lot sold out when its quantity comes down to what is sold', async () => {
      const lot = await makeListing(seller.http, token, { quantityKg: 1000, minOrderKg: 100 });
      await db.query(`UPDATE listings SET available_grams = available_grams - 400000, sold_grams = sold_grams + 400000 WHERE id = $1`, [lot.id]);
      const response = await seller.http.request('PATCH', `/api/v1/listings/${lot.id}`, { body: { quantityKg: 400 }, token });
      expect(response.body).toMatchObject({ status: 'sold_out', quantityKg: 400, availableKg: 0, soldKg: 400 });
      expect((await events(lot.id)).slice(-2)).toEqual(['listing.updated', 'listing.sold_out']);
    });

    it('changes the price of an active lot and records which fields changed', async () => {
      const lot = await makeListing(seller.http, token);
      const response = await seller.http.request('PATCH', `/api/v1/listings/${lot.id}`, { body: { unitPriceFen: 620, grade: '特级' }, token });
      expect(response.body).toMatchObject({ unitPriceFen: 620, grade: '特级', status: 'active' });
      const [event] = await db.query(`SELECT payload FROM outbox_events WHERE aggregate_id = $1 AND type = 'listing.updated'`, [lot.id]);
      expect(event.payload).toMatchObject({ changed: ['unitPriceFen', 'grade'], unitPriceFen: 620 });
    });

    it('refuses to change what the produce is once it is active', async () => {
      const lot = await makeListing(seller.http, token);
      const response = await seller.http.request('PATCH', `/api/v1/listings/${lot.id}`, { body: { categoryCode: 'fruit.pear', regionCode: '532627', title: 'x 梨' }, token });
      expect(response.status).toBe(409);
      expect(response.body.details).toEqual([
        { field: 'categoryCode', message: 'cannot change while the listing is active' },
        { field: 'regionCode', message: 'cannot change while the listing is active' },
      ]);
    });

    it('lets a draft change anything, and refuses every change once withdrawn', async () => {
      const lot = await makeListing(seller.http, token, {}, false);
      const draft = await seller.http.request('PATCH', `/api/v1/listings/${lot.id}`, { body: { categoryCode: 'fruit.pear', title: '砀山酥梨' }, token });
      expect(draft.body).toMatchObject({ categoryCode: 'fruit.pear', title: '砀山酥梨' });
      await seller.http.post(`/api/v1/listings/${lot.id}/withdraw`, undefined, token);
      const closed = await seller.http.request('PATCH', `/api/v1/listings/${lot.id}`, { body: { unitPriceFen: 1 }, token });
      expect(closed.status).toBe(409);
      expect(closed.body.code).toBe('listing.field_locked');
    });

    it('refuses null for a required field and an empty change', async () => {
      const lot = await makeListing(seller.http, token, {}, false);
      const nulled = await seller.http.request('PATCH', `/api/v1/listings/${lot.id}`, { body: { title: null }, token });
      expect(nulled.status).toBe(400);
      expect(nulled.body.details).toEqual([{ field: 'title', message: 'must not be null' }]);
      expect((await seller.http.request('PATCH', `/api/v1/listings/${lot.id}`, { body: {}, token })).status).toBe(400);
    });
  });

  describe('the database invariant', () => {
    it('rejects a direct UPDATE that breaks available + reserved + sold = total', async () => {
      const lot = await makeListing(seller.http, token);
      await expect(db.query(`UPDATE listings SET available_grams = available_grams + 1 WHERE id = $1`, [lot.id])).rejects.toThrow(/listings_quantities_check/);
      await expect(db.query(`UPDATE listings SET available_grams = -1, sold_grams = sold_grams + available_grams + 1 WHERE id = $1`, [lot.id])).rejects.toThrow(/listings_quantities_check/);
    });

    it('holds over every lot after all the tests above', async () => {
      const [{ broken }] = await db.query(`SELECT count(*)::int AS broken FROM listings WHERE available_grams + reserved_grams + sold_grams <> total_grams`);
      expect(broken).toBe(0);
    });
  });

  describe('organisations see only their own lots', () => {
    it("answers 404 for another organisation's lot on read, edit, publish and withdraw", async () => {
      const lot = await makeListing(seller.http, token, {}, false);
      expect((await seller.http.get(`/api/v1/listings/${lot.id}`, otherToken)).status).toBe(404);
      expect((await seller.http.request('PATCH', `/api/v1/listings/${lot.id}`, { body: { unitPriceFen: 1 }, token: otherToken })).status).toBe(404);
      expect((await seller.http.post(`/api/v1/listings/${lot.id}/publish`, undefined, otherToken)).status).toBe(404);
      expect((await seller.http.post(`/api/v1/listings/${lot.id}/withdraw`, undefined, otherToken)).status).toBe(404);
      expect((await seller.http.get(`/api/v1/listings/${lot.id}`, token)).body.status).toBe('draft');
      expect(await events(lot.id)).toEqual(['listing.created']);
    });

    it('answers 404, not 500, for an id that is not a uuid', async () => {
      expect((await seller.http.get('/api/v1/listings/not-a-uuid', token)).status).toBe(404);
    });
  });

  describe('the seller list', () => {
    it('pages newest first with an opaque cursor, filtered by status and category group', async () => {
      const { accessToken } = await makeCooperative(seller.http);
      const made: string[] = [];
      for (let i = 0; i < 5; i++) made.push((await makeListing(seller.http, accessToken, { title: `苹果 ${i}` }, i % 2 === 0)).id);
      made.push((await makeListing(seller.http, accessToken, { categoryCode: 'veg.potato', title: '马铃薯', bestBefore: addDays(today, 100) })).id);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { items: { id: string }[]; nextCursor: string | null } } = await seller.http.get(`/api/v1/listings?limit=2${cursor ? `&cursor=${cursor}` : ''}`, accessToken);
        expect(page.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.body.items.map((l) => l.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual([...made].reverse());
      const activeFruit = await seller.http.get('/api/v1/listings?status=active&categoryCode=fruit', accessToken);
      expect(activeFruit.body.items.map((l: { id: string }) => l.id)).toEqual([made[4], made[2], made[0]]);
      const potatoes = await seller.http.get('/api/v1/listings?categoryCode=veg.potato', accessToken);
      expect(potatoes.body.items).toHaveLength(1);
    });

    it('refuses a forged cursor and a bad limit with 400', async () => {
      expect((await seller.http.get('/api/v1/listings?cursor=bm90LWEtY3Vyc29y', token)).body.details).toEqual([{ field: 'cursor', message: 'is not a cursor returned by this collection' }]);
      const wellFormedButWrong = Buffer.from(JSON.stringify(['not-a-date', 'not-a-uuid'])).toString('base64url');
      expect((await seller.http.get(`/api/v1/listings?cursor=${wellFormedButWrong}`, token)).status).toBe(400);
      expect((await seller.http.get('/api/v1/listings?limit=500', token)).status).toBe(400);
      expect((await seller.http.get('/api/v1/listings?status=sold', token)).status).toBe(400);
    });
  });
});
