import 'reflect-metadata';
import { Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { Test } from '@nestjs/testing';
import { getQueueToken, BullModule } from '@nestjs/bullmq';
import { type DataSource, DataSource as TypeOrmDataSource } from 'typeorm';
import { getDataSourceToken } from '@nestjs/typeorm';
import { CoreModule, OutboxEvent, OutboxService, ProcessedEvent, bullPrefix, postgresOptions } from '@chanxiao/core';
import { Category } from '@chanxiao/categories';
import { Organization, PayoutAccount, User } from '@chanxiao/identity';
import { MIGRATIONS } from '@chanxiao/migrations';
import { Region, RegionAlias } from '@chanxiao/regions';
import { Listing, ListingImport, ListingPhoto } from '@chanxiao/listings';
import { Demand } from '@chanxiao/demands';
import { IdempotencyKey, Order, OrderGroup, OrderLine } from '@chanxiao/orders';
import { PaymentIntentRecord, Payout, Refund, RefundLine, StripeAccount, StripeEventRecord } from '@chanxiao/payments';
import { ASSISTANCE_ENTITIES } from '@chanxiao/assistance';
import { createTestEnv, type TestEnv } from '../support/test-env';

const ENTITIES = [
  Region, RegionAlias, Category, Organization, User, PayoutAccount, OutboxEvent, ProcessedEvent, Listing, ListingImport, ListingPhoto, Demand,
  OrderGroup, Order, OrderLine, IdempotencyKey, PaymentIntentRecord, StripeEventRecord, Refund, RefundLine, StripeAccount, Payout,
  ...ASSISTANCE_ENTITIES,
];

describe('database schema', () => {
  let env: TestEnv;
  let dataSource: DataSource;

  beforeAll(async () => {
    env = await createTestEnv();
    dataSource = await new TypeOrmDataSource({ ...postgresOptions(env.config), entities: ENTITIES, migrations: MIGRATIONS }).initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await env?.destroy();
  });

  it('has every migration applied', async () => {
    expect(await dataSource.showMigrations()).toBe(false);
  });

  it('matches the entities exactly: the migrations leave nothing for synchronize to do', async () => {
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('undoes and redoes the last migration cleanly', async () => {
    await dataSource.undoLastMigration();
    expect(await dataSource.showMigrations()).toBe(true);
    await dataSource.runMigrations();
    expect(await dataSource.showMigrations()).toBe(false);
  });
});

describe('outbox and queue wiring', () => {
  let env: TestEnv;
  let dataSource: DataSource;
  let outbox: OutboxService;
  let close: () => Promise<void>;
  let queue: Queue;

  beforeAll(async () => {
    env = await createTestEnv();
    const moduleRef = await Test.createTestingModule({
      imports: [CoreModule.forRoot({ app: 'matcher', config: env.config }), BullModule.registerQueue({ name: 'probe' })],
    }).compile();
    const app = await moduleRef.init();
    dataSource = app.get(getDataSourceToken());
    outbox = app.get(OutboxService);
    queue = app.get(getQueueToken('probe'));
    close = () => app.close();
  });

  afterAll(async () => {
    await close?.();
    await env?.destroy();
  });

  const event = { type: 'probe.happened', aggregateType: 'probe', aggregateId: 'p-1', payload: { n: 1 } };

  it('writes an event inside the caller’s transaction', async () => {
    const saved = await dataSource.transaction((manager) => outbox.write(manager, event));
    const [row] = await dataSource.query(`SELECT type, aggregate_id, payload, published_at FROM outbox_events WHERE id = $1`, [saved.id]);
    expect(row).toEqual({ type: 'probe.happened', aggregate_id: 'p-1', payload: { n: 1 }, published_at: null });
  });

  it('loses the event when the transaction rolls back', async () => {
    const before = Number((await dataSource.query(`SELECT count(*) AS n FROM outbox_events`))[0].n);
    await expect(
      dataSource.transaction(async (manager) => {
        await outbox.write(manager, { ...event, aggregateId: 'p-rolled-back' });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(Number((await dataSource.query(`SELECT count(*) AS n FROM outbox_events`))[0].n)).toBe(before);
  });

  it('refuses to write outside a transaction', async () => {
    await expect(outbox.write(dataSource.manager, event)).rejects.toThrow(/inside the transaction/);
  });

  it('runs BullMQ jobs under the configured key prefix', async () => {
    const prefix = bullPrefix(env.config);
    expect(prefix).toBe(`${env.redisPrefix}:bull`);
    const done = new Promise<unknown>((resolve) => {
      const worker = new Worker('probe', async (job) => job.data.n * 2, { connection: { url: env.config.REDIS_URL }, prefix });
      worker.on('completed', (_job, result) => void worker.close().then(() => resolve(result)));
    });
    await queue.add('double', { n: 21 }, { jobId: 'probe-1' });
    expect(await done).toBe(42);
    const redis = new IORedis(env.config.REDIS_URL);
    expect(await redis.exists(`${prefix}:probe:probe-1`)).toBe(1);
    redis.disconnect();
  });
});
