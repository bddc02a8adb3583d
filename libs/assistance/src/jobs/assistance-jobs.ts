import { BullModule, InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Injectable, Module, type OnApplicationBootstrap } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { AppConfig, OutboxConsumerService, type OutboxRoute, QueueName, type RelayedEvent } from '@chanxiao/core';
import { AssistanceModule } from '../assistance.module';
import { PledgeLedgerService } from '../pledges/pledge-ledger.service';
import { PLEDGE_EVENT_TYPES } from '../pledges/pledge-progress.util';
import { PoolsService } from '../pools/pools.service';
import { SUBSIDY_EVENT_TYPES, SubsidyLedgerService } from '../subsidies/subsidy-ledger.service';

/** The name under which the assistance ledgers record processed events (processed_events.consumer). */
export const ASSISTANCE_CONSUMER = 'assistance';

/** The event types the relay routes to the assistance queue. */
export const ASSISTANCE_EVENT_TYPES: readonly string[] = [...new Set([...PLEDGE_EVENT_TYPES, ...SUBSIDY_EVENT_TYPES])];

/** The relay's route for this consumer: its own queue, so the matcher's `events` worker never takes its jobs. */
export const ASSISTANCE_OUTBOX_ROUTE: OutboxRoute = { queue: QueueName.Assistance, types: ASSISTANCE_EVENT_TYPES };

export const POOL_SWEEP_SCHEDULER = 'fail-expired-pools';

/**
 * The assistance queue: relayed order events move the pledge and subsidy ledgers, exactly once per event (the
 * work and the processed_events row commit together); `fail-pools` fails open pools past their deadline.
 */
@Processor(QueueName.Assistance, { concurrency: 4 })
export class AssistanceJobsProcessor extends WorkerHost {
  constructor(
    private readonly consumers: OutboxConsumerService,
    private readonly pledges: PledgeLedgerService,
    private readonly subsidies: SubsidyLedgerService,
    private readonly pools: PoolsService,
  ) {
    super();
  }

  async process(job: Job): Promise<unknown> {
    if (job.name === 'fail-pools') return { failed: await this.pools.failExpired() };
    const event = job.data as RelayedEvent;
    if (!ASSISTANCE_EVENT_TYPES.includes(event.type)) return { processed: false };
    const processed = await this.consumers.processOnce(ASSISTANCE_CONSUMER, event.id, async (manager) => {
      await this.pledges.apply(manager, event);
      await this.subsidies.apply(manager, event);
    });
    return { processed };
  }
}

/** Keeps the repeatable pool sweep scheduled. */
@Injectable()
export class PoolSweepScheduler implements OnApplicationBootstrap {
  constructor(
    @InjectQueue(QueueName.Assistance) private readonly queue: Queue,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler(POOL_SWEEP_SCHEDULER, { every: this.config.POOL_SWEEP_INTERVAL_SECONDS * 1000 }, { name: 'fail-pools', data: {} });
  }
}

/** The matcher's assistance worker and schedule. */
@Module({
  imports: [AssistanceModule, BullModule.registerQueue({ name: QueueName.Assistance })],
  providers: [AssistanceJobsProcessor, PoolSweepScheduler],
})
export class AssistanceJobsModule {}
