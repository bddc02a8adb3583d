import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { addDays, chinaDate, QueueName } from '@chanxiao/core';
import { IdentityService } from '@chanxiao/identity';
import { ListingExpiryService, ListingsService } from '@chanxiao/listings';
import { type RunningApp, startApp } from '../support/apps';
import { listingInput, makePhone, makeUscc, TEST_PASSWORD } from '../support/factories';
import { createTestEnv, type TestEnv } from '../support/test-env';

describe('lot expiry in the matcher', () => {
  let env: TestEnv;
  let matcher: RunningApp;
  let seller: RunningApp;
  let db: DataSource;
  let listings: ListingsService;
  let expiry: ListingExpiryService;
  let principal: Parameters<ListingsService['create']>[0];
  const today = chinaDate();

  beforeAll(async () => {
    env = await createTestEnv();
    matcher = await startApp('matcher', env);
    seller = await startApp('seller', env);
    db = matcher.app.get(DataSource);
    listings = matcher.app.get(ListingsService);
    expiry = matcher.app.get(ListingExpiryService);
    const phone = makePhone();
    const { user, organization } = await seller.app.get(IdentityService).register({
      kind: 'seller',
      organization: { name: '永顺县猕猴桃农民专业合作社', creditCode: makeUscc('433127'), regionCode: '433127', contactPhone: phone, povertyHouseholds: 40 },
      user: { phone, password: TEST_PASSWORD, name: '彭志刚' },
    });
    principal = { userId: user.id, organizationId: organization.id, kind: 'seller', role: 'admin', regionCode: null };
  });

  afterAll(async () => {
    await matcher?.close();
    await seller?.close();
    await env?.destroy();
  });

  async function activeLot(bestBefore: string) {
    const lot = await listings.create(principal, listingInput({ categoryCode: 'fruit.kiwi', quantityKg: 1000, minOrderKg: 100 }) as never);
    await listings.publish(principal, lot.id);
    // Time passes: the lot's best-before date is now behind us.
    await db.query(`UPDATE listings SET best_before = $2 WHERE id = $1`, [lot.id, bestBefore]);
    return lot.id;
  }

  it('expires lots past their best-before, takes available stock off the market, keeps reservations, and tells the matcher once', async () => {
    const past = await activeLot(addDays(today, -1));
    const lastDay = await activeLot(today);
    await db.query(`UPDATE listings SET available_grams = available_grams - 100000, reserved_grams = 100000 WHERE id = $1`, [past]);

    const [first, second] = await Promise.all([expiry.expireDue(), expiry.expireDue()]);
    expect(first + second).toBeGreaterThanOrEqual(1);

    const [row] = await db.query(`SELECT status, total_grams::int AS total, available_grams::int AS available, reserved_grams::int AS reserved, delisted_grams::int AS delisted FROM listings WHERE id = $1`, [past]);
    expect(row).toEqual({ status: 'expired', total: 100000, available: 0, reserved: 100000, delisted: 900000 });
    expect((await db.query(`SELECT status FROM listings WHERE id = $1`, [lastDay]))[0].status).toBe('active');
    const events = await db.query(`SELECT type FROM outbox_events WHERE aggregate_id = $1 AND type = 'listing.expired'`, [past]);
    expect(events).toHaveLength(1);
    expect(await expiry.expireDue()).toBe(0);
  });

  it('keeps the expiry job scheduled on the listings queue', async () => {
    const queue = matcher.app.get<Queue>(getQueueToken(QueueName.Listings));
    const schedulers = await queue.getJobSchedulers();
    expect(schedulers.map((s) => s.key)).toContain('expire-listings');
  });

  it('runs the scheduled job through the worker', async () => {
    const id = await activeLot(addDays(today, -3));
    const queue = matcher.app.get<Queue>(getQueueToken(QueueName.Listings));
    const job = await queue.add('expire', {});
    for (let i = 0; i < 50 && !(await job.isCompleted()); i++) await new Promise((r) => setTimeout(r, 100));
    expect(await job.isCompleted()).toBe(true);
    expect((await db.query(`SELECT status FROM listings WHERE id = $1`, [id]))[0].status).toBe('expired');
  });
});
