import { DataSource } from 'typeorm';
import { addDays, chinaDate, encodeCursor } from '@chanxiao/core';
import { DemandExpiryService, DemandsService } from '@chanxiao/demands';
import { IdentityService } from '@chanxiao/identity';
import { type RunningApp, startApp } from '../support/apps';
import { demandInput, makeBuyer, makeDemand, sellerRegistration } from '../support/factories';
import { createTestEnv, type TestEnv } from '../support/test-env';

describe('buyer demands', () => {
  let env: TestEnv;
  let buyer: RunningApp;
  let db: DataSource;
  let demands: DemandsService;
  let token: string;
  let orgId: string;
  let otherToken: string;
  const today = chinaDate();

  const events = async (id: string) =>
    (await db.query(`SELECT type FROM outbox_events WHERE aggregate_id = $1 ORDER BY id`, [id])).map((r: { type: string }) => r.type);
  const count = async (table: 'demands' | 'outbox_events') => Number((await db.query(`SELECT count(*) AS n FROM ${table}`))[0].n);
  const fill = (id: string, grams: number) => db.transaction((manager) => demands.recordFill(manager, id, grams));

  beforeAll(async () => {
    env = await createTestEnv();
    buyer = await startApp('buyer', env);
    db = buyer.app.get(DataSource);
    demands = buyer.app.get(DemandsService);
    const market = await makeBuyer(buyer.http);
    token = market.accessToken;
    orgId = market.organization.id;
    otherToken = (await makeBuyer(buyer.http, { organization: { buyerType: 'consumption_assistance', name: '广州市总工会' } })).accessToken;
  });

  afterAll(async () => {
    await buyer?.close();
    await env?.destroy();
  });

  describe('create', () => {
    it('posts an open demand in kg, stored as exact grams, and tells the matcher once', async () => {
      const input = demandInput({ quantityKg: 1234.567 });
      const response = await buyer.http.post('/api/v1/demands', input, token);
      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        id: expect.any(String),
        status: 'open',
        categoryCode: 'fruit.apple',
        quantityKg: 1234.567,
        filledKg: 0,
        heldKg: 0,
        remainingKg: 1234.567,
        maxUnitPriceFen: 700,
        destinationRegionCode: '440300',
        destinationRegionName: '深圳市',
        deliverBy: input.deliverBy,
        coldChainCapable: true,
        preferPoverty: true,
        note: '80mm 以上, 纸箱装',
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      const [row] = await db.query(`SELECT organization_id, quantity_grams::int AS quantity, filled_grams::int AS filled, closed_at FROM demands WHERE id = $1`, [response.body.id]);
      expect(row).toEqual({ organization_id: orgId, quantity: 1234567, filled: 0, closed_at: null });
      const outbox = await db.query(`SELECT type, aggregate_type, payload FROM outbox_events WHERE aggregate_id = $1`, [response.body.id]);
      expect(outbox).toEqual([
        {
          type: 'demand.created',
          aggregate_type: 'demand',
          payload: {
            demandId: response.body.id,
            buyerOrganizationId: orgId,
            status: 'open',
            categoryCode: 'fruit.apple',
            quantityGrams: 1234567,
            filledGrams: 0,
            remainingGrams: 1234567,
            maxUnitPriceFen: 700,
            destinationRegionCode: '440300',
            deliverBy: input.deliverBy,
            coldChainCapable: true,
            preferPoverty: true,
          },
        },
      ]);
    });

    it('takes a category group (any of its leaves), a province as destination, no note, and tomorrow as deadline', async () => {
      const response = await buyer.http.post('/api/v1/demands', demandInput({ categoryCode: 'fruit', destinationRegionCode: '440000', note: undefined, deliverBy: addDays(today, 1) }), token);
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ categoryCode: 'fruit', destinationRegionCode: '440000', destinationRegionName: '广东省', note: null, deliverBy: addDays(today, 1) });
    });

    it('stores the current code for an old county code', async () => {
      // 540530 错那县 is now 540581 错那市.
      const response = await buyer.http.post('/api/v1/demands', demandInput({ destinationRegionCode: '540530' }), token);
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ destinationRegionCode: '540581', destinationRegionName: '错那市' });
    });

    it.each([
      ['an unknown destination', { destinationRegionCode: '999999' }, 'destinationRegionCode', '999999 is not a GB/T 2260 region code'],
      ['a destination that is not six digits', { destinationRegionCode: '4403' }, 'destinationRegionCode', 'must be a six-digit GB/T 2260 region code'],
      ['today as the deadline', { deliverBy: today }, 'deliverBy', `must be after today (${today})`],
      ['a deadline in the past', { deliverBy: addDays(today, -3) }, 'deliverBy', `must be after today (${today})`],
      ['an impossible date', { deliverBy: '2027-02-30' }, 'deliverBy', 'must be a date written YYYY-MM-DD'],
      ['a date in another format', { deliverBy: '2027/01/15' }, 'deliverBy', 'must be a date written YYYY-MM-DD'],
      ['an unknown category', { categoryCode: 'fruit.durian' }, 'categoryCode', 'fruit.durian is not a category code'],
      ['a malformed category', { categoryCode: 'Fruit Apple' }, 'categoryCode', 'must be a category code such as fruit.apple or fruit'],
      ['a negative quantity', { quantityKg: -5 }, 'quantityKg', 'must be greater than 0'],
      ['a zero quantity', { quantityKg: 0 }, 'quantityKg', 'must be greater than 0'],
      ['four decimals of kg', { quantityKg: 1.2345 }, 'quantityKg', 'must have at most 3 decimals (whole grams)'],
      ['a quantity as text', { quantityKg: '500' }, 'quantityKg', 'must be a number of kg'],
      ['a zero price', { maxUnitPriceFen: 0 }, 'maxUnitPriceFen', 'must not be less than 1'],
      ['a negative price', { maxUnitPriceFen: -700 }, 'maxUnitPriceFen', 'must not be less than 1'],
      ['a price with decimals', { maxUnitPriceFen: 6.8 }, 'maxUnitPriceFen', 'must be an integer number'],
      ['a flag as text', { coldChainCapable: 'true' }, 'coldChainCapable', 'must be a boolean value'],
      ['a missing flag', { preferPoverty: undefined }, 'preferPoverty', 'must be a boolean value'],
      ['a note that is a number', { note: 42 }, 'note', 'must be a string'],
      ['an unknown field', { organic: true }, 'organic', 'property organic should not exist'],
    ])('refuses %s with 400 naming the field, writing nothing', async (_, overrides, field, message) => {
      const [demandsBefore, eventsBefore] = [await count('demands'), await count('outbox_events')];
      const response = await buyer.http.post('/api/v1/demands', demandInput(overrides), token);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(response.body.details).toContainEqual({ field, message });
      expect([await count('demands'), await count('outbox_events')]).toEqual([demandsBefore, eventsBefore]);
    });

    it('names every problem the rules find at once', async () => {
      const response = await buyer.http.post('/api/v1/demands', demandInput({ categoryCode: 'fruit.durian', destinationRegionCode: '999999', deliverBy: addDays(today, -1) }), token);
      expect(response.status).toBe(400);
      expect(response.body.details.map((d: { field: string }) => d.field)).toEqual(['categoryCode', 'destinationRegionCode', 'deliverBy']);
    });

    it('refuses a body that is not JSON and an empty body with 4xx, not 500', async () => {
      expect((await buyer.http.request('POST', '/api/v1/demands', { raw: '{"categoryCode":', token })).status).toBe(400);
      expect((await buyer.http.request('POST', '/api/v1/demands', { raw: '[]', token })).status).toBe(400);
    });
  });

  describe('read', () => {
    it("reads its own demand, and answers 404 for another organisation's or a non-uuid id", async () => {
      const demand = await makeDemand(buyer.http, token);
      const own = await buyer.http.get(`/api/v1/demands/${demand.id}`, token);
      expect(own.status).toBe(200);
      expect(own.body).toEqual(demand);
      const other = await buyer.http.get(`/api/v1/demands/${demand.id}`, otherToken);
      expect(other.status).toBe(404);
      expect(other.body).toMatchObject({ statusCode: 404, code: 'demand.not_found' });
      expect((await buyer.http.get('/api/v1/demands/not-a-uuid', token)).status).toBe(404);
    });

    it('shows what is filled and what remains', async () => {
      const demand = await makeDemand(buyer.http, token, { quantityKg: 1000 });
      await fill(demand.id, 250_500);
      const response = await buyer.http.get(`/api/v1/demands/${demand.id}`, token);
      expect(response.body).toMatchObject({ status: 'partially_filled', quantityKg: 1000, filledKg: 250.5, remainingKg: 749.5 });
    });
  });

  describe('cancel', () => {
    it('cancels an open demand, writing demand.cancelled once', async () => {
      const demand = await makeDemand(buyer.http, token);
      const response = await buyer.http.post(`/api/v1/demands/${demand.id}/cancel`, undefined, token);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ id: demand.id, status: 'cancelled' });
      expect(await events(demand.id)).toEqual(['demand.created', 'demand.cancelled']);
      const [row] = await db.query(`SELECT closed_at FROM demands WHERE id = $1`, [demand.id]);
      expect(row.closed_at).toBeInstanceOf(Date);
      const [event] = await db.query(`SELECT payload FROM outbox_events WHERE aggregate_id = $1 AND type = 'demand.cancelled'`, [demand.id]);
      expect(event.payload).toMatchObject({ demandId: demand.id, status: 'cancelled', buyerOrganizationId: orgId, remainingGrams: 5_000_000 });
    });

    it('cancels a partially filled demand, keeping what was filled', async () => {
      const demand = await makeDemand(buyer.http, token, { quantityKg: 100 });
      await fill(demand.id, 40_000);
      const response = await buyer.http.post(`/api/v1/demands/${demand.id}/cancel`, undefined, token);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ status: 'cancelled', filledKg: 40, remainingKg: 60 });
      expect(await events(demand.id)).toEqual(['demand.created', 'demand.partially_filled', 'demand.cancelled']);
    });

    it.each([
      ['cancelled', 'demand cannot go from cancelled to cancelled: no transition from cancelled to cancelled; cancelled is final'],
      ['filled', 'demand cannot go from filled to cancelled: no transition from filled to cancelled; filled is final'],
      ['expired', 'demand cannot go from expired to cancelled: no transition from expired to cancelled; expired is final'],
    ])('refuses to cancel a demand that is %s: 409 with the reason, no event', async (state, message) => {
      const demand = await makeDemand(buyer.http, token, { quantityKg: 10 });
      if (state === 'cancelled') await buyer.http.post(`/api/v1/demands/${demand.id}/cancel`, undefined, token);
      if (state === 'filled') await fill(demand.id, 10_000);
      if (state === 'expired') {
        // Time passes: the deadline is behind us and the matcher's expiry has run.
        await db.query(`UPDATE demands SET deliver_by = $2 WHERE id = $1`, [demand.id, addDays(today, -1)]);
        expect(await buyer.app.get(DemandExpiryService).expireDue()).toBe(1);
      }
      expect((await buyer.http.get(`/api/v1/demands/${demand.id}`, token)).body.status).toBe(state);
      const before = await events(demand.id);
      const response = await buyer.http.post(`/api/v1/demands/${demand.id}/cancel`, undefined, token);
      expect(response.status).toBe(409);
      expect(response.body).toMatchObject({ statusCode: 409, error: 'Conflict', code: 'fsm.illegal_transition', message });
      expect(response.body.details).toEqual([{ field: 'status', message: message.split(': ').slice(1).join(': ') }]);
      expect(await events(demand.id)).toEqual(before);
    });

    it("answers 404 for another organisation's demand and leaves it open", async () => {
      const demand = await makeDemand(buyer.http, token);
      expect((await buyer.http.post(`/api/v1/demands/${demand.id}/cancel`, undefined, otherToken)).status).toBe(404);
      expect((await buyer.http.post('/api/v1/demands/not-a-uuid/cancel', undefined, token)).status).toBe(404);
      expect((await buyer.http.get(`/api/v1/demands/${demand.id}`, token)).body.status).toBe('open');
      expect(await events(demand.id)).toEqual(['demand.created']);
    });

    it('cancels exactly once when two cancels race', async () => {
      const demand = await makeDemand(buyer.http, token);
      const responses = await Promise.all([1, 2, 3].map(() => buyer.http.post(`/api/v1/demands/${demand.id}/cancel`, undefined, token)));
      expect(responses.map((r) => r.status).sort()).toEqual([200, 409, 409]);
      expect(await events(demand.id)).toEqual(['demand.created', 'demand.cancelled']);
    });
  });

  describe('the buyer list', () => {
    it('pages newest first with an opaque cursor, filtered by status, and shows only its own', async () => {
      const { accessToken } = await makeBuyer(buyer.http);
      const made: string[] = [];
      for (let i = 0; i < 5; i++) made.push((await makeDemand(buyer.http, accessToken, { quantityKg: 100 + i })).id);
      await buyer.http.post(`/api/v1/demands/${made[1]}/cancel`, undefined, accessToken);
      await buyer.http.post(`/api/v1/demands/${made[3]}/cancel`, undefined, accessToken);
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: { status: number; body: { items: { id: string }[]; nextCursor: string | null } } = await buyer.http.get(
          `/api/v1/demands?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
          accessToken,
        );
        expect(page.status).toBe(200);
        expect(page.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.body.items.map((d) => d.id));
        cursor = page.body.nextCursor;
        pages++;
      } while (cursor);
      expect(seen).toEqual([...made].reverse());
      expect(pages).toBe(3);
      const cancelled = await buyer.http.get('/api/v1/demands?status=cancelled', accessToken);
      expect(cancelled.body).toEqual({ items: [expect.objectContaining({ id: made[3] }), expect.objectContaining({ id: made[1] })], nextCursor: null });
      const open = await buyer.http.get('/api/v1/demands?status=open&limit=1', accessToken);
      expect(open.body.items.map((d: { id: string }) => d.id)).toEqual([made[4]]);
      const rest = await buyer.http.get(`/api/v1/demands?status=open&limit=5&cursor=${open.body.nextCursor}`, accessToken);
      expect(rest.body).toEqual({ items: [expect.objectContaining({ id: made[2] }), expect.objectContaining({ id: made[0] })], nextCursor: null });
      const others = await buyer.http.get('/api/v1/demands?limit=100', otherToken);
      expect(others.body.items.filter((d: { id: string }) => made.includes(d.id))).toEqual([]);
    });

    it('answers an empty page for an organisation with no demands', async () => {
      const { accessToken } = await makeBuyer(buyer.http);
      expect((await buyer.http.get('/api/v1/demands', accessToken)).body).toEqual({ items: [], nextCursor: null });
    });

    it.each([
      ['a forged cursor', 'cursor=bm90LWEtY3Vyc29y', 'cursor'],
      ['a cursor with keys of the wrong kind', `cursor=${encodeCursor(['yesterday', 'not-a-uuid'])}`, 'cursor'],
      ['a limit of 0', 'limit=0', 'limit'],
      ['a limit of 101', 'limit=101', 'limit'],
      ['a limit that is not a number', 'limit=ten', 'limit'],
      ['an unknown status', 'status=sold', 'status'],
      ['an unknown parameter', 'sort=price', 'sort'],
    ])('refuses %s with 400 naming it', async (_, query, field) => {
      const response = await buyer.http.get(`/api/v1/demands?${query}`, token);
      expect(response.status).toBe(400);
      expect(response.body.details.map((d: { field: string }) => d.field)).toContain(field);
    });
  });

  describe('who may call', () => {
    it("refuses a seller's token and no token on every demand route", async () => {
      const demand = await makeDemand(buyer.http, token);
      const registration = sellerRegistration();
      const { accessToken: sellerToken } = await buyer.app.get(IdentityService).register({ kind: 'seller', ...registration });
      const calls = (bearer?: string) => [
        buyer.http.post('/api/v1/demands', demandInput(), bearer),
        buyer.http.get('/api/v1/demands', bearer),
        buyer.http.get(`/api/v1/demands/${demand.id}`, bearer),
        buyer.http.post(`/api/v1/demands/${demand.id}/cancel`, undefined, bearer),
      ];
      for (const response of await Promise.all(calls(sellerToken))) {
        expect(response.status).toBe(401);
        expect(response.body.code).toBe('auth.wrong_app');
      }
      for (const response of await Promise.all(calls(undefined))) expect(response.status).toBe(401);
      expect(await events(demand.id)).toEqual(['demand.created']);
    });
  });
});
