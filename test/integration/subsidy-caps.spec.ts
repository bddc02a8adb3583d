import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { addDays, chinaDate } from '@chanxiao/core';
import { ASSISTANCE_CONSUMER, SubsidyLedgerService } from '@chanxiao/assistance';
import { IdentityService } from '@chanxiao/identity';
import { type RunningApp, startApp } from '../support/apps';
import { assistanceSettled } from '../support/assistance';
import { makeBuyer, makeCooperative, makeListing, makePhone, TEST_PASSWORD } from '../support/factories';
import { createTestEnv, type TestEnv } from '../support/test-env';

/** Every cap of every programme, and exactly-once per order, checked from the tables. */
async function invariants(db: DataSource, programmeId: string) {
  const [p] = await db.query(`SELECT budget_fen::int AS budget, spent_fen::int AS spent, per_seller_cap_fen::int AS cap, per_order_fen AS per FROM subsidy_programmes WHERE id = $1`, [programmeId]);
  const [entries] = await db.query(`SELECT coalesce(sum(amount_fen), 0)::int AS fen, count(*)::int AS n, count(DISTINCT order_id)::int AS orders FROM subsidy_entries WHERE programme_id = $1`, [programmeId]);
  const sellers = await db.query(
    `SELECT t.seller_organization_id AS seller, t.spent_fen::int AS spent, (SELECT coalesce(sum(amount_fen), 0)::int FROM subsidy_entries e WHERE e.programme_id = t.programme_id AND e.seller_organization_id = t.seller_organization_id) AS entries
       FROM subsidy_seller_totals t WHERE t.programme_id = $1`,
    [programmeId],
  );
  return { programme: p, entries, sellers };
}

