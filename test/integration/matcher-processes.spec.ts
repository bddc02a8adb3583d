import { DataSource } from 'typeorm';
import { Queue } from 'bullmq';
import { addDays, bullPrefix, chinaDate, type Principal, QueueName } from '@chanxiao/core';
import { DemandsService } from '@chanxiao/demands';
import { ListingsService } from '@chanxiao/listings';
import { type RunningApp, startApp } from '../support/apps';
import { demandInput, listingInput, registerPrincipal } from '../support/factories';
import { holdViolations, matcherSettled } from '../support/matching';
import { AppProcess, freePort } from '../support/processes';
import { createTestEnv, type TestEnv } from '../support/test-env';
import { waitFor } from '../support/wait';

const SELLER_COUNTIES = ['532627', '620522', '433127', '522633', '330106'];

/**
 * Matching with real matcher processes: two at once must never double-hold, and one killed with SIGKILL in the
 * middle of its work must lose and duplicate nothing once another takes over.
 */
describe('matcher processes', () => {
  let env: TestEnv;
  let api: RunningApp;
  let db: DataSource;
  let sellers: Principal[];
  let buyers: Principal[];
  const processes: AppProcess[] = [];
  let eventsQueue: Queue;

  const matcher = async () => {
    const p = new AppProcess('matcher', { ...env.vars, MATCHER_PORT: String(await freePort()), OUTBOX_POLL_INTERVAL_MS: '200', LOG_LEVEL: 'error' });
    processes.push(p);
    return p;
  };

  /** Lots and demands of one produce, written concurrently through the services: every lot can serve every demand. */
  async function workload(lots: number, demands: number): Promise<void> {
    const listings = api.app.get(ListingsService);
    const demandsService = api.app.get(DemandsService);
    const tasks: (() => Promise<unknown>)[] = [];
    for (let i = 0; i < Math.max(lots, demands); i++) {
      if (i < lots) {
        const owner = sellers[i % sellers.length];
        tasks.push(async () => {
          const lot = await listings.create(owner, listingInput({ categoryCode: 'fruit.apple', quantityKg: 1000 + 100 * (i % 7), minOrderKg: 50, unitPriceFen: 600 + (i % 5) * 10 }) as never);
          await listings.publish(owner, lot.id);
        });
      }
      if (i < demands) {
        const owner = buyers[i % buyers.length];
        tasks.push(() => demandsService.create(owner, demandInput({ categoryCode: 'fruit.apple', quantityKg: 300 + 50 * (i % 9), maxUnitPriceFen: 700, deliverBy: addDays(chinaDate(), 20) }) as never));
      }
    }
    // Eight writers at a time.
    let next = 0;
    await Promise.all(Array.from({ length: 8 }, async () => {
      while (next < tasks.length) await tasks[next++]();
    }));
  }

  const register = (kind: 'seller' | 'buyer', regionCode: string) => registerPrincipal(api.app, kind, { regionCode });

  async function assertConsistent(): Promise<void> {
    expect(await holdViolations(db)).toEqual([]);
    // Every proposal was announced exactly once, and every announced proposal exists: nothing half-done survived.
    const [{ proposals, created }] = await db.query(
      `SELECT (SELECT count(*) FROM proposals)::int AS proposals, (SELECT count(*) FROM outbox_events WHERE type = 'proposal.created')::int AS created`,
    );
    expect(created).toBe(proposals);
    // The limits hold across processes (defaults: 5 live proposals per demand, 10 per lot, 60% of a lot per buyer).
    const [limits] = await db.query(`
      SELECT (SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM proposals WHERE status IN ('proposed', 'accepted_by_buyer', 'accepted_by_seller') GROUP BY demand_id) x)::int AS per_demand,
             (SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM proposals WHERE status IN ('proposed', 'accepted_by_buyer', 'accepted_by_seller') GROUP BY listing_id) x)::int AS per_lot,
             (SELECT count(*) FROM (SELECT p.listing_id FROM proposals p JOIN listings l ON l.id = p.listing_id
                WHERE p.status IN ('proposed', 'accepted_by_buyer', 'accepted_by_seller')
                GROUP BY p.listing_id, p.buyer_organization_id, l.available_grams, l.reserved_grams, l.min_order_grams
               HAVING sum(p.quantity_grams) > greatest(floor((l.available_grams + l.reserved_grams) * 0.6), l.min_order_grams)) x)::int AS over_share`);
    expect(limits.per_demand).toBeLessThanOrEqual(5);
    expect(limits.per_lot).toBeLessThanOrEqual(10);
    expect(limits.over_share).toBe(0);
    // The row locks, not the constraints, kept it so: no matching job ever failed on a constraint or a lost race.
    const jobs = await eventsQueue.getJobs(['completed', 'failed'], 0, -1);
    expect(jobs.filter((job) => job.attemptsMade > 1 || job.failedReason).map((job) => `${job.name}: ${job.failedReason}`)).toEqual([]);
    const [{ dupes }] = await db.query(`SELECT count(*)::int AS dupes FROM (SELECT aggregate_id FROM outbox_events WHERE type = 'proposal.created' GROUP BY aggregate_id HAVING count(*) > 1) x`);
    expect(dupes).toBe(0);
  }

  beforeEach(async () => {
    env = await createTestEnv();
    api = await startApp('seller', env);
    db = api.app.get(DataSource);
    eventsQueue = new Queue(QueueName.Events, { connection: { url: env.config.REDIS_URL }, prefix: bullPrefix(env.config) });
    sellers = [];
    buyers = [];
    for (const code of SELLER_COUNTIES) sellers.push(await register('seller', code));
    for (const code of ['440300', '310101', '110105']) buyers.push(await register('buyer', code));
  });

  afterEach(async () => {
    for (const p of processes.splice(0)) await p.kill9();
    await eventsQueue?.close();
    await api?.close();
    await env?.destroy();
  });

  it('two matchers at once never double-hold', async () => {
    await Promise.all([matcher(), matcher()]);
    await workload(60, 60);
    await matcherSettled(db, 60_000);
    await assertConsistent();
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM proposals`);
    expect(n).toBeGreaterThan(50);
  });

  it('kill -9 of a matcher in the middle of its work loses and duplicates nothing', async () => {
    const first = await matcher();
    await workload(120, 120);
    const total = Number((await db.query(`SELECT count(*) AS n FROM outbox_events`))[0].n);
    const processed = async () => Number((await db.query(`SELECT count(*) AS n FROM processed_events WHERE consumer = 'matcher'`))[0].n);
    await waitFor('the first matcher to be busy', async () => (await processed()) >= 20, 30_000);
    await first.kill9();
    expect(await processed()).toBeLessThan(total);

    await matcher();
    // The killed worker's active jobs are retried once their lock lapses (the events worker's lockDuration).
    await matcherSettled(db, 90_000);
    await assertConsistent();
  }, 120_000);
});
