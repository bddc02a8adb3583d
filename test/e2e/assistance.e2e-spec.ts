import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { addDays, chinaDate } from '@chanxiao/core';
import { IdentityService } from '@chanxiao/identity';
import { type RunningApp, startApp } from '../support/apps';
import { assistanceSettled } from '../support/assistance';
import { FakeStripe } from '../support/fake-stripe';
import { makeBuyer, makeCooperative, makeListing, makePhone, TEST_PASSWORD } from '../support/factories';
import { createTestEnv, type TestEnv } from '../support/test-env';

/** What the pledge ledger should say, computed another way: paid, not cancelled orders' lines from poverty-county lots, this year. */
const COUNTED = `
  SELECT coalesce(sum(ol.amount_fen), 0)::bigint AS fen,
         coalesce(sum(ol.amount_fen) FILTER (WHERE r.is_supervised_county), 0)::bigint AS supervised,
         coalesce(sum(ol.quantity_grams), 0)::bigint AS grams
    FROM orders o JOIN order_lines ol ON ol.order_id = o.id JOIN listings l ON l.id = ol.listing_id JOIN regions r ON r.code = l.region_code
   WHERE o.buyer_organization_id = $1 AND o.paid_at IS NOT NULL AND o.status <> 'cancelled' AND r.is_poverty_county
     AND extract(year FROM o.paid_at AT TIME ZONE 'Asia/Shanghai') = $2`;

