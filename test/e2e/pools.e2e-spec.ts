import { DataSource } from 'typeorm';
import { addDays, chinaDate } from '@chanxiao/core';
import { PoolsService } from '@chanxiao/assistance';
import { type RunningApp, startApp } from '../support/apps';
import { makeBuyer, makeCooperative, makeListing } from '../support/factories';
import { lotStock, matcherSettled } from '../support/matching';
import { createTestEnv, type TestEnv } from '../support/test-env';
import { sleep, waitFor } from '../support/wait';

describe('pooled demand (拼单): fill, match as one demand, split into per-buyer orders, or fail and release', () => {
  let env: TestEnv;
  let seller: RunningApp;
  let buyer: RunningApp;
  let matcher: RunningApp;
  let db: DataSource;
  const today = chinaDate();
  const members: { token: string; org: string }[] = [];

  const poolInput = (overrides: Record<string, unknown> = {}) => ({
    categoryCode: 'fruit.citrus', destinationRegionCode: '420100', maxUnitPriceFen: 600, deliverBy: addDays(today, 20),
    joinBy: new Date(Date.now() + 86_400_000).toISOString(), coldChainCapable: true, quantityKg: 500, ...overrides,
  });

  beforeAll(async () => {
    env = await createTestEnv();
    // A truckload of 1 t for the test; one buyer (the pool) may hold a whole lot.
    const config = env.configWith({ POOL_TRUCKLOAD_KG: '1000', MATCH_MAX_BUYER_SHARE_PERCENT: '100', OUTBOX_POLL_INTERVAL_MS: '200' });
    [seller, buyer, matcher] = await Promise.all([startApp('seller', env, config), startApp('buyer', env, config), startApp('matcher', env, config)]);
    db = buyer.app.get(DataSource);
    for (const name of ['武汉市总工会食堂', '武汉大学食堂', '武汉市第一医院食堂']) {
      const b = await makeBuyer(buyer.http, { organization: { buyerType: 'consumption_assistance', name, regionCode: '420102' } });
      members.push({ token: b.accessToken, org: b.organization.id });
    }
  }, 60_000);

  afterAll(async () => {
    await Promise.all([matcher?.close(), seller?.close(), buyer?.close()]);
    await env?.destroy();
  });

  it('refuses a pool that is not for a city, is already past, or is more than a truckload, naming each field', async () => {
    const bad = await buyer.http.post('/api/v1/pools', poolInput({ destinationRegionCode: '420000', joinBy: '2020-01-01T00:00:00+08:00', quantityKg: 1200 }), members[0].token);
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['destinationRegionCode', 'joinBy', 'quantityKg']);
    expect(await db.query(`SELECT id FROM demand_pools`)).toEqual([]);
  });

  it('fills at a truckload, becomes one demand, and splits the confirmed proposal into one order per member', async () => {
    const [a, b, c] = members;
    const opened = await buyer.http.post('/api/v1/pools', poolInput(), a.token);
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({ status: 'open', targetKg: 1000, joinedKg: 500, members: 1, organizer: true, membership: { quantityKg: 500, allocatedKg: 0 } });
    const id = opened.body.id;
    expect((await buyer.http.get('/api/v1/pools?categoryCode=fruit.citrus', c.token)).body.items.map((p: { id: string }) => p.id)).toEqual([id]);
    expect((await buyer.http.post(`/api/v1/pools/${id}/join`, { quantityKg: 300 }, b.token)).body).toMatchObject({ joinedKg: 800, members: 2, organizer: false });
    expect((await buyer.http.post(`/api/v1/pools/${id}/join`, { quantityKg: 1 }, b.token)).status).toBe(409);
    const tooMuch = await buyer.http.post(`/api/v1/pools/${id}/join`, { quantityKg: 300 }, c.token);
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body.details).toEqual([{ field: 'quantityKg', message: 'must be at most 200 kg' }]);
    const full = await buyer.http.post(`/api/v1/pools/${id}/join`, { quantityKg: 200 }, c.token);
    expect(full.body).toMatchObject({ status: 'filled', joinedKg: 1000, members: 3, demandId: expect.any(String) });
    expect((await buyer.http.post(`/api/v1/pools/${id}/join`, { quantityKg: 1 }, members[0].token)).status).toBe(409);
    // The organiser sees the pool's demand among its own.
    const demand = (await buyer.http.get(`/api/v1/demands/${full.body.demandId}`, a.token)).body;
    expect(demand).toMatchObject({ status: 'open', quantityKg: 1000, categoryCode: 'fruit.citrus', destinationRegionCode: '420100', maxUnitPriceFen: 600, preferPoverty: true });

    // A cooperative in 秭归县 (poverty county, 湖北) lists 1.5 t of navel oranges: the matcher proposes 1 t to the pool.
    const coop = await makeCooperative(seller.http, { organization: { regionCode: '420527', name: '秭归脐橙专业合作社' } });
    const lot = await makeListing(seller.http, coop.accessToken, { categoryCode: 'fruit.citrus', title: '秭归脐橙', quantityKg: 1500, minOrderKg: 100, unitPriceFen: 450 });
    await waitFor('a proposal for the pool', async () => (await buyer.http.get('/api/v1/proposals', a.token)).body.items.length > 0);
    await matcherSettled(db);
    const [proposal] = (await buyer.http.get('/api/v1/proposals', a.token)).body.items;
    expect(proposal).toMatchObject({ demandId: full.body.demandId, listingId: lot.id, quantityKg: 1000 });
    expect((await buyer.http.post(`/api/v1/proposals/${proposal.id}/accept`, undefined, a.token)).status).toBe(200);
    const confirmed = await seller.http.post(`/api/v1/proposals/${proposal.id}/accept`, undefined, coop.accessToken);
    expect(confirmed.body.status).toBe('confirmed');

    // One order per member for its share, at the proposal's price, pending payment; the lot's hold is their reservation.
    const ordersOf = async (token: string) => (await buyer.http.get('/api/v1/orders', token)).body.items as { id: string; status: string; lines: { listingId: string; quantityKg: number; unitPriceFen: number }[]; totalFen: number }[];
    const shares = [];
    for (const [i, m] of members.entries()) {
      const orders = await ordersOf(m.token);
      expect(orders).toHaveLength(1);
      expect(orders[0]).toMatchObject({ status: 'pending_payment', lines: [{ listingId: lot.id, unitPriceFen: 450 }] });
      shares.push(orders[0].lines[0].quantityKg);
      expect((await buyer.http.get(`/api/v1/pools/${id}`, m.token)).body.membership).toEqual({ quantityKg: [500, 300, 200][i], allocatedKg: [500, 300, 200][i], status: 'joined' });
    }
    expect(shares).toEqual([500, 300, 200]);
    expect(await lotStock(db, lot.id)).toMatchObject({ available: 500_000, reserved: 1_000_000, sold: 0 });
    expect((await buyer.http.get(`/api/v1/demands/${full.body.demandId}`, a.token)).body).toMatchObject({ status: 'filled', filledKg: 1000 });
    // The seller sees three orders and can take payment for each; members pay their own.
    const sellerOrders = (await seller.http.get('/api/v1/orders', coop.accessToken)).body.items;
    expect(sellerOrders.map((o: { buyerOrganizationId: string }) => o.buyerOrganizationId).sort()).toEqual(members.map((m) => m.org).sort());
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM outbox_events WHERE type = 'order.placed' AND payload->>'sellerOrganizationId' = $1`, [coop.organization.id]);
    expect(n).toBe(3);
  });

  it('fails a pool not full by its deadline and releases everyone', async () => {
    const [a, b] = members;
    const opened = await buyer.http.post('/api/v1/pools', poolInput({ categoryCode: 'veg', joinBy: new Date(Date.now() + 1500).toISOString(), quantityKg: 400 }), a.token);
    expect(opened.status).toBe(201);
    await buyer.http.post(`/api/v1/pools/${opened.body.id}/join`, { quantityKg: 100 }, b.token);
    const pools = matcher.app.get(PoolsService);
    expect(await pools.failExpired()).toBe(0); // not yet
    await sleep(1600);
    const late = await buyer.http.post(`/api/v1/pools/${opened.body.id}/join`, { quantityKg: 100 }, members[2].token);
    expect(late.status).toBe(409);
    expect(await pools.failExpired()).toBe(1);
    expect(await pools.failExpired()).toBe(0);
    const failed = (await buyer.http.get(`/api/v1/pools/${opened.body.id}`, b.token)).body;
    expect(failed).toMatchObject({ status: 'failed', demandId: null, membership: { quantityKg: 100, allocatedKg: 0, status: 'released' } });
    const [event] = await db.query(`SELECT payload FROM outbox_events WHERE type = 'pool.failed' AND aggregate_id = $1`, [opened.body.id]);
    expect(event.payload.released.map((r: { organizationId: string }) => r.organizationId).sort()).toEqual([a.org, b.org].sort());
    expect(await db.query(`SELECT id FROM demands WHERE note = $1`, [`拼单 ${opened.body.id}`])).toEqual([]);
    expect((await buyer.http.get('/api/v1/pools?status=mine', b.token)).body.items.map((p: { status: string }) => p.status).sort()).toEqual(['failed', 'filled']);
  });
});
