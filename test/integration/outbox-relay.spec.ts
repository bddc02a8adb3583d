import { type ChildProcess, spawn, execFileSync } from 'node:child_process';
import { type Job, Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';
import type { Counter } from 'prom-client';
import { DataSource } from 'typeorm';
import { type DynamicModule, Module } from '@nestjs/common';
import { type AppConfig, bullPrefix, CoreModule, MetricsService, OutboxConsumerService, OutboxRelayModule, OutboxRelayService, OutboxService, QueueName, type RelayedEvent } from '@chanxiao/core';
import { ListingsService } from '@chanxiao/listings';
import { type RunningApp, startApp, startModule } from '../support/apps';
import { listingInput, registerPrincipal } from '../support/factories';
import { freePort } from '../support/processes';
import { createTestEnv, type TestEnv } from '../support/test-env';
import { sleep, waitFor } from '../support/wait';

type Principal = Parameters<ListingsService['create']>[0];

/**
 * The relay alone, as the matcher runs it but without the matcher's event consumers, so these tests see the events
 * queue exactly as the relay leaves it.
 */
@Module({})
class RelayOnlyModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: RelayOnlyModule, imports: [CoreModule.forRoot({ app: 'matcher', config }), OutboxRelayModule] };
  }
}

const startRelay = (config: AppConfig) => startModule(RelayOnlyModule.forRoot(config), 'matcher', config);

const registerSeller = (app: RunningApp) => registerPrincipal(app.app, 'seller', { regionCode: '430626' });

/** Creates and publishes a lot through the real service: two outbox events. */
async function publishLot(app: RunningApp, principal: Principal): Promise<void> {
  const listings = app.app.get(ListingsService);
  const lot = await listings.create(principal, listingInput({ categoryCode: 'fruit.kiwi', quantityKg: 500, minOrderKg: 50 }) as never);
  await listings.publish(principal, lot.id);
}

async function outboxIds(db: DataSource): Promise<string[]> {
  return (await db.query(`SELECT id::text AS id FROM outbox_events ORDER BY id`)).map((r: { id: string }) => r.id);
}

async function unpublishedCount(db: DataSource): Promise<number> {
  return Number((await db.query(`SELECT count(*) AS n FROM outbox_events WHERE published_at IS NULL`))[0].n);
}

function relayedTotal(app: RunningApp): Promise<number> {
  const metric = app.app.get(MetricsService).registry.getSingleMetric('outbox_events_relayed_total') as Counter;
  return metric.get().then((m) => m.values.reduce((sum, v) => sum + v.value, 0));
}

function eventsQueue(config: AppConfig): Queue {
  const queue = new Queue(QueueName.Events, { connection: { url: config.REDIS_URL }, prefix: bullPrefix(config) });
  queue.on('error', () => undefined);
  return queue;
}

