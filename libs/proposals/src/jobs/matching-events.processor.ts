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
// A short lock: when a matcher dies mid-job, another takes the job over within seconds rather than the default 30.
@Processor(QueueName.Events, { concurrency: 4, lockDuration: 10_000, stalledInterval: 5_000 })
export class MatchingEventsProcessor extends WorkerHost {
  private readonly latency: Histogram;

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
    const created: Proposal[] = [];
    const processed = await this.consumers.processOnce(MATCHER_CONSUMER, event.id, async (manager) => {
      created.push(...(await this.handle(manager, event)));
    });
    if (created.length) {
      this.latency.observe((Date.now() - Date.parse(event.createdAt)) / 1000);
      await this.proposals.scheduleExpiry(created);
    }
    return { proposals: created.length, processed };
  }

  private async handle(manager: EntityManager, event: RelayedEvent): Promise<Proposal[]> {
    const p = event.payload as Record<string, unknown>;
    switch (event.type) {
      case 'listing.published':
      case 'listing.updated':
        return this.matcher.matchLot(manager, event.aggregateId);
      case 'demand.created':
        return this.matcher.matchDemand(manager, event.aggregateId);
      case 'order.cancelled': {
        const lines = (p.lines as { listingId: string }[] | undefined) ?? [];
        const out: Proposal[] = [];
        for (const listingId of [...new Set(lines.map((l) => l.listingId))].sort()) out.push(...(await this.matcher.matchLot(manager, listingId)));
        return out;
      }
      case 'proposal.declined':
      case 'proposal.expired':
        return [...(await this.matcher.matchLot(manager, String(p.listingId))), ...(await this.matcher.matchDemand(manager, String(p.demandId)))];
      case 'listing.withdrawn':
      case 'listing.expired':
        await this.proposals.closeFor(manager, { listingId: event.aggregateId }, event.type === 'listing.withdrawn' ? 'lot_withdrawn' : 'lot_expired');
        return [];
      case 'demand.cancelled':
      case 'demand.expired':
        await this.proposals.closeFor(manager, { demandId: event.aggregateId }, event.type === 'demand.cancelled' ? 'demand_cancelled' : 'demand_expired');
        return [];
      default:
        return [];
    }
  }
}
