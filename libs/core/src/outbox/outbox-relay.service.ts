import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy, Optional } from '@nestjs/common';
import { Queue } from 'bullmq';
import { Client } from 'pg';
import { Counter, Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { MetricsService } from '../observability/metrics.service';
import { bullPrefix } from '../queue/queue.module';
import { QueueName } from '../queue/queue-names';
import { withTimeout } from '../time/timeout.util';
import type { RelayedEvent } from './outbox-consumer.service';

/** The NOTIFY channel the outbox trigger signals on. */
export const OUTBOX_CHANNEL = 'outbox_events';
const BATCH_SIZE = 500;
const MAX_BACKOFF_MS = 5000;
const ADD_TIMEOUT_MS = 10_000;

/**
 * Where the relay sends events: every queue gets the rows whose type it lists (all rows without `types`). BullMQ
 * gives each job to one worker of a queue, so each consumer has its own queue and records what it processed in
 * processed_events under its own name. The matcher provides the table (`OutboxRelayModule.withRoutes`).
 */
export interface OutboxRoute {
  queue: string;
  types?: readonly string[];
}

export const OUTBOX_ROUTES = Symbol('OUTBOX_ROUTES');

/** Without a table: everything to the `events` queue. */
export const DEFAULT_OUTBOX_ROUTES: readonly OutboxRoute[] = [{ queue: QueueName.Events }];

/** The BullMQ job id of an outbox row: a re-send of the same row is dropped by BullMQ as a duplicate. */
export const outboxJobId = (id: string): string => `outbox-${id}`;

interface OutboxRow {
  id: string;
  type: string;
  aggregate_type: string;
  aggregate_id: string;
  payload: Record<string, unknown>;
  created_at: Date;
}

/**
 * Moves unpublished outbox rows, in id order, to the queues of its routing table (default: `events`) and stamps them published in the
 * transaction that locked them (`FOR UPDATE SKIP LOCKED`, so several relays share the work). Woken by
 * `LISTEN outbox_events`, polling every OUTBOX_POLL_INTERVAL_MS in case a notification was missed. While Redis
 * is down the rows stay unpublished and the relay retries with backoff; writers never notice.
 */
@Injectable()
export class OutboxRelayService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(OutboxRelayService.name);
  private readonly queues: { route: OutboxRoute; queue: Queue }[];
  private listener: Client | undefined;
  private loop: Promise<void> | undefined;
  private stopping = false;
  /** Set by a notification; the loop skips its idle sleep while set. */
  private pending = false;
  private wakeUp: (() => void) | undefined;
  private redisDown = false;
  private readonly relayedTotal: Counter;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    metrics: MetricsService,
    @Optional() @Inject(OUTBOX_ROUTES) routes: readonly OutboxRoute[] | null = null,
  ) {
    // Its own connection that fails fast: the shared BullMQ connection queues commands while Redis is down,
    // which would hold the batch's row locks open until Redis returns and stall shutdown.
    this.queues = (routes ?? DEFAULT_OUTBOX_ROUTES).map((route) => {
      const queue = new Queue(route.queue, {
        connection: { url: config.REDIS_URL, maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2000 },
        prefix: bullPrefix(config),
        defaultJobOptions: { attempts: 5, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: 1000, removeOnFail: 5000 },
      });
      queue.on('error', (error: Error) => this.markRedisDown(error));
      return { route, queue };
    });
    this.relayedTotal = new Counter({ name: 'outbox_events_relayed_total', help: 'Outbox events relayed to the events queue', registers: [metrics.registry] });
    const db = this.dataSource;
    new Gauge({
      name: 'outbox_relay_lag_seconds',
      help: 'Age of the oldest unpublished outbox event (0 when none)',
      registers: [metrics.registry],
      async collect() {
        const rows: { lag: number | null }[] = await db
          .query(`SELECT extract(epoch FROM now() - min(created_at))::float8 AS lag FROM outbox_events WHERE published_at IS NULL`)
          .catch(() => [{ lag: null }]);
        this.set(rows[0]?.lag ?? 0);
      },
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.listen();
    this.loop = this.run();
  }

  /** Stops listening and lets the batch in flight finish, before the database connection closes. */
  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    this.wakeUp?.();
    await this.loop;
    await this.listener?.end().catch(() => undefined);
    this.listener = undefined;
    await Promise.all(this.queues.map(({ queue }) => queue.close().catch(() => undefined)));
  }

  /**
   * Relays one batch (to every routed queue) of at most `limit` of the oldest unpublished events this relay can lock. Returns how many
   * were published; throws (after counting the attempt on the rows) when the queue could not take them.
   */
  async relayBatch(limit = BATCH_SIZE): Promise<number> {
    let failure: unknown;
    const relayed = await this.dataSource.transaction(async (manager) => {
      const rows: OutboxRow[] = await manager.query(
        `SELECT id::text AS id, type, aggregate_type, aggregate_id, payload, created_at
           FROM outbox_events WHERE published_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      if (rows.length === 0) return 0;
      const ids = rows.map((row) => row.id);
      try {
        const adds = this.queues.map(({ route, queue }) => {
          const routed = route.types ? rows.filter((row) => route.types!.includes(row.type)) : rows;
          return routed.length ? queue.addBulk(routed.map((row) => ({ name: row.type, data: toEvent(row), opts: { jobId: outboxJobId(row.id) } }))) : null;
        });
        await withTimeout(Promise.all(adds), ADD_TIMEOUT_MS, 'adding events to the queue timed out');
      } catch (error) {
        // Committed, not rolled back, so the count survives; the rows stay unpublished and are sent again.
        // Some jobs may have been added already: their job ids make the re-send a no-op.
        failure = error;
        await manager.query(`UPDATE outbox_events SET attempts = attempts + 1 WHERE id = ANY($1::bigint[])`, [ids]);
        return 0;
      }
      await manager.query(`UPDATE outbox_events SET published_at = now() WHERE id = ANY($1::bigint[])`, [ids]);
      return rows.length;
    });
    if (failure) throw failure;
    if (relayed) this.relayedTotal.inc(relayed);
    return relayed;
  }

  private async run(): Promise<void> {
    let backoff = 0;
    while (!this.stopping) {
      this.pending = false;
      let relayed = 0;
      try {
        relayed = await this.relayBatch();
        if (this.redisDown) this.logger.log('outbox relay: queue reachable again');
        this.redisDown = false;
        backoff = 0;
      } catch (error) {
        this.markRedisDown(error as Error);
        backoff = Math.min(MAX_BACKOFF_MS, backoff ? backoff * 2 : 200);
        await this.sleep(backoff, false);
        continue;
      }
      if (relayed >= BATCH_SIZE) continue;
      if (!this.pending) await this.sleep(this.config.OUTBOX_POLL_INTERVAL_MS, true);
      // Woken by a write: give the writes around it OUTBOX_RELAY_COALESCE_MS to commit too, so a steady stream of
      // single-row commits becomes a few batches instead of a round of queries and a Redis call per row.
      if (this.config.OUTBOX_RELAY_COALESCE_MS > 0 && !this.stopping) await this.sleep(this.config.OUTBOX_RELAY_COALESCE_MS, false);
    }
  }

  /** Sleeps `ms`; a notification ends it early only when `wakeable` (never during a backoff), shutdown always. */
  private sleep(ms: number, wakeable: boolean): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = wakeable ? done : () => this.stopping && done();
    });
  }

  private readonly onNotification = () => {
    this.pending = true;
    this.wakeUp?.();
  };

  /** A dedicated connection: LISTEN needs one session for good, which a pooled connection cannot promise. */
  private async listen(): Promise<void> {
    if (this.stopping) return;
    const client = new Client({ connectionString: this.config.DATABASE_URL });
    client.on('notification', this.onNotification);
    client.on('error', (error: Error) => {
      this.logger.warn(`outbox relay: LISTEN connection lost (${error.message}); polling until it is back`);
      this.reconnectListener(client);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
      this.listener = client;
    } catch (error) {
      this.logger.warn(`outbox relay: cannot LISTEN (${(error as Error).message}); polling until it can`);
      this.reconnectListener(client);
    }
  }

  private reconnectListener(client: Client): void {
    if (this.listener === client) this.listener = undefined;
    client.end().catch(() => undefined);
    if (!this.stopping) setTimeout(() => void this.listen(), this.config.OUTBOX_POLL_INTERVAL_MS).unref();
  }

  private markRedisDown(error: Error): void {
    if (!this.redisDown) this.logger.warn(`outbox relay: cannot reach the queue (${error.message}); events stay in the outbox and will be retried`);
    this.redisDown = true;
  }
}

function toEvent(row: OutboxRow): RelayedEvent {
  return {
    id: row.id,
    type: row.type,
    aggregateType: row.aggregate_type,
    aggregateId: row.aggregate_id,
    payload: row.payload,
    createdAt: new Date(row.created_at).toISOString(),
  };
}
