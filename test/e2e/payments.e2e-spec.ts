import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { lineAmountFen, OrderLifecycleService } from '@chanxiao/orders';
import { payoutSplit, PayoutsService, RefundsService } from '@chanxiao/payments';
import { type RunningApp, startApp } from '../support/apps';
import { makeBuyer, makeCooperative, makeListing } from '../support/factories';
import { FakeStripe } from '../support/fake-stripe';
import { createTestEnv, type TestEnv } from '../support/test-env';

const FEE_BPS = 250;
const FEE_FIXED_FEN = 100;

describe('online payments with Stripe (the real SDK against a fake Stripe server)', () => {
  let env: TestEnv;
  let fake: FakeStripe;
  let seller: RunningApp;
  let buyer: RunningApp;
  let matcher: RunningApp;
  let db: DataSource;
  let buyerToken: string;
  const coops: { token: string; org: string }[] = [];

  const place = (lines: { listingId: string; quantityKg: number }[], key: string = randomUUID(), paymentMethod = 'stripe', token = buyerToken) =>
    buyer.http.request('POST', '/api/v1/orders', { body: { lines, paymentMethod }, token, headers: { 'idempotency-key': key } });
  const deliver = (payload: string, signature = fake.sign(payload)) =>
    buyer.http.request('POST', '/api/v1/payments/stripe/webhook', { raw: payload, headers: { 'stripe-signature': signature } });
  const webhook = (type: string, object: unknown) => deliver(fake.event(type, object).payload);
  const stock = async (id: string) =>
    (await db.query(`SELECT available_grams::int AS available, reserved_grams::int AS reserved, sold_grams::int AS sold FROM listings WHERE id = $1`, [id]))[0];
  const events = async (type: string, aggregateId?: string) =>
    Number((await db.query(`SELECT count(*) AS n FROM outbox_events WHERE type = $1 AND ($2::text IS NULL OR aggregate_id = $2)`, [type, aggregateId ?? null]))[0].n);
  const orderOf = async (id: string) => (await buyer.http.get(`/api/v1/orders/${id}`, buyerToken)).body;
  const lot = (coop = 0, overrides: Record<string, unknown> = {}) => makeListing(seller.http, coops[coop].token, { quantityKg: 5000, minOrderKg: 10, ...overrides });
  /** A one-seller order paid online: placed, then Stripe's `succeeded` webhook. */
  const paidOrder = async (lines: { listingId: string; quantityKg: number }[]) => {
    const placed = await place(lines);
    expect(placed.status).toBe(201);
    expect((await webhook('payment_intent.succeeded', fake.succeed(placed.body.payment.paymentIntentId))).status).toBe(200);
    return { group: placed.body, order: await orderOf(placed.body.orders[0].id) };
  };

  beforeAll(async () => {
    env = await createTestEnv();
    fake = await FakeStripe.start();
    const config = env.configWith(fake.env({ STRIPE_PLATFORM_FEE_BPS: String(FEE_BPS), STRIPE_PLATFORM_FEE_FIXED_FEN: String(FEE_FIXED_FEN) }));
    seller = await startApp('seller', env, config);
    buyer = await startApp('buyer', env, config);
    matcher = await startApp('matcher', env, config);
    db = buyer.app.get(DataSource);
    for (const regionCode of ['532627', '620522']) {
      const coop = await makeCooperative(seller.http, { organization: { regionCode } });
      coops.push({ token: coop.accessToken, org: coop.organization.id });
    }
    buyerToken = (await makeBuyer(buyer.http, { organization: { buyerType: 'ecommerce' } })).accessToken;
  });

  afterAll(async () => {
    await matcher?.close();
    await buyer?.close();
    await seller?.close();
    await fake?.close();
    await env?.destroy();
  });

  it('says in /health that online payment is on', async () => {
    const health = await buyer.http.get('/health');
    expect(health.body.info.payments).toMatchObject({ status: 'up', online: true, provider: 'stripe', mode: 'test' });
    // The web apps ask without a login before they offer online payment.
    for (const app of [buyer, seller]) {
      expect((await app.http.get('/api/v1/payments/config')).body).toEqual({ online: true, paymentMethodTypes: ['card', 'alipay', 'wechat_pay'], publishableKey: null });
    }
  });

  it('pays a two-seller order online end to end, and pays each seller its total minus the fee once, on completion', async () => {
    // Both cooperatives connect a Stripe Express account; Stripe tells us when they can be paid out.
    const accounts: string[] = [];
    for (const coop of coops) {
      const link = await seller.http.post('/api/v1/payments/connect/onboarding-link', undefined, coop.token);
      expect(link.status).toBe(200);
      expect(link.body).toMatchObject({ accountId: expect.stringMatching(/^acct_/), url: expect.stringContaining('https://connect.stripe.com/setup/'), expiresAt: expect.any(String) });
      const again = await seller.http.post('/api/v1/payments/connect/onboarding-link', undefined, coop.token);
      expect(again.body.accountId).toBe(link.body.accountId);
      expect((await seller.http.get('/api/v1/payments/connect/account', coop.token)).body).toMatchObject({ connected: true, payoutsEnabled: false, live: true });
      expect((await webhook('account.updated', fake.completeOnboarding(link.body.accountId))).body.outcome).toBe('applied: account payouts enabled');
      expect((await seller.http.get('/api/v1/payments/connect/account', coop.token)).body).toMatchObject({ connected: true, detailsSubmitted: true, payoutsEnabled: true });
      accounts.push(link.body.accountId);
    }
    expect(fake.posted('/v1/accounts')).toHaveLength(2);
    expect(fake.posted('/v1/accounts').map((r) => r.params.type)).toEqual(['express', 'express']);

    const apples = await lot(0, { quantityKg: 10000, minOrderKg: 500, unitPriceFen: 680 });
    const kiwi = await lot(1, { categoryCode: 'fruit.kiwi', title: '红心猕猴桃', quantityKg: 3000, minOrderKg: 100, unitPriceFen: 333 });
    const placed = await place([{ listingId: apples.id, quantityKg: 1000 }, { listingId: kiwi.id, quantityKg: 150.001 }]);
    expect(placed.status).toBe(201);
    const group = placed.body;
    expect(group.totalFen).toBe(680000 + 49950);
    expect(group.payment).toMatchObject({ provider: 'stripe', status: 'requires_payment', amountFen: 729950, currency: 'cny', paymentMethodTypes: ['card', 'alipay', 'wechat_pay'], clientSecret: expect.stringMatching(/^pi_.+_secret_/) });
    const [created] = fake.posted('/v1/payment_intents');
    expect(created).toMatchObject({
      idempotencyKey: `chanxiao-pi-${group.orderGroupId}-1`,
      params: { amount: '729950', currency: 'cny', allowed_payment_method_types: ['card', 'alipay', 'wechat_pay'], transfer_group: group.orderGroupId, metadata: { order_group_id: group.orderGroupId, attempt: '1' } },
    });
    expect(await stock(apples.id)).toMatchObject({ reserved: 1_000_000, sold: 0 });
    // Card and wallet payments confirm themselves: the seller cannot.
    const bySeller = (i: number) => group.orders.find((o: { sellerOrganizationId: string }) => o.sellerOrganizationId === coops[i].org);
    expect((await seller.http.post(`/api/v1/orders/${bySeller(0).id}/confirm-payment`, undefined, coops[0].token)).status).toBe(409);

    const paid = await webhook('payment_intent.succeeded', fake.succeed(group.payment.paymentIntentId));
    expect(paid.status).toBe(200);
    expect(paid.body).toEqual({ received: true, duplicate: false, outcome: 'applied: 2 orders paid' });
    for (const o of group.orders) expect(await orderOf(o.id)).toMatchObject({ status: 'paid', paidAt: expect.any(String) });
    expect(await stock(apples.id)).toMatchObject({ reserved: 0, sold: 1_000_000 });
    expect(await stock(kiwi.id)).toMatchObject({ reserved: 0, sold: 150_001 });
    expect(await events('payment.succeeded', group.payment.paymentIntentId)).toBe(1);

    for (const [i, coop] of coops.entries()) {
      expect((await seller.http.post(`/api/v1/orders/${bySeller(i).id}/ship`, { carrier: '顺丰速运', trackingNo: `SF14028765${i}111` }, coop.token)).status).toBe(200);
      expect((await buyer.http.post(`/api/v1/orders/${bySeller(i).id}/confirm-delivery`, undefined, buyerToken)).status).toBe(200);
    }
    const payouts = matcher.app.get(PayoutsService);
    expect(await payouts.sendDue()).toBe(0); // delivered is not completed: nothing is paid out yet
    expect(fake.posted('/v1/transfers')).toHaveLength(0);
    await matcher.app.get(OrderLifecycleService).sweep(new Date(Date.now() + 8 * 86_400_000));

    // Two payout runs at once (two matchers, or a slow run overlapping the next): each order is paid out once.
    const [a, b] = await Promise.all([payouts.sendDue(), payouts.sendDue()]);
    expect(a + b).toBe(2);
    expect(await payouts.sendDue()).toBe(0);
    expect(fake.posted('/v1/transfers')).toHaveLength(2);
    const transfers = [...fake.transfers.values()];
    for (const [i] of coops.entries()) {
      const order = bySeller(i);
      const split = payoutSplit(order.totalFen, FEE_BPS, FEE_FIXED_FEN);
      const transfer = transfers.find((t) => t.metadata.order_id === order.id);
      expect(transfer).toMatchObject({ amount: split.amountFen, currency: 'cny', destination: accounts[i], transfer_group: group.orderGroupId, source_transaction: expect.stringMatching(/^ch_/) });
      expect(fake.posted('/v1/transfers').find((r) => r.params.metadata.order_id === order.id)?.idempotencyKey).toBe(`chanxiao-payout-${order.id}`);
      const [row] = await db.query(`SELECT status, amount_fen::int AS amount, platform_fee_fen::int AS fee, stripe_transfer_id FROM payouts WHERE order_id = $1`, [order.id]);
      expect(row).toEqual({ status: 'sent', amount: split.amountFen, fee: split.platformFeeFen, stripe_transfer_id: transfer.id });
    }
    // 680,000 fen: fee 2.5% = 17,000 + 100 fixed; the seller gets 662,900.
    expect(payoutSplit(680000, FEE_BPS, FEE_FIXED_FEN)).toEqual({ orderTotalFen: 680000, platformFeeFen: 17100, amountFen: 662900 });
  });

  it('records each event once and converges whatever order the events arrive in', async () => {
    const apples = await lot(0);
    const placed = await place([{ listingId: apples.id, quantityKg: 100 }]);
    const intentId = placed.body.payment.paymentIntentId;
    const orderId = placed.body.orders[0].id;

    // A declined card first: the order stays payable.
    const failed = await webhook('payment_intent.payment_failed', fake.fail(intentId));
    expect(failed.body).toEqual({ received: true, duplicate: false, outcome: 'applied: payment failed' });
    expect((await orderOf(orderId)).status).toBe('pending_payment');

    // Then the buyer pays; Stripe delivers the same event five times at once.
    const succeeded = fake.event('payment_intent.succeeded', fake.succeed(intentId));
    const deliveries = await Promise.all(Array.from({ length: 5 }, () => deliver(succeeded.payload)));
    expect(deliveries.map((d) => d.status)).toEqual([200, 200, 200, 200, 200]);
    expect(deliveries.filter((d) => !d.body.duplicate)).toHaveLength(1);
    expect(deliveries.filter((d) => d.body.duplicate).map((d) => d.body.outcome)).toEqual(Array(4).fill('applied: 1 orders paid'));
    expect((await orderOf(orderId)).status).toBe('paid');
    expect(await stock(apples.id)).toMatchObject({ reserved: 0, sold: 100_000 });

    // Another `succeeded` (a new event id), and a late `payment_failed` of an earlier attempt: recorded, no effect.
    expect((await webhook('payment_intent.succeeded', fake.succeed(intentId))).body.outcome).toBe('ignored: payment already succeeded');
    expect((await webhook('payment_intent.payment_failed', { ...fake.succeed(intentId), status: 'requires_payment_method' })).body.outcome).toMatch(/^ignored: no transition from succeeded to failed/);
    expect((await webhook('payment_intent.canceled', { ...fake.succeed(intentId), status: 'canceled' })).body.outcome).toMatch(/^ignored: no transition from succeeded to canceled/);
    expect((await orderOf(orderId)).status).toBe('paid');
    expect(await stock(apples.id)).toMatchObject({ reserved: 0, sold: 100_000 });
    expect(await events('order.paid', orderId)).toBe(1);
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM stripe_events WHERE object_id = $1`, [intentId]);
    expect(n).toBe(5);
    // An event this platform does not handle, or about someone else's PaymentIntent: 200, recorded, ignored.
    expect((await webhook('customer.created', { id: 'cus_123', object: 'customer' })).body.outcome).toBe('ignored: customer.created is not handled');
    expect((await webhook('payment_intent.succeeded', { ...fake.succeed(intentId), id: 'pi_elsewhere', metadata: {} })).body.outcome).toBe('ignored: not a PaymentIntent of this platform');
  });

  it('refuses a webhook whose signature does not verify with 400, and changes nothing', async () => {
    const apples = await lot(0);
    const placed = await place([{ listingId: apples.id, quantityKg: 100 }]);
    const event = fake.event('payment_intent.succeeded', fake.succeed(placed.body.payment.paymentIntentId));
    const tampered = event.payload.replace('"amount_received":', '"amount_received":1');
    const answers = [
      await deliver(event.payload, fake.sign(event.payload, 'whsec_someone_else')),
      await deliver(tampered, fake.sign(event.payload)),
      await buyer.http.request('POST', '/api/v1/payments/stripe/webhook', { raw: event.payload }),
      await deliver(event.payload, 't=1,v1=deadbeef'),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ statusCode: 400, code: 'payments.bad_signature', details: [{ field: 'Stripe-Signature' }] });
    }
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM stripe_events WHERE id = $1`, [event.id]);
    expect(n).toBe(0);
    expect((await orderOf(placed.body.orders[0].id)).status).toBe('pending_payment');
    // The genuine delivery still works afterwards.
    expect((await deliver(event.payload)).body.duplicate).toBe(false);
    expect((await orderOf(placed.body.orders[0].id)).status).toBe('paid');
  });

  it('refunds exactly what a partial cancellation takes off, and the refunds reconcile with the payment', async () => {
    const kiwi = await lot(1, { categoryCode: 'fruit.kiwi', title: '红心猕猴桃', unitPriceFen: 333 });
    const rice = await lot(1, { categoryCode: 'grain.rice', title: '八宝贡米', unitPriceFen: 980 });
    const { group, order } = await paidOrder([{ listingId: kiwi.id, quantityKg: 150.001 }, { listingId: rice.id, quantityKg: 250.5 }]);
    expect(order.totalFen).toBe(49950 + 245490);
    const cancelLines = (body: unknown, id = order.id) => buyer.http.post(`/api/v1/orders/${id}/cancel-lines`, body, buyerToken);

    // 50.001 kg of kiwi: the line drops to 100 kg = 33,300 fen, so exactly 49,950 − 33,300 = 16,650 fen back.
    const first = await cancelLines({ lines: [{ listingId: kiwi.id, quantityKg: 50.001 }] });
    expect(first.status).toBe(200);
    expect(first.body.order).toMatchObject({ status: 'paid', totalFen: 33300 + 245490 });
    expect(first.body.order.lines).toEqual([
      expect.objectContaining({ listingId: kiwi.id, quantityKg: 100, amountFen: lineAmountFen(100_000, 333) }),
      expect.objectContaining({ listingId: rice.id, quantityKg: 250.5, amountFen: 245490 }),
    ]);
    expect(first.body.refund).toMatchObject({ amountFen: 16650, reason: 'cancelled_lines', status: 'succeeded', stripeRefundId: expect.stringMatching(/^re_/), lines: [{ listingId: kiwi.id, quantityKg: 50.001, unitPriceFen: 333, amountFen: 16650 }] });
    const sent = fake.posted('/v1/refunds').find((r) => r.params.metadata.refund_id === first.body.refund.id);
    expect(sent).toMatchObject({ idempotencyKey: `chanxiao-refund-${first.body.refund.id}`, params: { amount: '16650', payment_intent: group.payment.paymentIntentId } });
    expect(await stock(kiwi.id)).toMatchObject({ available: 5_000_000 - 100_000, sold: 100_000 });
    expect(await events('order.partly_cancelled', order.id)).toBe(1);

    // What cannot be cancelled is named.
    const bad = await cancelLines({ lines: [{ listingId: randomUUID(), quantityKg: 1 }, { listingId: rice.id, quantityKg: 300 }] });
    expect(bad.status).toBe(400);
    expect(bad.body.details).toEqual([{ field: 'lines[0].listingId', message: 'is not on this order' }, { field: 'lines[1].quantityKg', message: 'must be more than 0 and at most the 250.5 kg on this line' }]);
    expect((await cancelLines({ lines: [{ listingId: rice.id, quantityKg: 1 }, { listingId: rice.id, quantityKg: 1 }] })).body.details).toEqual([{ field: 'lines[1].listingId', message: 'repeats lines[0]; name each lot once' }]);
    expect((await cancelLines({ lines: [{ listingId: rice.id, quantityKg: -1 }] })).status).toBe(400);

    // The rest of the kiwi line goes whole; then everything left: the order is cancelled and its total refunded.
    const second = await cancelLines({ lines: [{ listingId: kiwi.id, quantityKg: 100 }] });
    expect(second.body.order.lines.map((l: { listingId: string }) => l.listingId)).toEqual([rice.id]);
    expect(second.body.refund.amountFen).toBe(33300);
    const last = await cancelLines({ lines: [{ listingId: rice.id, quantityKg: 250.5 }] });
    expect(last.body.order).toMatchObject({ status: 'cancelled', cancelReason: 'buyer', totalFen: 245490 });
    expect(last.body.refund).toMatchObject({ amountFen: 245490, reason: 'cancelled_order', status: 'succeeded' });
    expect(await stock(kiwi.id)).toMatchObject({ available: 5_000_000, sold: 0 });
    expect(await stock(rice.id)).toMatchObject({ available: 5_000_000, sold: 0 });
    expect((await cancelLines({ lines: [{ listingId: rice.id, quantityKg: 1 }] })).status).toBe(409);
    const [payout] = await db.query(`SELECT status FROM payouts WHERE order_id = $1`, [order.id]);
    expect(payout.status).toBe('void');

    // Reconciliation: what Stripe refunded = what we recorded = what the order lost = what was received.
    const payments = await buyer.http.get(`/api/v1/payments/order-groups/${group.orderGroupId}`, buyerToken);
    expect(payments.body.payments).toEqual([expect.objectContaining({ status: 'succeeded', amountReceivedFen: 295440, amountRefundedFen: 295440 })]);
    expect(payments.body.refunds.map((r: { amountFen: number }) => r.amountFen)).toEqual([16650, 33300, 245490]);
    const atStripe = [...fake.refunds.values()].filter((r) => r.payment_intent === group.payment.paymentIntentId).reduce((sum, r) => sum + r.amount, 0);
    expect(atStripe).toBe(295440);
  });

  it('refuses to part-cancel what is not a paid online order: unpaid 409, bank transfer 409, another buyer 404', async () => {
    const apples = await lot(0);
    const unpaid = (await place([{ listingId: apples.id, quantityKg: 10 }])).body.orders[0];
    const body = { lines: [{ listingId: apples.id, quantityKg: 1 }] };
    expect((await buyer.http.post(`/api/v1/orders/${unpaid.id}/cancel-lines`, body, buyerToken)).body).toMatchObject({ statusCode: 409, code: 'order.not_paid' });
    const bank = (await place([{ listingId: apples.id, quantityKg: 10 }], randomUUID(), 'bank_transfer')).body.orders[0];
    await seller.http.post(`/api/v1/orders/${bank.id}/confirm-payment`, undefined, coops[0].token);
    const refused = await buyer.http.post(`/api/v1/orders/${bank.id}/cancel-lines`, body, buyerToken);
    expect(refused.body).toMatchObject({ statusCode: 409, code: 'fsm.illegal_transition', message: expect.stringContaining('a bank-transfer order cannot be cancelled once paid') });
    const { order } = await paidOrder([{ listingId: apples.id, quantityKg: 10 }]);
    expect((await buyer.http.post(`/api/v1/orders/${order.id}/cancel`, undefined, buyerToken)).body.message).toContain('a paid order is cancelled with a refund');
    const other = await makeBuyer(buyer.http);
    expect((await buyer.http.post(`/api/v1/orders/${order.id}/cancel-lines`, body, other.accessToken)).status).toBe(404);
  });

  it('keeps a refund Stripe could not take, and the job sends it once with the same key', async () => {
    const apples = await lot(0);
    const { order } = await paidOrder([{ listingId: apples.id, quantityKg: 100 }]);
    await fake.setMode('refuse');
    let cancelled;
    try {
      cancelled = await buyer.http.post(`/api/v1/orders/${order.id}/cancel-lines`, { lines: [{ listingId: apples.id, quantityKg: 40 }] }, buyerToken);
    } finally {
      await fake.setMode('ok');
    }
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.refund).toMatchObject({ status: 'unsent', amountFen: 40 * 680 });
    const refunds = matcher.app.get(RefundsService);
    const [x, y] = await Promise.all([refunds.sendUnsent(), refunds.sendUnsent()]);
    expect(x + y).toBeGreaterThanOrEqual(1);
    const atStripe = [...fake.refunds.values()].filter((r) => r.metadata.refund_id === cancelled.body.refund.id);
    expect(atStripe).toHaveLength(1);
    const [row] = await db.query(`SELECT status, attempts FROM refunds WHERE id = $1`, [cancelled.body.refund.id]);
    expect(row).toEqual({ status: 'succeeded', attempts: 1 });
  });

  describe.each([
    ['refuses connections', 'refuse', 503],
    ['times out', 'timeout', 503],
    ['answers 500', 'error500', 502],
  ] as const)('when Stripe %s', (_what, mode, status) => {
    it(`answers ${status} (never 500), keeps the orders pending payment, and a retry with the same key pays them`, async () => {
      const apples = await lot(0);
      const kiwi = await lot(1);
      const key = randomUUID();
      const lines = [{ listingId: apples.id, quantityKg: 20 }, { listingId: kiwi.id, quantityKg: 30 }];
      await fake.setMode(mode);
      let down;
      try {
        down = await place(lines, key);
      } finally {
        await fake.setMode('ok');
      }
      expect(down.status).toBe(status);
      expect(down.body).toMatchObject({ statusCode: status, code: mode === 'error500' ? 'payments.provider_error' : 'payments.provider_unavailable', details: [{ field: 'paymentMethod' }] });
      const groupId = /order group ([0-9a-f-]{36})/.exec(down.body.message)?.[1];
      expect(groupId).toBeDefined();
      const orders = await db.query(`SELECT status FROM orders WHERE order_group_id = $1`, [groupId]);
      expect(orders).toEqual([{ status: 'pending_payment' }, { status: 'pending_payment' }]);
      expect(await stock(apples.id)).toMatchObject({ reserved: 20_000 });

      const retried = await place(lines, key);
      expect(retried.status).toBe(201);
      expect(retried.headers.get('idempotent-replayed')).toBe('true');
      expect(retried.body).toMatchObject({ orderGroupId: groupId, payment: { status: 'requires_payment', amountFen: 20 * 680 + 30 * 680 } });
      expect([...fake.paymentIntents.values()].filter((pi) => pi.metadata.order_group_id === groupId)).toHaveLength(1);
      expect((await place(lines, key)).body.payment.paymentIntentId).toBe(retried.body.payment.paymentIntentId);
    });
  });

  it('cancels an online order unpaid at its deadline, and refunds a payment that arrives after that', async () => {
    const apples = await lot(0);
    const before = await stock(apples.id);
    const placed = await place([{ listingId: apples.id, quantityKg: 10 }]);
    const orderId = placed.body.orders[0].id;
    await db.query(`UPDATE orders SET pay_by = now() - interval '1 minute' WHERE id = $1`, [orderId]);
    expect(await matcher.app.get(OrderLifecycleService).cancelIfUnpaid(orderId)).toBe(true);
    expect(await stock(apples.id)).toEqual(before);

    const late = await webhook('payment_intent.succeeded', fake.succeed(placed.body.payment.paymentIntentId));
    expect(late.body.outcome).toBe('applied: 0 orders paid, 1 cancelled before payment refunded');
    expect((await orderOf(orderId)).status).toBe('cancelled');
    const refund = [...fake.refunds.values()].find((r) => r.payment_intent === placed.body.payment.paymentIntentId);
    expect(refund).toMatchObject({ amount: 6800, status: 'succeeded' });
    const [row] = await db.query(`SELECT reason, status FROM refunds WHERE order_id = $1`, [orderId]);
    expect(row).toEqual({ reason: 'paid_after_cancellation', status: 'succeeded' });
  });

  it('never breaks the stock invariant, and no payment refunds more than it received', async () => {
    const [{ broken }] = await db.query(`SELECT count(*)::int AS broken FROM listings WHERE available_grams + reserved_grams + sold_grams <> total_grams OR available_grams < 0 OR reserved_grams < 0 OR sold_grams < 0`);
    expect(broken).toBe(0);
    const rows = await db.query(
      `SELECT pi.id, pi.amount_refunded_fen::int AS recorded, coalesce(sum(r.amount_fen) FILTER (WHERE r.status NOT IN ('failed', 'canceled')), 0)::int AS refunds, pi.amount_received_fen::int AS received
         FROM payment_intents pi LEFT JOIN refunds r ON r.payment_intent_id = pi.id GROUP BY pi.id`,
    );
    for (const row of rows) {
      expect(row.recorded).toBe(row.refunds);
      expect(row.refunds).toBeLessThanOrEqual(row.received);
    }
  });
});