describe('outbox relay (shared Redis)', () => {
  let env: TestEnv;
  let matcher: RunningApp;
  let seller: RunningApp;
  let db: DataSource;
  let queue: Queue;
  let principal: Principal;

  beforeAll(async () => {
    env = await createTestEnv();
    seller = await startApp('seller', env);
    matcher = await startRelay(env.configWith({ OUTBOX_POLL_INTERVAL_MS: '200' }));
    db = matcher.app.get(DataSource);
    queue = eventsQueue(env.config);
  });

  afterAll(async () => {
    await queue?.close();
    await matcher?.close();
    await seller?.close();
    await env?.destroy();
  });

  it('relays events written by service calls to the events queue, in id order, once each, and stamps them published', async () => {
    principal = await registerSeller(seller);
    await publishLot(seller, principal);
    const ids = await outboxIds(db);
    expect(ids.length).toBeGreaterThanOrEqual(3);
    await waitFor('every outbox row published', async () => (await unpublishedCount(db)) === 0);

    const jobs = await queue.getJobs(['wait'], 0, -1, true);
    expect(jobs.map((job) => job.id)).toEqual(ids.map((id) => `outbox-${id}`));
    const types = await db.query(`SELECT id::text AS id, type, aggregate_id FROM outbox_events ORDER BY id`);
    for (const [i, job] of jobs.entries()) {
      const data = job.data as RelayedEvent;
      expect(job.name).toBe(types[i].type);
      expect(data).toMatchObject({ id: types[i].id, type: types[i].type, aggregateId: types[i].aggregate_id });
      expect(new Date(data.createdAt).toISOString()).toBe(data.createdAt);
    }
    expect(types.map((t: { type: string }) => t.type)).toEqual(expect.arrayContaining(['organization.registered', 'listing.created', 'listing.published']));
    expect(await relayedTotal(matcher)).toBe(ids.length);
  });

  it('is woken by NOTIFY rather than waiting for the poll', async () => {
    const slow = await startRelay(env.configWith({ OUTBOX_POLL_INTERVAL_MS: '60000' }));
    try {
      await matcher.close();
      // Let the slow relay go idle on its one-minute poll, then write: only the notification can wake it in time.
      await sleep(300);
      const sdb = slow.app.get(DataSource);
      const before = await outboxIds(sdb);
      await publishLot(seller, principal);
      expect((await outboxIds(sdb)).length).toBe(before.length + 2);
      await waitFor('the new events published', async () => (await unpublishedCount(sdb)) === 0, 5000);
    } finally {
      await slow.close();
      matcher = await startRelay(env.configWith({ OUTBOX_POLL_INTERVAL_MS: '200' }));
      db = matcher.app.get(DataSource);
    }
  });

  it('has no second effect on redelivery: a re-sent row, a re-added job id, a consumer processing twice', async () => {
    const relay = matcher.app.get(OutboxRelayService);
    await waitFor('every outbox row published', async () => (await unpublishedCount(db)) === 0);
    expect(await relay.relayBatch()).toBe(0);
    const jobsBefore = await queue.count();

    // A relay that crashed after adding the jobs but before its commit leaves the rows unpublished: re-sent, deduplicated.
    const resent = await outboxIds(db);
    const relayedBefore = await relayedTotal(matcher);
    await db.query(`UPDATE outbox_events SET published_at = NULL`);
    await waitFor('the rows re-published', async () => (await unpublishedCount(db)) === 0);
    expect((await relayedTotal(matcher)) - relayedBefore).toBe(resent.length);
    expect(await queue.count()).toBe(jobsBefore);

    const first = (await queue.getJobs(['wait'], 0, 0, true))[0] as Job;
    await queue.add(first.name, first.data, { jobId: first.id });
    expect(await queue.count()).toBe(jobsBefore);

    const consumers = matcher.app.get(OutboxConsumerService);
    let effects = 0;
    const work = async (manager: import('typeorm').EntityManager) => {
      await manager.query(`SELECT pg_sleep(0.05)`);
      effects++;
    };
    const results = await Promise.all([consumers.processOnce('test.consumer', first.data.id, work), consumers.processOnce('test.consumer', first.data.id, work)]);
    expect(results.sort()).toEqual([false, true]);
    expect(await consumers.processOnce('test.consumer', first.data.id, work)).toBe(false);
    expect(effects).toBe(1);
    // Another consumer keeps its own record.
    expect(await consumers.processOnce('test.other', first.data.id, work)).toBe(true);
    // A failed attempt records nothing, so the redelivery does the work.
    await expect(consumers.processOnce('test.failing', first.data.id, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await consumers.processOnce('test.failing', first.data.id, work)).toBe(true);
    expect(effects).toBe(3);
  });

  it('delivers each event once with two relays running at once', async () => {
    const second = await startRelay(env.configWith({ OUTBOX_POLL_INTERVAL_MS: '200' }));
    try {
      const outbox = matcher.app.get(OutboxService);
      const before = (await relayedTotal(matcher)) + (await relayedTotal(second));
      const written = 40 * 25;
      await Promise.all(
        Array.from({ length: 40 }, (_, t) =>
          db.transaction((manager) =>
            outbox.writeMany(manager, Array.from({ length: 25 }, (_, i) => ({ type: 'probe.happened', aggregateType: 'probe', aggregateId: `p-${t}-${i}`, payload: { t, i } }))),
          ),
        ),
      );
      await waitFor('every outbox row published', async () => (await unpublishedCount(db)) === 0);
      const after = (await relayedTotal(matcher)) + (await relayedTotal(second));
      expect(after - before).toBe(written);
      const ids = await outboxIds(db);
      const jobIds = (await queue.getJobs(['wait'], 0, -1, true)).map((job) => job.id);
      expect(new Set(jobIds).size).toBe(jobIds.length);
      expect(jobIds.sort()).toEqual(ids.map((id) => `outbox-${id}`).sort());
    } finally {
      await second.close();
    }
  });

  it('reports the relay lag and the relayed count on /metrics', async () => {
    const metrics = await matcher.http.get('/metrics');
    expect(metrics.text).toMatch(/^outbox_relay_lag_seconds\{[^}]*\} 0$/m);
    expect(metrics.text).toMatch(/^outbox_events_relayed_total\{[^}]*\} [1-9]\d*$/m);
  });
});

