import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { postgresOptions } from '@chanxiao/core';
import { MIGRATIONS } from '@chanxiao/migrations';
import { HeldOrdersService } from '@chanxiao/orders';
import { type RunningApp, startApp } from '../support/apps';
import { makeBuyer, makeCooperative, makeListing, makeUscc } from '../support/factories';
import { createTestEnv, type TestEnv } from '../support/test-env';

const ACCOUNT = { accountName: '广南县八宝贡米农民专业合作社', bankName: '中国农业银行广南县支行', accountNo: '6228 4801 2345 6789 012' };
const NUMBER = /^CX(\d{8})(\d{6,})$/;

/** yyyymmdd of an instant in Beijing time. */
const beijingDay = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '');

describe('order numbers, payTo and the parties of an order', () => {
  let env: TestEnv;
  let seller: RunningApp;
  let buyer: RunningApp;
  let db: DataSource;
  let coop: Awaited<ReturnType<typeof makeCooperative>>;
  let bare: Awaited<ReturnType<typeof makeCooperative>>;
  let buyerA: Awaited<ReturnType<typeof makeBuyer>>;
  let buyerB: Awaited<ReturnType<typeof makeBuyer>>;
  let lot: { id: string };
  let bareLot: { id: string };

  const place = (token: string, lines: { listingId: string; quantityKg: number }[], key = randomUUID()) =>
    buyer.http.request('POST', '/api/v1/orders', { body: { lines, paymentMethod: 'bank_transfer' }, token, headers: { 'idempotency-key': key } });

  beforeAll(async () => {
    env = await createTestEnv();
    seller = await startApp('seller', env);
    buyer = await startApp('buyer', env);
    db = seller.app.get(DataSource);
    coop = await makeCooperative(seller.http);
    bare = await makeCooperative(seller.http, { organization: { name: '秦安县花牛苹果专业合作社', regionCode: '620522' } });
    buyerA = await makeBuyer(buyer.http);
    buyerB = await makeBuyer(buyer.http, { organization: { name: '成都市第一中学食堂', regionCode: '510104', buyerType: 'consumption_assistance' } });
    expect((await seller.http.request('PUT', '/api/v1/organization/payout-account', { body: ACCOUNT, token: coop.accessToken })).status).toBe(200);
    lot = await makeListing(seller.http, coop.accessToken, { quantityKg: 100000, minOrderKg: 10 });
    bareLot = await makeListing(seller.http, bare.accessToken, { quantityKg: 1000, minOrderKg: 10 });
  });

  afterAll(async () => {
    await buyer?.close();
    await seller?.close();
    await env?.destroy();
  });

  it('numbers every order CX + its Beijing creation date + 6 digits, on every view of both sides', async () => {
    const placed = await place(buyerA.accessToken, [{ listingId: lot.id, quantityKg: 10 }, { listingId: bareLot.id, quantityKg: 10 }]);
    expect(placed.status).toBe(201);
    expect(placed.body.orders).toHaveLength(2);
    for (const order of placed.body.orders) {
      const [, day] = NUMBER.exec(order.number) ?? [];
      expect(day).toBe(beijingDay(order.createdAt));
      const [row] = await db.query(`SELECT number FROM orders WHERE id = $1`, [order.id]);
      expect(row.number).toBe(order.number);
      expect((await buyer.http.get(`/api/v1/orders/${order.id}`, buyerA.accessToken)).body.number).toBe(order.number);
    }
    const mine = placed.body.orders.find((o: { sellerOrganizationId: string }) => o.sellerOrganizationId === coop.organization.id);
    expect((await seller.http.get(`/api/v1/orders/${mine.id}`, coop.accessToken)).body.number).toBe(mine.number);
    const confirmed = await seller.http.post(`/api/v1/orders/${mine.id}/confirm-payment`, undefined, coop.accessToken);
    expect(confirmed.body).toMatchObject({ status: 'paid', number: mine.number });
  });

  it('gives ten buyers checking out at once ten different numbers', async () => {
    const buyers = [buyerA, buyerB];
    const responses = await Promise.all(Array.from({ length: 10 }, (_, i) => place(buyers[i % 2].accessToken, [{ listingId: lot.id, quantityKg: 10 + i }])));
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(201));
    const numbers = responses.map((r) => r.body.orders[0].number as string);
    for (const number of numbers) expect(number).toMatch(NUMBER);
    expect(new Set(numbers).size).toBe(10);
    const [{ n }] = await db.query(`SELECT count(DISTINCT number)::int AS n FROM orders WHERE number = ANY($1)`, [numbers]);
    expect(n).toBe(10);
  });

  it('replays a checkout with the same numbers', async () => {
    const key = randomUUID();
    const first = await place(buyerA.accessToken, [{ listingId: lot.id, quantityKg: 20 }], key);
    const again = await place(buyerA.accessToken, [{ listingId: lot.id, quantityKg: 20 }], key);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.orders[0].number).toBe(first.body.orders[0].number);
    expect(again.body.orders[0].payTo).toEqual(first.body.orders[0].payTo);
  });

  it('numbers the order a confirmed proposal writes from the same sequence', async () => {
    const held = buyer.app.get(HeldOrdersService);
    const order = await buyer.app.get(DataSource).transaction((manager) =>
      held.place(manager, {
        key: `proposal:${randomUUID()}`, buyerOrganizationId: buyerA.organization.id, sellerOrganizationId: coop.organization.id,
        lines: [{ listingId: lot.id, title: '秦安花牛苹果', categoryCode: 'fruit.apple', grams: 10_000, unitPriceFen: 680 }],
      }),
    );
    expect(order.number).toMatch(NUMBER);
    const [{ max }] = await db.query(`SELECT max(substr(number, 11)::bigint)::int AS max FROM orders`);
    expect(Number(order.number.slice(10))).toBe(max);
    const found = await buyer.http.get(`/api/v1/orders?number=${order.number}`, buyerA.accessToken);
    expect(found.body.items.map((o: { id: string }) => o.id)).toEqual([order.id]);
  });

  it('finds an order by its number on both sides, ignoring case and spaces, and never another organisation’s', async () => {
    const placed = await place(buyerB.accessToken, [{ listingId: lot.id, quantityKg: 30 }]);
    const { id, number } = placed.body.orders[0];
    const query = (n: string) => `/api/v1/orders?number=${encodeURIComponent(n)}`;
    expect((await buyer.http.get(query(number), buyerB.accessToken)).body.items.map((o: { id: string }) => o.id)).toEqual([id]);
    expect((await buyer.http.get(query(`  ${number.toLowerCase()} `), buyerB.accessToken)).body.items.map((o: { id: string }) => o.id)).toEqual([id]);
    expect((await seller.http.get(query(number), coop.accessToken)).body.items.map((o: { id: string }) => o.id)).toEqual([id]);
    // Another buyer, another seller: an empty list, as for a number that does not exist.
    expect((await buyer.http.get(query(number), buyerA.accessToken)).body).toEqual({ items: [], nextCursor: null });
    expect((await seller.http.get(query(number), bare.accessToken)).body).toEqual({ items: [], nextCursor: null });
    expect((await seller.http.get(query('CX20200101999999'), coop.accessToken)).body.items).toEqual([]);
    for (const bad of ['CX2026', '20261204000123', 'CX2026120400012X', 'AB20261204000123']) {
      for (const [app, token] of [[buyer, buyerB.accessToken], [seller, coop.accessToken]] as const) {
        const response = await app.http.get(query(bad), token);
        expect(response.status).toBe(400);
        expect(response.body.details.map((d: { field: string }) => d.field)).toEqual(['number']);
      }
    }
  });

  it("shows the buyer where to pay a bank transfer (the seller's payout account) and the seller the buyer's name", async () => {
    const placed = await place(buyerB.accessToken, [{ listingId: lot.id, quantityKg: 40 }, { listingId: bareLot.id, quantityKg: 10 }]);
    const bySeller = Object.fromEntries(placed.body.orders.map((o: { sellerOrganizationId: string }) => [o.sellerOrganizationId, o]));
    const paid = bySeller[coop.organization.id];
    expect(paid).toMatchObject({ sellerName: '广南县八宝贡米农民专业合作社', payTo: { accountName: ACCOUNT.accountName, bankName: ACCOUNT.bankName, accountNo: '6228480123456789012' } });
    // A seller without a payout account yet: payTo is null, the order still stands.
    expect(bySeller[bare.organization.id]).toMatchObject({ sellerName: '秦安县花牛苹果专业合作社', payTo: null });
    expect((await buyer.http.get(`/api/v1/orders/${paid.id}`, buyerB.accessToken)).body.payTo).toEqual(paid.payTo);
    const listed = (await buyer.http.get(`/api/v1/orders?number=${paid.number}`, buyerB.accessToken)).body.items[0];
    expect(listed).toMatchObject({ sellerName: '广南县八宝贡米农民专业合作社', payTo: paid.payTo });

    const sellerView = (await seller.http.get(`/api/v1/orders/${paid.id}`, coop.accessToken)).body;
    expect(sellerView).toMatchObject({ number: paid.number, buyerName: '成都市第一中学食堂' });
    expect(sellerView).not.toHaveProperty('payTo');
    const sellerList = (await seller.http.get(`/api/v1/orders?number=${paid.number}`, coop.accessToken)).body.items[0];
    expect(sellerList).toMatchObject({ buyerName: '成都市第一中学食堂' });
    expect(sellerList).not.toHaveProperty('payTo');

    // An online (Stripe) order has nothing to transfer to: payTo is null (made here by changing the method in place,
    // since this test runs without the fake Stripe server).
    await db.query(`UPDATE orders SET payment_method = 'stripe' WHERE id = $1`, [paid.id]);
    expect((await buyer.http.get(`/api/v1/orders/${paid.id}`, buyerB.accessToken)).body).toMatchObject({ paymentMethod: 'stripe', payTo: null });
  });
});

