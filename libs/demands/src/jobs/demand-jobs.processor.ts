import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { AppConfig, QueueName } from '@chanxiao/core';
import { DemandExpiryService } from '../demand-expiry.service';

/** Jobs on the demands queue and their payloads. */
export type DemandJob = { name: 'expire'; data: Record<string, never> };

/** The job scheduler key of the repeatable expiry job. */
export const DEMAND_EXPIRY_SCHEDULER = 'expire-demands';

/** Runs demand jobs in the matcher: thin, each job is one service call. */
@Processor(QueueName.Demands)
export class DemandJobsProcessor extends WorkerHost {
  constructor(private readonly expiry: DemandExpiryService) {
    super();
  }

  async process(job: Job): Promise<unknown> {
    const { name } = job as unknown as DemandJob;
    if (name === 'expire') return { expired: await this.expiry.expireDue() };
    throw new Error(`unknown demands job ${job.name}`);
  }
}

/** Keeps one repeatable `expire` job scheduled (idempotent across restarts and several matcher instances). */
@Injectable()
export class DemandExpiryScheduler implements OnApplicationBootstrap {
  constructor(
    @InjectQueue(QueueName.Demands) private readonly queue: Queue,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler(DEMAND_EXPIRY_SCHEDULER, { every: this.config.DEMAND_EXPIRY_INTERVAL_SECONDS * 1000 }, { name: 'expire', data: {} });
  }
}
