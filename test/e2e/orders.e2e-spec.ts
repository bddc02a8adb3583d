import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { addDays, chinaDate, QueueName } from '@chanxiao/core';
import { OrderLifecycleService } from '@chanxiao/orders';
import { type RunningApp, startApp } from '../support/apps';
import { makeBuyer, makeCooperative, makeListing } from '../support/factories';
import { createTestEnv, type TestEnv } from '../support/test-env';

describe('orders', () => {
  let env: TestEnv;
  let seller: RunningApp;
  let buyer: RunningApp;
  let db: DataSource;
  let buyerToken: string;
  let buyerOrg: string;
  const coops: { token: string; org: string }[] = [];

  const place = (body: unknown, key: string = randomUUID(), token = buyerToken) =>
    buyer.http.request('POST', '/api/v1/orders', { body, token, headers: { 'idempotency-key': key } });
  const stock = async (id: string) =>
    (await db.query(`SELECT status, available_grams::int AS available, reserved_grams::int AS reserved, sold_grams::int AS sold, total_grams::int AS total FROM listings WHERE id = $1`, [id]))[0];
  const events = async (type: string) => Number((await db.query(`SELECT count(*) AS n FROM outbox_events WHERE type = $1`, [type]))[0].n);

  beforeAll(async () => {
    env = await createTestEnv();
    seller = await startApp('seller', env);
    buyer = await startApp('buyer', env);
    db = seller.app.get(DataSource);
    for (const regionCode of ['532627', '620522', '433127']) {
      const coop = await makeCooperative(seller.http, { organization: { regionCode } });
      coops.push({ token: coop.accessToken, org: coop.organization.id });
    }
    const b = await makeBuyer(buyer.http);
    buyerToken = b.accessToken;
    buyerOrg = b.organization.id;
  });

  afterAll(async () => {
    await buyer?.close();
    await seller?.close();
    await env?.destroy();
  });

  it('places a three-seller order that the sellers confirm and ship and the buyer receives', async () => {
    const apples = await makeListing(seller.http, coops[0].token, { quantityKg: 10000, minOrderKg: 500, unitPriceFen: 680 });
    const rice = await makeListing(seller.http, coops[1].token, { categoryCode: 'grain.rice', title: '八宝贡米', quantityKg: 5000, minOrderKg: 100, unitPriceFen: 980 });
    const kiwi = await makeListing(seller.http, coops[2].token, { categoryCode: 'fruit.kiwi', title: '红心猕猴桃', quantityKg: 3000, minOrderKg: 100, unitPriceFen: 333 });
    // The buyer finds the fruit by searching, and posts a standing demand for more rice.
    const found = await buyer.http.get('/api/v1/listings?categoryCode=fruit&sort=urgency&limit=100', buyerToken);
    expect(found.status).toBe(200);
    expect(found.body.items.map((l: { id: string }) => l.id)).toEqual(expect.arrayContaining([apples.id, kiwi.id]));
    expect(found.body.items.map((l: { id: string }) => l.id)).not.toContain(rice.id);
    const demand = await buyer.http.post('/api/v1/demands', { categoryCode: 'grain.rice', quantityKg: 20000, maxUnitPriceFen: 1000, destinationRegionCode: '440307', deliverBy: addDays(chinaDate(), 30), coldChainCapable: false, preferPoverty: true }, buyerToken);
    expect(demand.status).toBe(201);
    const response = await place({ lines: [{ listingId: apples.id, quantityKg: 1000 }, { listingId: rice.id, quantityKg: 250.5 }, { listingId: kiwi.id, quantityKg: 150.001 }], paymentMethod: 'bank_transfer' });
    expect(response.status).toBe(201);
    const group = response.body;
    expect(group.orders).toHaveLength(3);
    // 1000 kg × 6.80 = 6,800.00 元; 250.5 kg × 9.80 = 2,454.90 元; 150.001 kg × 3.33 = 499.50333 → 49,950 fen (half up).
    const bySeller = Object.fromEntries(group.orders.map((o: { sellerOrganizationId: string }) => [o.sellerOrganizationId, o]));
    expect(bySeller[coops[0].org]).toMatchObject({ status: 'pending_payment', buyerOrganizationId: buyerOrg, totalFen: 680000, lines: [{ listingId: apples.id, quantityKg: 1000, unitPriceFen: 680, amountFen: 680000 }] });
    expect(bySeller[coops[1].org].totalFen).toBe(245490);
    expect(bySeller[coops[2].org].lines[0]).toMatchObject({ quantityKg: 150.001, unitPriceFen: 333, amountFen: 49950 });
    expect(group.totalFen).toBe(680000 + 245490 + 49950);
    expect(await stock(apples.id)).toMatchObject({ available: 9_000_000, reserved: 1_000_000, sold: 0 });

    // A price change after the order never touches it.
    await seller.http.request('PATCH', `/api/v1/listings/${apples.id}`, { body: { unitPriceFen: 999 }, token: coops[0].token });

    for (const [i, coop] of coops.entries()) {
      const order = bySeller[coop.org];
      const paid = await seller.http.post(`/api/v1/orders/${order.id}/confirm-payment`, undefined, coop.token);
      expect(paid.body).toMatchObject({ status: 'paid', paidAt: expect.any(String) });
      const shipped = await seller.http.post(`/api/v1/orders/${order.id}/ship`, { carrier: '顺丰速运', trackingNo: `SF14028765${i}000` }, coop.token);
      expect(shipped.body).toMatchObject({ status: 'shipped', carrier: '顺丰速运' });
      const delivered = await buyer.http.post(`/api/v1/orders/${order.id}/confirm-delivery`, undefined, buyerToken);
      expect(delivered.body.status).toBe('delivered');
    }
    expect(await stock(apples.id)).toMatchObject({ available: 9_000_000, reserved: 0, sold: 1_000_000 });
    expect((await buyer.http.get(`/api/v1/orders/${bySeller[coops[0].org].id}`, buyerToken)).body.lines[0].unitPriceFen).toBe(680);

    // Completion is automatic some days after delivery.
    const later = new Date(Date.now() + 8 * 86_400_000);
    expect(await seller.app.get(OrderLifecycleService).sweep(later)).toMatchObject({ completed: 3 });
    const list = await buyer.http.get('/api/v1/orders?status=completed', buyerToken);
    expect(list.body.items.map((o: { orderGroupId: string }) => o.orderGroupId)).toEqual([group.orderGroupId, group.orderGroupId, group.orderGroupId]);
  });

  it('sells exactly the stock: 200 concurrent buyers for 50 portions, 50 succeed, 150 get 409, sums reconcile', async () => {
    const lot = await makeListing(seller.http, coops[0].token, { quantityKg: 5000, minOrderKg: 100 });
    const responses = await Promise.all(Array.from({ length: 200 }, () => place({ lines: [{ listingId: lot.id, quantityKg: 100 }], paymentMethod: 'bank_transfer' })));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(50);
    expect(statuses.filter((s) => s === 409)).toHaveLength(150);
    for (const r of responses.filter((x) => x.status === 409)) expect(r.body.details).toEqual([{ field: 'lines[0]', message: 'only 0 kg available' }]);
    expect(await stock(lot.id)).toMatchObject({ status: 'active', available: 0, reserved: 5_000_000, sold: 0, total: 5_000_000 });
    const [{ grams }] = await db.query(`SELECT sum(quantity_grams)::int AS grams FROM order_lines WHERE listing_id = $1`, [lot.id]);
    expect(grams).toBe(5_000_000);
  });

  it('replays one Idempotency-Key sent 20 times at once as one order group', async () => {
    const lot = await makeListing(seller.http, coops[1].token, { quantityKg: 1000, minOrderKg: 10 });
    const key = `checkout-${randomUUID()}`;
    const body = { lines: [{ listingId: lot.id, quantityKg: 10 }], paymentMethod: 'bank_transfer' };
    const responses = await Promise.all(Array.from({ length: 20 }, () => place(body, key)));
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(201));
    expect(new Set(responses.map((r) => r.body.orderGroupId)).size).toBe(1);
    expect(responses.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(19);
    expect(await stock(lot.id)).toMatchObject({ reserved: 10_000 });
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM order_groups WHERE idempotency_key = $1`, [key]);
    expect(n).toBe(1);
    // Same key, other body: 422, and nothing changes.
    const other = await place({ ...body, lines: [{ listingId: lot.id, quantityKg: 20 }] }, key);
    expect(other.status).toBe(422);
    expect(other.body.details[0].field).toBe('Idempotency-Key');
    expect(await stock(lot.id)).toMatchObject({ reserved: 10_000 });
  });

  it('charges the price as it is when the lot changed since the last order quoted it, and refuses a lot withdrawn since', async () => {
    const lot = await makeListing(seller.http, coops[1].token, { categoryCode: 'fruit.pear', title: '砀山酥梨', quantityKg: 2000, minOrderKg: 10, unitPriceFen: 300 });
    // The first order prices the lot at 3.00 元/kg.
    expect((await place({ lines: [{ listingId: lot.id, quantityKg: 10 }], paymentMethod: 'bank_transfer' })).body.totalFen).toBe(3000);
    await seller.http.request('PATCH', `/api/v1/listings/${lot.id}`, { body: { unitPriceFen: 320 }, token: coops[1].token });
    const second = await place({ lines: [{ listingId: lot.id, quantityKg: 10 }], paymentMethod: 'bank_transfer' });
    expect(second.status).toBe(201);
    expect(second.body.orders[0].lines[0]).toMatchObject({ unitPriceFen: 320, amountFen: 3200 });
    await seller.http.post(`/api/v1/listings/${lot.id}/withdraw`, undefined, coops[1].token);
    const third = await place({ lines: [{ listingId: lot.id, quantityKg: 10 }], paymentMethod: 'bank_transfer' });
    expect(third.status).toBe(409);
    expect(third.body).toMatchObject({ code: 'order.listing_unavailable', details: [{ field: 'lines[0]', message: 'listing is withdrawn' }] });
    expect(await stock(lot.id)).toMatchObject({ reserved: 20_000, sold: 0 });
  });

  it('reserves nothing when one line fails, and names the line', async () => {
    const a = await makeListing(seller.http, coops[0].token, { quantityKg: 1000, minOrderKg: 10 });
    const b = await makeListing(seller.http, coops[1].token, { quantityKg: 1000, minOrderKg: 10 });
    const c = await makeListing(seller.http, coops[2].token, { quantityKg: 100, minOrderKg: 10 });
    const before = await events('order.placed');
    const response = await place({ lines: [{ listingId: a.id, quantityKg: 50 }, { listingId: b.id, quantityKg: 50 }, { listingId: c.id, quantityKg: 500 }], paymentMethod: 'bank_transfer' });
    expect(response.status).toBe(409);
    expect(response.body.details).toEqual([{ field: 'lines[2]', message: 'only 100 kg available' }]);
    for (const lot of [a, b, c]) expect((await stock(lot.id)).reserved).toBe(0);
    expect(await events('order.placed')).toBe(before);
  });

  it.each([
    ['no Idempotency-Key', {}, undefined, 400, 'Idempotency-Key'],
    ['a draft lot', { draft: true }, 'k', 409, 'lines[0]'],
    ['less than the minimum order', { quantityKg: 5 }, 'k', 400, 'lines[0]'],
    ['a lot twice', { twice: true }, 'k', 400, 'lines[1].listingId'],
    ['stripe before it is enabled', { paymentMethod: 'stripe' }, 'k', 400, 'paymentMethod'],
    ['a bad listing id', { listingId: 'abc' }, 'k', 400, 'lines[0].listingId'],
    ['four decimals of kg', { quantityKg: 10.0001 }, 'k', 400, 'lines[0].quantityKg'],
  ])('refuses %s', async (_, o: Record<string, unknown>, key, status, field) => {
    const lot = await makeListing(seller.http, coops[0].token, { quantityKg: 100, minOrderKg: 10 }, !o.draft);
    const line = { listingId: (o.listingId as string) ?? lot.id, quantityKg: (o.quantityKg as number) ?? 10 };
    const body = { lines: o.twice ? [line, line] : [line], paymentMethod: o.paymentMethod ?? 'bank_transfer' };
    const response = await buyer.http.request('POST', '/api/v1/orders', { body, token: buyerToken, headers: key ? { 'idempotency-key': `${key}-${randomUUID()}` } : {} });
    expect(response.status).toBe(status);
    expect(response.body.details.map((d: { field: string }) => d.field)).toContain(field);
    expect((await stock(lot.id)).reserved).toBe(0);
  });

  it('sells the last, smaller-than-minimum remainder of a lot whole, then the lot is sold out on payment', async () => {
    const lot = await makeListing(seller.http, coops[2].token, { quantityKg: 150, minOrderKg: 100 });
    expect((await place({ lines: [{ listingId: lot.id, quantityKg: 100 }], paymentMethod: 'bank_transfer' })).status).toBe(201);
    expect((await place({ lines: [{ listingId: lot.id, quantityKg: 20 }], paymentMethod: 'bank_transfer' })).status).toBe(400);
    const rest = await place({ lines: [{ listingId: lot.id, quantityKg: 50 }], paymentMethod: 'bank_transfer' });
    expect(rest.status).toBe(201);
    const orders = (await seller.http.get('/api/v1/orders?status=pending_payment&limit=100', coops[2].token)).body.items.filter((o: { lines: { listingId: string }[] }) => o.lines[0].listingId === lot.id);
    for (const order of orders) await seller.http.post(`/api/v1/orders/${order.id}/confirm-payment`, undefined, coops[2].token);
    expect(await stock(lot.id)).toMatchObject({ status: 'sold_out', available: 0, reserved: 0, sold: 150_000 });
  });

  describe('the lifecycle', () => {
    let lot: { id: string };
    const order = async () => (await place({ lines: [{ listingId: lot.id, quantityKg: 10 }], paymentMethod: 'bank_transfer' })).body.orders[0];

    beforeAll(async () => {
      lot = await makeListing(seller.http, coops[0].token, { quantityKg: 10000, minOrderKg: 10 });
    });

    it.each([
      ['ship an unpaid order', 'seller', 'ship', 'order cannot go from pending_payment to shipped'],
      ['confirm delivery of an unpaid order', 'buyer', 'confirm-delivery', 'order cannot go from pending_payment to delivered'],
    ])('refuses to %s with 409', async (_, side, action, message) => {
      const o = await order();
      const app = side === 'seller' ? seller : buyer;
      const response = await app.http.post(`/api/v1/orders/${o.id}/${action}`, action === 'ship' ? { carrier: '顺丰速运', trackingNo: 'SF1234567890' } : undefined, side === 'seller' ? coops[0].token : buyerToken);
      expect(response.status).toBe(409);
      expect(response.body.message).toContain(message);
    });

    it('refuses to pay twice, to cancel a paid order, and to pay a cancelled one', async () => {
      const paid = await order();
      await seller.http.post(`/api/v1/orders/${paid.id}/confirm-payment`, undefined, coops[0].token);
      expect((await seller.http.post(`/api/v1/orders/${paid.id}/confirm-payment`, undefined, coops[0].token)).status).toBe(409);
      const cancelPaid = await buyer.http.post(`/api/v1/orders/${paid.id}/cancel`, undefined, buyerToken);
      expect(cancelPaid.status).toBe(409);
      expect(cancelPaid.body.message).toBe('order cannot go from paid to cancelled: a bank-transfer order cannot be cancelled once paid');
      const cancelled = await order();
      expect((await buyer.http.post(`/api/v1/orders/${cancelled.id}/cancel`, undefined, buyerToken)).body).toMatchObject({ status: 'cancelled', cancelReason: 'buyer' });
      expect((await seller.http.post(`/api/v1/orders/${cancelled.id}/confirm-payment`, undefined, coops[0].token)).status).toBe(409);
    });

    it('shows each side only its own orders: 404 for others', async () => {
      const o = await order();
      const other = await makeBuyer(buyer.http);
      expect((await buyer.http.get(`/api/v1/orders/${o.id}`, other.accessToken)).status).toBe(404);
      expect((await buyer.http.post(`/api/v1/orders/${o.id}/cancel`, undefined, other.accessToken)).status).toBe(404);
      expect((await seller.http.get(`/api/v1/orders/${o.id}`, coops[1].token)).status).toBe(404);
      expect((await seller.http.post(`/api/v1/orders/${o.id}/confirm-payment`, undefined, coops[1].token)).status).toBe(404);
      expect((await seller.http.get(`/api/v1/orders/${o.id}`, coops[0].token)).status).toBe(200);
      expect((await buyer.http.get('/api/v1/orders/not-an-id', buyerToken)).status).toBe(404);
    });

    it('schedules a delayed cancellation job for every new order', async () => {
      const o = await order();
      const job = await buyer.app.get<Queue>(getQueueToken(QueueName.Orders)).getJob(`cancel-unpaid-${o.id}`);
      expect(job?.data).toEqual({ orderId: o.id });
      expect(await job?.isDelayed()).toBe(true);
    });

    it('cancels an unpaid order past its deadline exactly once when the job and the sweeper race', async () => {
      const before = await stock(lot.id);
      const orders = [await order(), await order(), await order()];
      await db.query(`UPDATE orders SET pay_by = now() - interval '1 minute' WHERE id = ANY($1)`, [orders.map((o) => o.id)]);
      const lifecycle = seller.app.get(OrderLifecycleService);
      const cancelledBefore = await events('order.cancelled');
      const results = await Promise.all([
        ...orders.map((o) => lifecycle.cancelIfUnpaid(o.id)),
        lifecycle.sweep(),
        ...orders.map((o) => lifecycle.cancelIfUnpaid(o.id)),
        lifecycle.sweep(),
      ]);
      const byJobs = results.filter((r) => r === true).length;
      const bySweeps = results.filter((r): r is { cancelled: number; completed: number } => typeof r === 'object').reduce((n, r) => n + r.cancelled, 0);
      expect(byJobs + bySweeps).toBe(3);
      expect(await events('order.cancelled')).toBe(cancelledBefore + 3);
      expect(await stock(lot.id)).toEqual(before);
      for (const o of orders) expect((await buyer.http.get(`/api/v1/orders/${o.id}`, buyerToken)).body).toMatchObject({ status: 'cancelled', cancelReason: 'unpaid' });
      expect(await lifecycle.cancelIfUnpaid(orders[0].id)).toBe(false);
    });

    it('leaves an order that is not yet due alone', async () => {
      const o = await order();
      expect(await seller.app.get(OrderLifecycleService).cancelIfUnpaid(o.id)).toBe(false);
      expect((await buyer.http.get(`/api/v1/orders/${o.id}`, buyerToken)).body.status).toBe('pending_payment');
    });
  });

  it('releases a cancelled order of a withdrawn lot off the market, not back on sale', async () => {
    const lot = await makeListing(seller.http, coops[1].token, { quantityKg: 100, minOrderKg: 10 });
    const o = (await place({ lines: [{ listingId: lot.id, quantityKg: 40 }], paymentMethod: 'bank_transfer' })).body.orders[0];
    await seller.http.post(`/api/v1/listings/${lot.id}/withdraw`, undefined, coops[1].token);
    await buyer.http.post(`/api/v1/orders/${o.id}/cancel`, undefined, buyerToken);
    expect(await stock(lot.id)).toEqual({ status: 'withdrawn', available: 0, reserved: 0, sold: 0, total: 0 });
  });

  it('never breaks the invariant', async () => {
    const [{ broken }] = await db.query(`SELECT count(*)::int AS broken FROM listings WHERE available_grams + reserved_grams + sold_grams <> total_grams OR available_grams < 0 OR reserved_grams < 0`);
    expect(broken).toBe(0);
  });
});