describe('the order-numbers migration', () => {
  let env: TestEnv;
  let db: DataSource;

  beforeAll(async () => {
    env = await createTestEnv();
    db = await new DataSource({ ...postgresOptions(env.config), migrations: MIGRATIONS }).initialize();
  });

  afterAll(async () => {
    await db?.destroy();
    await env?.destroy();
  });

  it('numbers existing orders in creation order and continues the sequence after them', async () => {
    await db.undoLastMigration(); // 1764900000000-order-numbers: orders have no number
    const [buyerOrg, sellerOrg] = await db.query(
      `INSERT INTO organizations (kind, name, credit_code, region_code, contact_phone, buyer_type) VALUES ('buyer', '买方', $1, '440307', '13800000001', 'ecommerce'), ('seller', '卖方', $2, '532627', '13800000002', NULL) RETURNING id`,
      [makeUscc('440307', '91'), makeUscc('532627')],
    );
    // Created out of insertion order; the first just after midnight in Beijing, still the 3rd in UTC.
    const created = ['2026-12-03T16:30:00Z', '2026-12-01T02:00:00Z', '2026-12-02T10:00:00Z'];
    for (const [i, at] of created.entries()) {
      await db.query(`INSERT INTO order_groups (id, buyer_organization_id, idempotency_key, payment_method, total_fen, created_at) VALUES ($1, $2, $3, 'bank_transfer', 100, $4)`, [
        `00000000-0000-4000-8000-00000000000${i}`, buyerOrg.id, `k${i}`, at,
      ]);
      await db.query(
        `INSERT INTO orders (id, order_group_id, buyer_organization_id, seller_organization_id, status, payment_method, total_fen, pay_by, created_at, updated_at)
         VALUES ($1, $1, $2, $3, 'pending_payment', 'bank_transfer', 100, $4, $4, $4)`,
        [`00000000-0000-4000-8000-00000000000${i}`, buyerOrg.id, sellerOrg.id, at],
      );
    }
    await db.runMigrations();
    const rows = await db.query(`SELECT number FROM orders ORDER BY created_at`);
    expect(rows.map((r: { number: string }) => r.number)).toEqual(['CX20261201000001', 'CX20261202000002', 'CX20261204000003']);
    const [{ next }] = await db.query(`SELECT chanxiao_order_number('2026-12-04T01:00:00Z') AS next`);
    expect(next).toBe('CX20261204000004');
    // Past 999999 the number keeps every digit.
    await db.query(`SELECT setval('order_number_seq', 999999)`);
    expect((await db.query(`SELECT chanxiao_order_number('2026-12-04T01:00:00Z') AS n`))[0].n).toBe('CX202612041000000');
  });
});