describe('without STRIPE_SECRET_KEY', () => {
  let env: TestEnv;
  let buyer: RunningApp;
  let seller: RunningApp;
  let matcher: RunningApp;

  beforeAll(async () => {
    env = await createTestEnv();
    buyer = await startApp('buyer', env);
    seller = await startApp('seller', env);
    matcher = await startApp('matcher', env);
  });

  afterAll(async () => {
    await matcher?.close();
    await seller?.close();
    await buyer?.close();
    await env?.destroy();
  });

  it('starts, says in /health that only bank transfer is offered, and refuses stripe naming the field', async () => {
    for (const app of [buyer, seller, matcher]) {
      const health = await app.http.get('/health');
      expect(health.status).toBe(200);
      expect(health.body.info.payments).toMatchObject({ status: 'up', online: false, methods: ['bank_transfer'], message: expect.stringContaining('online payment is disabled') });
    }
    for (const app of [buyer, seller]) {
      expect((await app.http.get('/api/v1/payments/config')).body).toEqual({ online: false, paymentMethodTypes: [], publishableKey: null });
    }
    const token = (await makeBuyer(buyer.http)).accessToken;
    const refused = await buyer.http.request('POST', '/api/v1/orders', {
      body: { lines: [{ listingId: randomUUID(), quantityKg: 10 }], paymentMethod: 'stripe' },
      token,
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.details).toEqual([{ field: 'paymentMethod', message: expect.stringContaining('not enabled on this server') }]);
    const coop = await makeCooperative(seller.http);
    const link = await seller.http.post('/api/v1/payments/connect/onboarding-link', undefined, coop.accessToken);
    expect(link.status).toBe(400);
    expect(link.body.details).toEqual([{ field: 'account', message: expect.stringContaining('not enabled on this server') }]);
    expect((await buyer.http.request('POST', '/api/v1/payments/stripe/webhook', { raw: '{}', headers: { 'stripe-signature': 't=1,v1=x' } })).status).toBe(404);
  });
});
