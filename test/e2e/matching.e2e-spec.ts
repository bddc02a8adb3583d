import { DataSource } from 'typeorm';
import { addDays, chinaDate } from '@chanxiao/core';
import { ProposalsService } from '@chanxiao/proposals';
import { type RunningApp, startApp } from '../support/apps';
import { makeBuyer, makeCooperative, makeDemand, makeListing } from '../support/factories';
import { holdViolations, lotStock, matcherSettled } from '../support/matching';
import { createTestEnv, type TestEnv } from '../support/test-env';
import { waitFor } from '../support/wait';

describe('matching: proposals with holds, end to end through the matcher', () => {
  let env: TestEnv;
  let seller: RunningApp;
  let buyer: RunningApp;
  let matcher: RunningApp;
  let db: DataSource;
  let coop: { token: string; org: string };
  let otherCoop: { token: string; org: string };
  let buyerA: { token: string; org: string };
  let buyerB: { token: string; org: string };

  const proposalsOf = async (app: RunningApp, token: string, query = '') => (await app.http.get(`/api/v1/proposals?limit=100${query}`, token)).body.items as Record<string, any>[];
  const demandRow = async (id: string) =>
    (await db.query(`SELECT status, filled_grams::int AS filled, held_grams::int AS held, quantity_grams::int AS quantity FROM demands WHERE id = $1`, [id]))[0];

  beforeAll(async () => {
    env = await createTestEnv();
    const config = env.configWith({ OUTBOX_POLL_INTERVAL_MS: '200', MATCH_MAX_PROPOSALS_PER_LOT: '3' });
    seller = await startApp('seller', env, config);
    buyer = await startApp('buyer', env, config);
    matcher = await startApp('matcher', env, config);
    db = matcher.app.get(DataSource);
    const c = await makeCooperative(seller.http, { organization: { regionCode: '620522' } });
    coop = { token: c.accessToken, org: c.organization.id };
    const o = await makeCooperative(seller.http, { organization: { regionCode: '532627' } });
    otherCoop = { token: o.accessToken, org: o.organization.id };
    const a = await makeBuyer(buyer.http);
    buyerA = { token: a.accessToken, org: a.organization.id };
    const b = await makeBuyer(buyer.http);
    buyerB = { token: b.accessToken, org: b.organization.id };
  });

  afterAll(async () => {
    await matcher?.close();
    await buyer?.close();
    await seller?.close();
    await env?.destroy();
  });

  afterEach(async () => {
    await matcherSettled(db);
    expect(await holdViolations(db)).toEqual([]);
  });

  it('proposes a published lot to a matching demand unasked; both accept; the buyer has an order; stock reconciles', async () => {
    const demand = await makeDemand(buyer.http, buyerA.token, { categoryCode: 'fruit.apple', quantityKg: 5000, maxUnitPriceFen: 700 });
    const lot = await makeListing(seller.http, coop.token, { quantityKg: 20000, minOrderKg: 500, unitPriceFen: 680 });
    await waitFor('a proposal for the buyer', async () => (await proposalsOf(buyer, buyerA.token)).some((p) => p.listingId === lot.id));

    const [proposal] = (await proposalsOf(buyer, buyerA.token)).filter((p) => p.listingId === lot.id);
    expect(proposal).toMatchObject({
      status: 'proposed', demandId: demand.id, sellerOrganizationId: coop.org, buyerOrganizationId: buyerA.org,
      quantityKg: 5000, unitPriceFen: 680, amountFen: 3_400_000, source: 'incremental', orderId: null,
    });
    expect(proposal.score).toBeGreaterThan(0);
    expect(Date.parse(proposal.expiresAt) - Date.now()).toBeGreaterThan(47 * 3600_000);
    // The hold: on the lot as reserved stock, on the demand as held grams.
    expect(await lotStock(db, lot.id)).toMatchObject({ available: 15_000_000, reserved: 5_000_000, sold: 0, total: 20_000_000 });
    expect(await demandRow(demand.id)).toMatchObject({ held: 5_000_000, filled: 0 });
    expect((await buyer.http.get(`/api/v1/demands/${demand.id}`, buyerA.token)).body).toMatchObject({ heldKg: 5000, remainingKg: 5000 });

    // Each side sees it; nobody else does.
    expect((await seller.http.get(`/api/v1/proposals/${proposal.id}`, coop.token)).body.id).toBe(proposal.id);
    expect((await seller.http.get(`/api/v1/proposals/${proposal.id}`, otherCoop.token)).status).toBe(404);
    expect((await buyer.http.get(`/api/v1/proposals/${proposal.id}`, buyerB.token)).status).toBe(404);
    expect((await buyer.http.post(`/api/v1/proposals/${proposal.id}/accept`, undefined, buyerB.token)).status).toBe(404);

    const first = await buyer.http.post(`/api/v1/proposals/${proposal.id}/accept`, undefined, buyerA.token);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ status: 'accepted_by_buyer', buyerAcceptedAt: expect.any(String), sellerAcceptedAt: null });
    const again = await buyer.http.post(`/api/v1/proposals/${proposal.id}/accept`, undefined, buyerA.token);
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/proposal cannot go from accepted_by_buyer to confirmed: the buyer has accepted already/);

    const confirmed = await seller.http.post(`/api/v1/proposals/${proposal.id}/accept`, undefined, coop.token);
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ status: 'confirmed', orderId: expect.any(String) });
    expect((await seller.http.post(`/api/v1/proposals/${proposal.id}/decline`, undefined, coop.token)).status).toBe(409);

    const order = await buyer.http.get(`/api/v1/orders/${confirmed.body.orderId}`, buyerA.token);
    expect(order.body).toMatchObject({
      status: 'pending_payment', paymentMethod: 'bank_transfer', sellerOrganizationId: coop.org, buyerOrganizationId: buyerA.org,
      totalFen: 3_400_000, lines: [{ listingId: lot.id, quantityKg: 5000, unitPriceFen: 680, amountFen: 3_400_000 }],
    });
    // The hold became the order's reservation (no stock moved); the demand's hold became its fill.
    expect(await lotStock(db, lot.id)).toMatchObject({ available: 15_000_000, reserved: 5_000_000, sold: 0 });
    expect(await demandRow(demand.id)).toMatchObject({ status: 'filled', held: 0, filled: 5_000_000 });

    expect((await seller.http.post(`/api/v1/orders/${order.body.id}/confirm-payment`, undefined, coop.token)).body.status).toBe('paid');
    const after = await lotStock(db, lot.id);
    expect(after).toMatchObject({ available: 15_000_000, reserved: 0, sold: 5_000_000 });
    expect(after.available + after.reserved + after.sold).toBe(after.total);
  });

  it('matches a demand posted after the lots, best first: supervised, then poverty, then other counties, up to the per-demand limit', async () => {
    const plain = await makeCooperative(seller.http, { organization: { regionCode: '330106' } });
    // Two lots from each: a Hangzhou district, a poverty county in Gansu, 广南 under 挂牌督战. Same produce, price, dates.
    const owners = { plain: plain.accessToken, poverty: coop.token, supervised: otherCoop.token };
    const lots: Record<string, string[]> = { plain: [], poverty: [], supervised: [] };
    for (const [kind, token] of Object.entries(owners)) {
      for (let i = 0; i < 2; i++) lots[kind].push((await makeListing(seller.http, token, { categoryCode: 'fruit.kiwi', title: '红心猕猴桃', quantityKg: 3000, minOrderKg: 100, unitPriceFen: 500 })).id);
    }
    await matcherSettled(db);
    const demand = await makeDemand(buyer.http, buyerB.token, { categoryCode: 'fruit', quantityKg: 100_000, maxUnitPriceFen: 600 });
    await matcherSettled(db);
    const mine = (await proposalsOf(buyer, buyerB.token)).filter((p) => p.demandId === demand.id);
    // MATCH_MAX_PROPOSALS_PER_DEMAND is 5: the one left out is a lot from the ordinary county.
    expect(mine).toHaveLength(5);
    const proposed = new Set(mine.map((p) => p.listingId));
    expect([...lots.supervised, ...lots.poverty].every((id) => proposed.has(id))).toBe(true);
    expect(lots.plain.filter((id) => proposed.has(id))).toHaveLength(1);
    const scoreOf = (id: string) => mine.find((p) => p.listingId === id)!.score;
    expect(Math.min(...lots.supervised.map(scoreOf))).toBeGreaterThan(Math.max(...lots.poverty.map(scoreOf)));
    expect(Math.min(...lots.poverty.map(scoreOf))).toBeGreaterThan(scoreOf(lots.plain.find((id) => proposed.has(id))!));
    // No buyer holds more than 60% of a lot (MATCH_MAX_BUYER_SHARE_PERCENT): 1,800 of 3,000 kg.
    expect(mine.every((p) => p.quantityKg === 1800)).toBe(true);
    expect((await buyer.http.get(`/api/v1/demands/${demand.id}`, buyerB.token)).body.heldKg).toBe(9000);
  });

  it('gives a lot at most MATCH_MAX_PROPOSALS_PER_LOT live proposals', async () => {
    const buyers = [buyerA, buyerB, ...(await Promise.all([makeBuyer(buyer.http), makeBuyer(buyer.http)])).map((b) => ({ token: b.accessToken, org: b.organization.id }))];
    const demands = [];
    for (const b of buyers) demands.push(await makeDemand(buyer.http, b.token, { categoryCode: 'veg.potato', quantityKg: 500, maxUnitPriceFen: 200, coldChainCapable: false }));
    await matcherSettled(db);
    const lot = await makeListing(seller.http, coop.token, { categoryCode: 'veg.potato', title: '定西马铃薯', quantityKg: 10000, minOrderKg: 100, unitPriceFen: 150, bestBefore: addDays(chinaDate(), 60) });
    await matcherSettled(db);
    const onLot = (await proposalsOf(seller, coop.token)).filter((p) => p.listingId === lot.id);
    expect(onLot).toHaveLength(3);
    expect(await lotStock(db, lot.id)).toMatchObject({ available: 8_500_000, reserved: 1_500_000 });
  });

  it('releases the hold when a side declines, and never proposes that pair again', async () => {
    const demand = await makeDemand(buyer.http, buyerA.token, { categoryCode: 'fruit.pear', quantityKg: 2000, maxUnitPriceFen: 400 });
    const lot = await makeListing(seller.http, otherCoop.token, { categoryCode: 'fruit.pear', title: '砀山酥梨', quantityKg: 8000, minOrderKg: 200, unitPriceFen: 320 });
    await matcherSettled(db);
    const [proposal] = (await proposalsOf(seller, otherCoop.token)).filter((p) => p.listingId === lot.id);
    expect(proposal.quantityKg).toBe(2000);
    const declined = await seller.http.post(`/api/v1/proposals/${proposal.id}/decline`, undefined, otherCoop.token);
    expect(declined.body).toMatchObject({ status: 'declined', closeReason: 'seller' });
    expect(await lotStock(db, lot.id)).toMatchObject({ available: 8_000_000, reserved: 0 });
    expect(await demandRow(demand.id)).toMatchObject({ held: 0, filled: 0 });
    // The decline re-runs matching for the lot and the demand: the pair stays declined.
    await matcherSettled(db);
    expect((await proposalsOf(buyer, buyerA.token)).filter((p) => p.demandId === demand.id)).toHaveLength(1);
    expect((await buyer.http.post(`/api/v1/proposals/${proposal.id}/accept`, undefined, buyerA.token)).status).toBe(409);
  });

  it('expires a proposal exactly once when the delayed job and the sweeper race, releasing the hold', async () => {
    const demand = await makeDemand(buyer.http, buyerB.token, { categoryCode: 'fruit.mango', quantityKg: 1000, maxUnitPriceFen: 900 });
    const lot = await makeListing(seller.http, otherCoop.token, { categoryCode: 'fruit.mango', title: '华坪芒果', quantityKg: 5000, minOrderKg: 100, unitPriceFen: 800, bestBefore: addDays(chinaDate(), 20) });
    await matcherSettled(db);
    const [proposal] = (await proposalsOf(buyer, buyerB.token)).filter((p) => p.listingId === lot.id);
    expect(await lotStock(db, lot.id)).toMatchObject({ reserved: 1_000_000 });
    // Accepting after the expiry time is refused even before anything has expired it.
    await db.query(`UPDATE proposals SET expires_at = now() - interval '1 second' WHERE id = $1`, [proposal.id]);
    const late = await buyer.http.post(`/api/v1/proposals/${proposal.id}/accept`, undefined, buyerB.token);
    expect(late.status).toBe(409);
    expect(late.body.message).toMatch(/expired at/);

    const proposals = matcher.app.get(ProposalsService);
    const results = await Promise.all([proposals.expireIfDue(proposal.id), proposals.sweep(), proposals.expireIfDue(proposal.id), proposals.sweep()]);
    expect(results.map(Number).reduce((a, b) => a + b, 0)).toBe(1);
    expect((await buyer.http.get(`/api/v1/proposals/${proposal.id}`, buyerB.token)).body).toMatchObject({ status: 'expired', closeReason: 'expired' });
    expect(await lotStock(db, lot.id)).toMatchObject({ available: 5_000_000, reserved: 0 });
    expect(await demandRow(demand.id)).toMatchObject({ held: 0 });
    expect(Number((await db.query(`SELECT count(*) AS n FROM outbox_events WHERE type = 'proposal.expired' AND aggregate_id = $1`, [proposal.id]))[0].n)).toBe(1);
    // The expiry re-runs matching for both, but a pair that was let expire is not proposed again.
    await matcherSettled(db);
    expect((await proposalsOf(buyer, buyerB.token)).filter((p) => p.demandId === demand.id)).toHaveLength(1);
  });

  it('declines the live proposals of a cancelled demand and of a withdrawn lot', async () => {
    const demand = await makeDemand(buyer.http, buyerA.token, { categoryCode: 'fruit.plum', quantityKg: 600, maxUnitPriceFen: 600 });
    const lot = await makeListing(seller.http, coop.token, { categoryCode: 'fruit.plum', title: '青脆李', quantityKg: 3000, minOrderKg: 100, unitPriceFen: 550, bestBefore: addDays(chinaDate(), 20) });
    const demand2 = await makeDemand(buyer.http, buyerB.token, { categoryCode: 'fruit.plum', quantityKg: 400, maxUnitPriceFen: 600 });
    await matcherSettled(db);
    expect(await lotStock(db, lot.id)).toMatchObject({ reserved: 1_000_000 });
    await buyer.http.post(`/api/v1/demands/${demand.id}/cancel`, undefined, buyerA.token);
    await matcherSettled(db);
    expect((await proposalsOf(buyer, buyerA.token)).find((p) => p.demandId === demand.id)).toMatchObject({ status: 'declined', closeReason: 'demand_cancelled' });
    expect(await lotStock(db, lot.id)).toMatchObject({ reserved: 400_000 });
    // The buyer has accepted; the seller withdraws the lot and then accepts too: whether the matcher has declined the
    // proposal by then or not, the answer is 409 and no order exists for a withdrawn lot.
    const [second] = (await proposalsOf(buyer, buyerB.token)).filter((p) => p.demandId === demand2.id);
    expect((await buyer.http.post(`/api/v1/proposals/${second.id}/accept`, undefined, buyerB.token)).body.status).toBe('accepted_by_buyer');
    await seller.http.post(`/api/v1/listings/${lot.id}/withdraw`, undefined, coop.token);
    const late = await seller.http.post(`/api/v1/proposals/${second.id}/accept`, undefined, coop.token);
    expect(late.status).toBe(409);
    expect(late.body.message).toMatch(/the lot is withdrawn|proposal cannot go from declined/);
    expect(Number((await db.query(`SELECT count(*) FROM order_lines WHERE listing_id = $1`, [lot.id]))[0].count)).toBe(0);
    await matcherSettled(db);
    expect((await proposalsOf(buyer, buyerB.token)).find((p) => p.demandId === demand2.id)).toMatchObject({ status: 'declined', closeReason: 'lot_withdrawn' });
    // A withdrawn lot's released hold leaves the market rather than returning to sale.
    expect(await lotStock(db, lot.id)).toMatchObject({ status: 'withdrawn', available: 0, reserved: 0 });
    expect(await demandRow(demand2.id)).toMatchObject({ held: 0 });
  });
});