/** A throwaway redis-server on a free port, which this test may kill: never the shared Redis. */
class PrivateRedis {
  private process: ChildProcess | undefined;
  constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<PrivateRedis> {
    const port = await freePort();
    const redis = new PrivateRedis(port);
    await redis.up();
    return redis;
  }

  async up(): Promise<void> {
    if (this.process && this.process.exitCode === null) return;
    const binary = execFileSync('which', ['redis-server']).toString().trim();
    this.process = spawn(binary, ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], { stdio: 'ignore' });
    const probe = new IORedis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
    probe.on('error', () => undefined);
    try {
      await waitFor(`redis-server on ${this.port}`, async () => {
        try {
          if (probe.status !== 'ready') await probe.connect().catch(() => probe.disconnect());
          return (await probe.ping()) === 'PONG';
        } catch {
          return false;
        }
      }, 10_000);
    } finally {
      probe.disconnect();
    }
  }

  async kill(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await Promise.race([exited, sleep(5000)]);
    this.process = undefined;
  }
}

describe('outbox relay while Redis is down', () => {
  let env: TestEnv;
  let redis: PrivateRedis;
  let config: AppConfig;
  let matcher: RunningApp;
  let seller: RunningApp;
  let db: DataSource;
  let worker: Worker;
  const deliveries: string[] = [];
  const effects: string[] = [];

  beforeAll(async () => {
    env = await createTestEnv();
    redis = await PrivateRedis.start();
    config = env.configWith({ REDIS_URL: redis.url, OUTBOX_POLL_INTERVAL_MS: '200' });
    matcher = await startRelay(config);
    seller = await startApp('seller', env, config);
    db = matcher.app.get(DataSource);
    const consumers = matcher.app.get(OutboxConsumerService);
    worker = new Worker(
      QueueName.Events,
      async (job: Job<RelayedEvent>) => {
        deliveries.push(job.data.id);
        await consumers.processOnce('test.recorder', job.data.id, async () => {
          effects.push(job.data.id);
        });
      },
      { connection: { url: redis.url, maxRetriesPerRequest: null }, prefix: bullPrefix(config) },
    );
    worker.on('error', () => undefined);
  });

  afterAll(async () => {
    await redis?.up().catch(() => undefined);
    await worker?.close();
    await matcher?.close();
    await seller?.close();
    await redis?.kill();
    await env?.destroy();
  });

  it('keeps writes working, leaves the rows unpublished, and delivers every event exactly once after Redis returns', async () => {
    const principal = await registerSeller(seller);
    await publishLot(seller, principal);
    const early = await outboxIds(db);
    await waitFor('the first events consumed', async () => new Set(deliveries).size === early.length);

    await redis.kill();
    // Seller writes go on: they only touch PostgreSQL (bounded, so a write that waits on Redis fails the test).
    const started = Date.now();
    for (let i = 0; i < 3; i++) await publishLot(seller, principal);
    expect(Date.now() - started).toBeLessThan(5000);
    const all = await outboxIds(db);
    expect(all.length).toBe(early.length + 6);

    // While Redis is down the relay keeps trying (attempts grow) but publishes nothing.
    await waitFor('the relay to try and fail', async () => Number((await db.query(`SELECT max(attempts) AS n FROM outbox_events`))[0].n) >= 2, 10_000);
    expect(await unpublishedCount(db)).toBe(6);

    await redis.up();
    await waitFor('every outbox row published', async () => (await unpublishedCount(db)) === 0, 20_000);
    await waitFor('every event consumed', async () => new Set(deliveries).size === all.length, 20_000);
    await sleep(500);
    expect([...deliveries].sort()).toEqual([...all].sort());
    expect([...effects].sort()).toEqual([...all].sort());
    // Delivered in id order: the outage does not reorder anything.
    expect(deliveries.map(Number)).toEqual([...deliveries.map(Number)].sort((a, b) => a - b));
  });
});
