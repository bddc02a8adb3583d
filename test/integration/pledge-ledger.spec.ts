import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { PledgeLedgerService } from '@chanxiao/assistance';
import type { RelayedEvent } from '@chanxiao/core';
import { type RunningApp, startApp } from '../support/apps';
import { FakeStripe } from '../support/fake-stripe';
import { makeBuyer, makeCooperative, makeListing } from '../support/factories';
import { createTestEnv, type TestEnv } from '../support/test-env';

/**
 * The pledge ledger reconciles whatever order its events arrive in: the same outbox events (paid, partly
 * cancelled twice, cancelled) applied in order, backwards and shuffled, with repeats, leave the same entries.
 */
describe('pledge ledger, events out of order', () => {
  let env: TestEnv;
  let fake: FakeStripe;
  let seller: RunningApp;
  let buyer: RunningApp;
  let db: DataSource;
  let events: RelayedEvent[];
  let orderId: string;

  beforeAll(async () => {
    env = await createTestEnv();
    fake = await FakeStripe.start();
    const config = env.configWith(fake.env({}));
    [seller, buyer] = await Promise.all([startApp('seller', env, config), startApp('buyer', env, config)]);
    db = buyer.app.get(DataSource);
    const coop = await makeCooperative(seller.http, { organization: { regionCode: '532627' } });
    const canteen = await makeBuyer(buyer.http, { organization: { buyerType: 'consumption_assistance' } });
    const lot = await makeListing(seller.http, coop.accessToken, { quantityKg: 1000, minOrderKg: 1, unitPriceFen: 333 });
    const placed = await buyer.http.request('POST', '/api/v1/orders', { body: { lines: [{ listingId: lot.id, quantityKg: 300 }], paymentMethod: 'stripe' }, token: canteen.accessToken, headers: { 'idempotency-key': randomUUID() } });
    orderId = placed.body.orders[0].id;
    const payload = fake.event('payment_intent.succeeded', fake.succeed(placed.body.payment.paymentIntentId)).payload;
    await buyer.http.request('POST', '/api/v1/payments/stripe/webhook', { raw: payload, headers: { 'stripe-signature': fake.sign(payload) } });
    for (const kg of [100, 50.5]) await buyer.http.post(`/api/v1/orders/${orderId}/cancel-lines`, { lines: [{ listingId: lot.id, quantityKg: kg }] }, canteen.accessToken);
    await buyer.http.post(`/api/v1/orders/${orderId}/cancel-lines`, { lines: [{ listingId: lot.id, quantityKg: 149.5 }] }, canteen.accessToken);
    const rows = await db.query(`SELECT id::text, type, aggregate_type, aggregate_id, payload, created_at FROM outbox_events WHERE aggregate_id = $1 AND type IN ('order.paid', 'order.partly_cancelled', 'order.cancelled') ORDER BY outbox_events.id`, [orderId]);
    events = rows.map((r: Record<string, any>) => ({ id: r.id, type: r.type, aggregateType: r.aggregate_type, aggregateId: r.aggregate_id, payload: r.payload, createdAt: new Date(r.created_at).toISOString() }));
  }, 60_000);

  afterAll(async () => {
    await Promise.all([seller?.close(), buyer?.close()]);
    await fake?.close();
    await env?.destroy();
  });

  const replay = async (order: number[]) => {
    await db.query(`DELETE FROM pledge_entries WHERE order_id = $1`, [orderId]);
    const ledger = buyer.app.get(PledgeLedgerService);
    for (const i of order) await db.transaction((m) => ledger.apply(m, events[i]));
    return db.query(`SELECT event_type, amount_fen::int AS fen, balance_fen::int AS balance FROM pledge_entries WHERE order_id = $1 ORDER BY event_id`, [orderId]);
  };

  it('ends with the same signed entries, summing to nothing for a cancelled order, in any order', async () => {
    expect(events.map((e) => e.type)).toEqual(['order.paid', 'order.partly_cancelled', 'order.partly_cancelled', 'order.cancelled']);
    // 300 kg at 3.33 = 99,900; 200 kg = 66,600; 149.5 kg = 49,784 (49,783.5 rounded half up); cancelled = 0.
    const expected = [
      { event_type: 'order.paid', fen: 99_900, balance: 99_900 },
      { event_type: 'order.partly_cancelled', fen: -33_300, balance: 66_600 },
      { event_type: 'order.partly_cancelled', fen: -16_816, balance: 49_784 },
      { event_type: 'order.cancelled', fen: -49_784, balance: 0 },
    ];
    expect(await replay([0, 1, 2, 3])).toEqual(expected);
    expect(await replay([3, 2, 1, 0])).toEqual(expected);
    expect(await replay([2, 0, 3, 3, 1, 2])).toEqual(expected);
    const [{ sum }] = await db.query(`SELECT sum(amount_fen)::int AS sum FROM pledge_entries WHERE order_id = $1`, [orderId]);
    expect(sum).toBe(0);
  });
});
