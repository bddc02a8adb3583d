import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { MetricsService, OutboxConsumerService, type OutboxRoute, QueueName, type RelayedEvent } from '@chanxiao/core';
import { Histogram } from 'prom-client';
import type { EntityManager } from 'typeorm';
import { IncrementalMatcherService } from '../matching/incremental-matcher.service';
import type { Proposal } from '../proposal.entity';
import { ProposalsService } from '../proposals.service';

/** The name under which the matcher records processed events (processed_events.consumer). */
export const MATCHER_CONSUMER = 'matcher';

/** The event types the matcher reacts to; it acknowledges every other event without touching the database. */
export const MATCHER_EVENT_TYPES: readonly string[] = [
  'listing.published', 'listing.updated', 'listing.withdrawn', 'listing.expired', 'demand.created', 'demand.cancelled', 'demand.expired',
  'order.cancelled', 'proposal.declined', 'proposal.expired',
];

/** The relay's route for the matcher: only the events it reacts to go to the events queue. */
export const MATCHING_OUTBOX_ROUTE: OutboxRoute = { queue: QueueName.Events, types: MATCHER_EVENT_TYPES };

/**
 * The matcher's reaction to domain events, exactly once per event: the work and the `processed_events` record
 * commit together, so a redelivered event (a worker killed after its commit, before BullMQ heard of it) does nothing.
 *
 * - `listing.published`, `listing.updated`, a cancelled order's lots, a closed proposal's lot: match the lot;
 * - `demand.created`, a closed proposal's demand: match the demand;
 * - `listing.withdrawn|expired`, `demand.cancelled|expired`: decline their live proposals, releasing the holds.
 */
/** Event types that only start matching (batched); the rest close proposals and run one by one. */
const MATCHING_TYPES = new Set(['listing.published', 'listing.updated', 'demand.created', 'order.cancelled', 'proposal.declined', 'proposal.expired']);
// A batch closes after this many events or this many milliseconds, whichever comes first.
const BATCH_SIZE = 50;
const BATCH_WAIT_MS = 15;

interface Pending {
  event: RelayedEvent;
  resolve: (result: { proposals: number; processed: boolean }) => void;
  reject: (error: unknown) => void;
}

/**
 * BullMQ hands this worker up to 64 events at once; matching events are gathered into batches (up to 50, or
 * whatever arrived within 15 ms) and each batch is matched in ONE transaction: one claim of its events in
 * `processed_events`, one load of the lots and demands, one `proposeAll`. So the cost per event falls as the
 * load rises, instead of the queue growing. A batch that fails fails all its jobs, and BullMQ retries them;
 * their claims rolled back with it. Closing events run one by one (their locks start at the proposal).
 */
// A short lock: when a matcher dies mid-job, another takes the job over within seconds rather than the default 30.
@Processor(QueueName.Events, { concurrency: 64, lockDuration: 10_000, stalledInterval: 5_000 })
export class MatchingEventsProcessor extends WorkerHost {
  private readonly latency: Histogram;
  private pending: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly consumers: OutboxConsumerService,
    private readonly matcher: IncrementalMatcherService,
    private readonly proposals: ProposalsService,
    metrics: MetricsService,
  ) {
    super();
    this.latency = new Histogram({
      name: 'match_incremental_latency_seconds',
      help: 'From the event that triggered incremental matching being written to the proposals being stored',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2, 5, 10],
      registers: [metrics.registry],
    });
  }

  async process(job: Job<RelayedEvent>): Promise<{ proposals: number; processed: boolean }> {
    const event = job.data;
    // The relay routes only these here; anything else (an older relay's backlog) is acknowledged untouched.
    if (!MATCHER_EVENT_TYPES.includes(event.type)) return { proposals: 0, processed: false };
    if (!MATCHING_TYPES.has(event.type)) {
      const processed = await this.consumers.processOnce(MATCHER_CONSUMER, event.id, (manager) => this.close(manager, event));
      return { proposals: 0, processed };
    }
    return new Promise((resolve, reject) => {
      this.pending.push({ event, resolve, reject });
      if (this.pending.length >= BATCH_SIZE) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), BATCH_WAIT_MS);
    });
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending.splice(0);
    if (batch.length) void this.matchBatch(batch);
  }

  private async matchBatch(batch: Pending[]): Promise<void> {
    try {
      let created: Proposal[] = [];
      const claimed = await this.consumers.processMany(MATCHER_CONSUMER, batch.map((b) => b.event.id), async (manager, ids) => {
        const work = { lotIds: [] as string[], demandIds: [] as string[] };
        for (const { event } of batch) if (ids.has(event.id)) addWork(work, event);
        created = await this.matcher.match(manager, work);
      });
      if (created.length) {
        const now = Date.now();
        for (const { event } of batch) this.latency.observe((now - Date.parse(event.createdAt)) / 1000);
        await this.proposals.scheduleExpiry(created);
      }
      for (const { event, resolve } of batch) resolve({ proposals: created.length, processed: claimed.has(event.id) });
    } catch (error) {
      for (const { reject } of batch) reject(error);
    }
  }

  private async close(manager: EntityManager, event: RelayedEvent): Promise<void> {
    switch (event.type) {
      case 'listing.withdrawn':
      case 'listing.expired':
        await this.proposals.closeFor(manager, { listingId: event.aggregateId }, event.type === 'listing.withdrawn' ? 'lot_withdrawn' : 'lot_expired');
        return;
      case 'demand.cancelled':
      case 'demand.expired':
        await this.proposals.closeFor(manager, { demandId: event.aggregateId }, event.type === 'demand.cancelled' ? 'demand_cancelled' : 'demand_expired');
        return;
    }
  }
}

/** What a matching event asks for: which lots and which demands to match. */
function addWork(work: { lotIds: string[]; demandIds: string[] }, event: RelayedEvent): void {
  const p = event.payload as Record<string, unknown>;
  switch (event.type) {
    case 'listing.published':
    case 'listing.updated':
      work.lotIds.push(event.aggregateId);
      return;
    case 'demand.created':
      work.demandIds.push(event.aggregateId);
      return;
    case 'order.cancelled':
      // Its lots got stock back.
      for (const line of (p.lines as { listingId: string }[] | undefined) ?? []) work.lotIds.push(line.listingId);
      return;
    case 'proposal.declined':
    case 'proposal.expired':
      // Their stock and demand are free again for other pairs.
      work.lotIds.push(String(p.listingId));
      work.demandIds.push(String(p.demandId));
      return;
  }
}