describe('courier subsidy caps under concurrent shipments', () => {
  let env: TestEnv;
  let seller: RunningApp;
  let buyer: RunningApp;
  let agency: RunningApp;
  let matcher: RunningApp;
  let db: DataSource;
  const today = chinaDate();
  const orders: { id: string; seller: string }[] = [];
  const sellers: { token: string; org: string }[] = [];
  let agencyToken: string;

  const programme = async (name: string, perOrderFen: number, perSellerCapFen: number, budgetFen: number) => {
    const made = await agency.http.post('/api/v1/subsidy-programmes', { name, perOrderFen, perSellerCapFen, budgetFen, regionCodes: ['530000'], startsOn: addDays(today, -1), endsOn: addDays(today, 30) }, agencyToken);
    if (made.status !== 201) throw new Error(`programme: ${made.status} ${made.text}`);
    return made.body.id as string;
  };

  beforeAll(async () => {
    env = await createTestEnv();
    const config = env.configWith({ DB_POOL_SIZE: '20' });
    [seller, buyer, agency] = await Promise.all([startApp('seller', env, config), startApp('buyer', env, config), startApp('agency', env, config)]);
    db = seller.app.get(DataSource);
    const phone = makePhone();
    await agency.app.get(IdentityService).createAgencyUser({ phone, password: TEST_PASSWORD, name: '李娜', regionCode: '530000' });
    agencyToken = (await agency.http.post('/api/v1/auth/login', { phone, password: TEST_PASSWORD })).body.accessToken;
    const shop = await makeBuyer(buyer.http, { organization: { buyerType: 'ecommerce' } });
    // 100 paid orders: 60 from a cooperative in 广南县, 40 from one in 澜沧县 (both in 云南).
    for (const [regionCode, count] of [['532627', 60], ['530828', 40]] as const) {
      const coop = await makeCooperative(seller.http, { organization: { regionCode } });
      sellers.push({ token: coop.accessToken, org: coop.organization.id });
      const lot = await makeListing(seller.http, coop.accessToken, { quantityKg: 10_000, minOrderKg: 1, unitPriceFen: 500 });
      for (let i = 0; i < count; i++) {
        const placed = await buyer.http.request('POST', '/api/v1/orders', { body: { lines: [{ listingId: lot.id, quantityKg: 10 }], paymentMethod: 'bank_transfer' }, token: shop.accessToken, headers: { 'idempotency-key': randomUUID() } });
        const order = placed.body.orders[0];
        await seller.http.post(`/api/v1/orders/${order.id}/confirm-payment`, undefined, coop.accessToken);
        orders.push({ id: order.id, seller: coop.organization.id });
      }
    }
  }, 120_000);

  afterAll(async () => {
    await Promise.all([matcher?.close(), seller?.close(), buyer?.close(), agency?.close()]);
    await env?.destroy();
  });

  it('never passes the budget or a seller cap, and pays each order at most once, when 100 orders ship at once', async () => {
    // 2 yuan an order, at most 30 yuan a seller (15 orders), 50 yuan in all (25 orders): the budget binds.
    const id = await programme('云南快递补贴（并发）', 200, 3000, 5000);
    matcher = await startApp('matcher', env, env.configWith({ DB_POOL_SIZE: '20' }));
    const shipped = await Promise.all(orders.map((o) => seller.http.post(`/api/v1/orders/${o.id}/ship`, { carrier: '顺丰速运', trackingNo: `SF${o.id.slice(0, 10)}` }, sellers.find((s) => s.org === o.seller)!.token)));
    expect(shipped.map((r) => r.status)).toEqual(orders.map(() => 200));
    await assistanceSettled(db, 60_000);
    const { programme: p, entries, sellers: totals } = await invariants(db, id);
    expect(p.spent).toBe(5000);
    expect(entries).toEqual({ fen: 5000, n: 25, orders: 25 });
    for (const t of totals) {
      expect(t.spent).toBeLessThanOrEqual(3000);
      expect(t.spent).toBe(t.entries);
    }
    expect(totals.reduce((s: number, t: { spent: number }) => s + t.spent, 0)).toBe(5000);
    // Each shipped event was processed exactly once by the assistance consumer.
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM processed_events p JOIN outbox_events o ON o.id = p.event_id WHERE p.consumer = $1 AND o.type = 'order.shipped'`, [ASSISTANCE_CONSUMER]);
    expect(n).toBe(100);
  }, 120_000);

  it('holds the caps with 200 earnings racing on 20 connections (every order twice), then reverses exactly once', async () => {
    // Seller caps bind here: 15 orders each at most, 30 in all, under a budget of 40.
    const id = await programme('云南快递补贴（直接并发）', 100, 1500, 4000);
    const ledger = matcher.app.get(SubsidyLedgerService);
    const data = matcher.app.get(DataSource);
    const attempts = [...orders, ...orders].map((o, i) => data.transaction((m) => ledger.earn(m, o.id, o.seller, { id: String(1_000_000 + i), createdAt: new Date().toISOString() })));
    await Promise.all(attempts);
    const { programme: p, entries, sellers: totals } = await invariants(db, id);
    expect(p.spent).toBe(3000);
    expect(entries).toEqual({ fen: 3000, n: 30, orders: 30 });
    expect(totals.map((t: { spent: number }) => t.spent)).toEqual([1500, 1500]);
    expect(totals.every((t: { spent: number; entries: number }) => t.spent === t.entries)).toBe(true);

    // No order is cancelled after shipping in the order lifecycle; fed a cancellation (twice, at once), the ledger gives it back once per programme.
    const [earned] = await db.query(`SELECT order_id FROM subsidy_entries WHERE programme_id = $1 LIMIT 1`, [id]);
    const programmesOfOrder = Number((await db.query(`SELECT count(*) AS n FROM subsidy_entries WHERE order_id = $1`, [earned.order_id]))[0].n);
    const reversed = await Promise.all([1, 2].map((k) => data.transaction((m) => ledger.reverse(m, earned.order_id, { id: String(2_000_000 + k) }))));
    expect(reversed.reduce((s, r) => s + r, 0)).toBe(programmesOfOrder);
    expect((await invariants(db, id)).programme.spent).toBe(2900);
    const [{ net }] = await db.query(`SELECT sum(amount_fen)::int AS net FROM subsidy_entries WHERE order_id = $1`, [earned.order_id]);
    expect(net).toBe(0);
  }, 120_000);
});