describe('消费扶贫: pledges, campaigns, courier subsidies, agency figures', () => {
  let env: TestEnv;
  let fake: FakeStripe;
  let seller: RunningApp;
  let buyer: RunningApp;
  let agency: RunningApp;
  let matcher: RunningApp;
  let db: DataSource;
  const year = Number(chinaDate().slice(0, 4));
  const today = chinaDate();

  const place = async (token: string, lines: { listingId: string; quantityKg: number }[], paymentMethod = 'bank_transfer') => {
    const response = await buyer.http.request('POST', '/api/v1/orders', { body: { lines, paymentMethod }, token, headers: { 'idempotency-key': randomUUID() } });
    if (response.status !== 201) throw new Error(`place: ${response.status} ${response.text}`);
    return response.body;
  };
  const staff = async (regionCode: string) => {
    const phone = makePhone();
    await agency.app.get(IdentityService).createAgencyUser({ phone, password: TEST_PASSWORD, name: '杨晓梅', regionCode });
    return (await agency.http.post('/api/v1/auth/login', { phone, password: TEST_PASSWORD })).body.accessToken as string;
  };
  const counted = async (org: string) => {
    const [row] = await db.query(COUNTED, [org, year]);
    return { fen: Number(row.fen), supervised: Number(row.supervised), grams: Number(row.grams) };
  };

  beforeAll(async () => {
    env = await createTestEnv();
    fake = await FakeStripe.start();
    const config = env.configWith(fake.env({}));
    [seller, buyer, agency, matcher] = await Promise.all([startApp('seller', env, config), startApp('buyer', env, config), startApp('agency', env, config), startApp('matcher', env, config)]);
    db = buyer.app.get(DataSource);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([matcher?.close(), seller?.close(), buyer?.close(), agency?.close()]);
    await fake?.close();
    await env?.destroy();
  });

  describe('pledges', () => {
    it('lets only a consumption_assistance buyer pledge, once a year, and names bad fields', async () => {
      const market = await makeBuyer(buyer.http, { organization: { buyerType: 'wholesale_market' } });
      expect((await buyer.http.post('/api/v1/pledges', { amountFen: 1000 }, market.accessToken)).status).toBe(403);
      const canteen = await makeBuyer(buyer.http, { organization: { buyerType: 'consumption_assistance', name: '省总工会职工食堂' } });
      const bad = await buyer.http.post('/api/v1/pledges', { amountFen: -5, reservedShareBps: 20000, year: 'soon' }, canteen.accessToken);
      expect(bad.status).toBe(400);
      expect([...new Set(bad.body.details.map((d: { field: string }) => d.field))].sort()).toEqual(['amountFen', 'reservedShareBps', 'year']);
      expect(await db.query(`SELECT * FROM pledges`)).toEqual([]);
      const made = await buyer.http.post('/api/v1/pledges', { amountFen: 10_000_000, procurementBudgetFen: 40_000_000, reservedShareBps: 3000 }, canteen.accessToken);
      expect(made.status).toBe(201);
      expect(made.body).toMatchObject({ year, amountFen: 10_000_000, reservedBudgetFen: 12_000_000 });
      const again = await buyer.http.post('/api/v1/pledges', { amountFen: 5 }, canteen.accessToken);
      expect(again.status).toBe(409);
      expect(again.body.details).toEqual([{ field: 'year', message: `${year} already has a pledge` }]);
      const revised = await buyer.http.request('PATCH', `/api/v1/pledges/${year}`, { body: { amountFen: 12_000_000 }, token: canteen.accessToken });
      expect(revised.body.amountFen).toBe(12_000_000);
      expect((await buyer.http.request('PATCH', `/api/v1/pledges/${year + 1}`, { body: { amountFen: 1 }, token: canteen.accessToken })).status).toBe(404);
      const none = await buyer.http.get('/api/v1/pledges/current', market.accessToken);
      expect(none.body).toMatchObject({ pledge: null, progress: { countedFen: 0, shareOfPledge: null } });
    });

    it('counts poverty-county purchases when paid, and takes back partial refunds and cancellations', async () => {
      const guangnan = await makeCooperative(seller.http, { organization: { regionCode: '532627' } }); // supervised
      const funing = await makeCooperative(seller.http, { organization: { regionCode: '532628', name: '富宁县猕猴桃专业合作社' } }); // poverty
      const anning = await makeCooperative(seller.http, { organization: { regionCode: '530181', name: '安宁市果蔬合作社' } }); // neither
      const canteen = await makeBuyer(buyer.http, { organization: { buyerType: 'consumption_assistance', name: '某市直机关食堂' } });
      await buyer.http.post('/api/v1/pledges', { amountFen: 1_000_000 }, canteen.accessToken);
      const apples = await makeListing(seller.http, guangnan.accessToken, { quantityKg: 5000, minOrderKg: 10, unitPriceFen: 680 });
      const kiwi = await makeListing(seller.http, funing.accessToken, { categoryCode: 'fruit.kiwi', title: '红心猕猴桃', quantityKg: 3000, minOrderKg: 10, unitPriceFen: 333 });
      const pears = await makeListing(seller.http, anning.accessToken, { categoryCode: 'fruit.pear', title: '安宁梨', quantityKg: 3000, minOrderKg: 10, unitPriceFen: 500 });

      // Bank transfer: placed (nothing yet), paid by the seller (counts).
      const [byBank] = (await place(canteen.accessToken, [{ listingId: apples.id, quantityKg: 100 }])).orders;
      const [notPoverty] = (await place(canteen.accessToken, [{ listingId: pears.id, quantityKg: 100 }])).orders;
      await seller.http.post(`/api/v1/orders/${notPoverty.id}/confirm-payment`, undefined, anning.accessToken);
      await assistanceSettled(db);
      expect((await buyer.http.get('/api/v1/pledges/current', canteen.accessToken)).body.progress.countedFen).toBe(0);
      await seller.http.post(`/api/v1/orders/${byBank.id}/confirm-payment`, undefined, guangnan.accessToken);

      // Online: apples and kiwi in one checkout, paid by Stripe's webhook, then 50.001 kg of kiwi refunded, then the apples order cancelled whole.
      const group = await place(canteen.accessToken, [{ listingId: apples.id, quantityKg: 200 }, { listingId: kiwi.id, quantityKg: 150.001 }], 'stripe');
      const delivered = fake.event('payment_intent.succeeded', fake.succeed(group.payment.paymentIntentId)).payload;
      expect((await buyer.http.request('POST', '/api/v1/payments/stripe/webhook', { raw: delivered, headers: { 'stripe-signature': fake.sign(delivered) } })).status).toBe(200);
      await assistanceSettled(db);
      let progress = (await buyer.http.get('/api/v1/pledges/current', canteen.accessToken)).body.progress;
      // 100 + 200 kg apples at 6.80 (supervised) + 150.001 kg kiwi at 3.33 (49,950 fen).
      expect(progress).toMatchObject({ countedFen: 68_000 + 136_000 + 49_950, supervisedFen: 204_000, countedKg: 450.001 });
      const kiwiOrder = group.orders.find((o: { sellerOrganizationId: string }) => o.sellerOrganizationId === funing.organization.id);
      const appleOrder = group.orders.find((o: { sellerOrganizationId: string }) => o.sellerOrganizationId === guangnan.organization.id);
      const cut = await buyer.http.post(`/api/v1/orders/${kiwiOrder.id}/cancel-lines`, { lines: [{ listingId: kiwi.id, quantityKg: 50.001 }] }, canteen.accessToken);
      expect(cut.status).toBe(200);
      await assistanceSettled(db);
      progress = (await buyer.http.get('/api/v1/pledges/current', canteen.accessToken)).body.progress;
      expect(progress.countedFen).toBe(68_000 + 136_000 + 33_300);
      const whole = await buyer.http.post(`/api/v1/orders/${appleOrder.id}/cancel-lines`, { lines: [{ listingId: apples.id, quantityKg: 200 }] }, canteen.accessToken);
      expect(whole.body.order.status).toBe('cancelled');
      await assistanceSettled(db);
      const view = (await buyer.http.get('/api/v1/pledges/current', canteen.accessToken)).body;
      expect(view.progress).toMatchObject({ countedFen: 68_000 + 33_300, supervisedFen: 68_000, countedKg: 200, shareOfPledge: 0.1013, shareFromSupervised: 0.6713 });
      expect(view.progress.byMonth).toEqual([{ month: today.slice(0, 7), fen: 101_300, supervisedFen: 68_000, kg: 200 }]);
      const expected = await counted(canteen.organization.id);
      expect([view.progress.countedFen, view.progress.supervisedFen, view.progress.countedKg * 1000]).toEqual([expected.fen, expected.supervised, expected.grams]);
      // The ledger: one entry per (order, event), signed changes summing to each order's balance.
      const entries = await db.query(`SELECT event_type, amount_fen::int AS fen FROM pledge_entries WHERE organization_id = $1 ORDER BY amount_fen DESC`, [canteen.organization.id]);
      expect(entries).toEqual([
        { event_type: 'order.paid', fen: 136_000 },
        { event_type: 'order.paid', fen: 68_000 },
        { event_type: 'order.paid', fen: 49_950 },
        { event_type: 'order.partly_cancelled', fen: -16_650 },
        { event_type: 'order.cancelled', fen: -136_000 },
      ]);
    });
  });

  it('done when: a union canteen pledges, buys from a supervised county during a campaign, the seller ships and earns a capped subsidy, and the agency sees it all, reconciled', async () => {
    const province = await staff('530000');
    const city = await staff('532600'); // 文山州
    const gansu = await staff('620000');
    // The agency sets up a campaign and a courier subsidy programme within its region; outside it is refused.
    const outside = await agency.http.post('/api/v1/campaigns', { name: '越界行动', startsOn: today, endsOn: addDays(today, 30), regionCodes: ['420000'] }, province);
    expect(outside.status).toBe(400);
    expect(outside.body.details).toEqual([{ field: 'regionCodes[0]', message: '420000 is not within your region 530000' }]);
    const campaign = await agency.http.post('/api/v1/campaigns', {
      name: '云南春季滞销农产品专项行动', startsOn: addDays(today, -10), endsOn: addDays(today, 50), regionCodes: ['532600'], categoryCodes: ['fruit'],
    }, province);
    expect(campaign.status).toBe(201);
    const programme = await agency.http.post('/api/v1/subsidy-programmes', {
      name: '文山州农产品快递补贴', perOrderFen: 300, perSellerCapFen: 500, budgetFen: 10_000, regionCodes: ['532600'], startsOn: addDays(today, -1), endsOn: addDays(today, 60),
    }, city);
    expect(programme.status).toBe(201);
    expect((await agency.http.post('/api/v1/subsidy-programmes', { name: '坏预算', perOrderFen: 300, perSellerCapFen: 200, budgetFen: 100, regionCodes: ['532600'], startsOn: today, endsOn: today }, city)).body.details)
      .toEqual([{ field: 'perSellerCapFen', message: 'must be at least perOrderFen' }, { field: 'budgetFen', message: 'must be at least perSellerCapFen' }]);

    // A union canteen (in 昆明) pledges 500,000 yuan for the year.
    const union = await makeBuyer(buyer.http, { organization: { buyerType: 'consumption_assistance', name: '云南省总工会机关食堂', regionCode: '530102' } });
    expect((await buyer.http.post('/api/v1/pledges', { amountFen: 50_000_000, procurementBudgetFen: 150_000_000, reservedShareBps: 3000 }, union.accessToken)).status).toBe(201);
    // A cooperative in 广南县 (supervised, 文山州) lists apples; search shows them tagged with the campaign.
    const coop = await makeCooperative(seller.http, { organization: { regionCode: '532627', name: '广南县高原苹果合作社' } });
    const apples = await makeListing(seller.http, coop.accessToken, { quantityKg: 8000, minOrderKg: 50, unitPriceFen: 600, stalled: true });
    const tea = await makeListing(seller.http, coop.accessToken, { categoryCode: 'tea.black', title: '滇红', quantityKg: 500, minOrderKg: 1, unitPriceFen: 12000, bestBefore: addDays(today, 300) });
    const found = await buyer.http.get(`/api/v1/listings/${apples.id}`, union.accessToken);
    expect(found.body.campaigns).toEqual([{ id: campaign.body.id, name: '云南春季滞销农产品专项行动' }]);
    expect((await buyer.http.get(`/api/v1/listings/${tea.id}`, union.accessToken)).body.campaigns).toEqual([]);
    const page = await buyer.http.get('/api/v1/listings?regionCode=532627', union.accessToken);
    expect(page.body.items.find((l: { id: string }) => l.id === apples.id).campaigns).toHaveLength(1);
    expect((await buyer.http.get('/api/v1/campaigns', union.accessToken)).body.items.map((c: { id: string; state: string }) => [c.id, c.state])).toEqual([[campaign.body.id, 'active']]);

    // Three orders of apples (one with tea too), paid by bank transfer and shipped: the seller cap (500 fen) allows one 300-fen subsidy.
    const orders = [];
    for (const kg of [1000, 500, 250]) orders.push((await place(union.accessToken, kg === 250 ? [{ listingId: apples.id, quantityKg: kg }, { listingId: tea.id, quantityKg: 10 }] : [{ listingId: apples.id, quantityKg: kg }])).orders[0]);
    for (const order of orders) expect((await seller.http.post(`/api/v1/orders/${order.id}/confirm-payment`, undefined, coop.accessToken)).status).toBe(200);
    await Promise.all(orders.map((order) => seller.http.post(`/api/v1/orders/${order.id}/ship`, { carrier: '中国邮政', trackingNo: `YZ${order.id.slice(0, 8)}` }, coop.accessToken)));
    await assistanceSettled(db);
    const subsidies = await seller.http.get('/api/v1/subsidies', coop.accessToken);
    expect(subsidies.body).toMatchObject({ totalFen: 300, items: [{ programmeId: programme.body.id, kind: 'earned', amountFen: 300, programmeName: '文山州农产品快递补贴' }] });

    // Pledge progress: 1750 kg × 6.00 + 10 kg × 120.00, all from a supervised county.
    const pledge = (await buyer.http.get('/api/v1/pledges/current', union.accessToken)).body;
    expect(pledge.progress).toMatchObject({ countedFen: 1_050_000 + 120_000, supervisedFen: 1_170_000, countedKg: 1760, shareFromSupervised: 1 });
    expect(pledge.progress.countedFen).toBe((await counted(union.organization.id)).fen);

    // The agency's dashboard: pledge, campaign and subsidy figures, reconciled with the orders and ledgers.
    const dashboard = (await agency.http.get('/api/v1/dashboard/assistance', province)).body;
    const row = dashboard.pledges.purchasers.find((p: { organizationId: string }) => p.organizationId === union.organization.id);
    expect(row).toMatchObject({ name: '云南省总工会机关食堂', pledgedFen: 50_000_000, countedFen: 1_170_000, supervisedFen: 1_170_000 });
    expect(row.behindSchedule).toBe(row.expectedFen > 1_170_000);
    expect(dashboard.pledges.behindSchedule.some((p: { organizationId: string }) => p.organizationId === union.organization.id)).toBe(row.behindSchedule);
    const [campaignSql] = await db.query(
      `SELECT sum(ol.quantity_grams)::bigint AS grams, sum(ol.amount_fen)::bigint AS fen, count(DISTINCT l.region_code)::int AS counties
         FROM orders o JOIN order_lines ol ON ol.order_id = o.id JOIN listings l ON l.id = ol.listing_id JOIN regions r ON r.code = l.region_code
        WHERE o.paid_at IS NOT NULL AND o.status <> 'cancelled' AND r.parent_code = '532600' AND l.category_code LIKE 'fruit.%'`,
    );
    const liveCampaign = dashboard.campaigns.find((c: { id: string }) => c.id === campaign.body.id);
    expect(liveCampaign).toMatchObject({ soldKg: Number(campaignSql.grams) / 1000, soldFen: Number(campaignSql.fen), countiesReached: campaignSql.counties, state: 'active' });
    expect(liveCampaign.soldFen).toBeGreaterThanOrEqual(1_050_000);
    const [spend] = await db.query(`SELECT sum(amount_fen)::int AS fen, count(*)::int AS n FROM subsidy_entries WHERE programme_id = $1`, [programme.body.id]);
    expect(dashboard.subsidies).toEqual([expect.objectContaining({ id: programme.body.id, budgetFen: 10_000, spentFen: spend.fen, remainingFen: 10_000 - spend.fen, earnedOrders: spend.n })]);
    expect(spend.fen).toBe(300);

    // The monthly report (this month) carries the three sheets with the same figures.
    const report = await agency.http.get(`/api/v1/reports/monthly?month=${today.slice(0, 7)}&format=json&refresh=true`, province);
    expect(report.status).toBe(200);
    const json = JSON.parse(report.text);
    expect(json.assistance.pledges.purchasers.find((p: { organizationId: string }) => p.organizationId === union.organization.id)).toMatchObject({ pledgedFen: 50_000_000, countedFen: 1_170_000 });
    expect(json.assistance.campaigns[0].month).toMatchObject({ id: campaign.body.id, soldFen: liveCampaign.soldFen, countiesReached: liveCampaign.countiesReached });
    expect(json.assistance.subsidies[0]).toMatchObject({ id: programme.body.id, spentFen: 300, earnedFen: 300, earnedOrders: 1, sellers: 1 });
    const csv = await agency.http.get(`/api/v1/reports/monthly?month=${today.slice(0, 7)}&format=csv&refresh=true`, province);
    expect(csv.text).toContain('【消费扶贫认购进度】');
    expect(csv.text).toMatch(/云南省总工会机关食堂,530102,500000\.00,11700\.00,11700\.00/);
    expect(csv.text).toContain('【物流补贴】');
    expect(csv.text).toMatch(/文山州农产品快递补贴,3\.00,5\.00,100\.00,3\.00,97\.00,1,3\.00,0\.00,1/);

    // Scoping: 文山州 sees its own programme but not the province's campaign; Gansu sees none of it; another region is 404.
    const wenshan = (await agency.http.get('/api/v1/dashboard/assistance', city)).body;
    expect(wenshan.campaigns).toEqual([]);
    expect(wenshan.subsidies.map((s: { id: string }) => s.id)).toEqual([programme.body.id]);
    expect(wenshan.pledges.purchasers.map((p: { organizationId: string }) => p.organizationId)).not.toContain(union.organization.id); // 昆明 is not 文山
    const north = (await agency.http.get('/api/v1/dashboard/assistance', gansu)).body;
    expect([north.campaigns, north.subsidies, north.pledges.purchasers]).toEqual([[], [], []]);
    expect((await agency.http.get(`/api/v1/campaigns/${campaign.body.id}`, gansu)).status).toBe(404);
    expect((await agency.http.get(`/api/v1/campaigns/${campaign.body.id}`, province)).body.id).toBe(campaign.body.id);
    expect((await agency.http.get('/api/v1/subsidy-programmes', gansu)).body.items).toEqual([]);
    expect((await agency.http.get('/api/v1/dashboard/assistance?regionCode=620000', province)).status).toBe(404);
    const badPeriod = await agency.http.get('/api/v1/dashboard/assistance?from=2026-13-01', province);
    expect(badPeriod.status).toBe(400);
    expect(badPeriod.body.details[0].field).toBe('from');
    // A period before the purchases: the campaign sold nothing then, the programme paid nothing then.
    const before = (await agency.http.get(`/api/v1/dashboard/assistance?from=${addDays(today, -9)}&to=${addDays(today, -1)}`, province)).body;
    expect(before.campaigns.find((c: { id: string }) => c.id === campaign.body.id)).toMatchObject({ soldFen: 0, countiesReached: 0 });
    expect(before.subsidies.find((s: { id: string }) => s.id === programme.body.id)).toMatchObject({ earnedFen: 0, spentFen: 300 });
  });
});
