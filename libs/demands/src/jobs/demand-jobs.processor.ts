import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { jobSchedules, QueueName } from '@chanxiao/core';
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
export const DemandExpiryScheduler = jobSchedules(QueueName.Demands, (c) => [{ id: DEMAND_EXPIRY_SCHEDULER, job: 'expire', repeat: { every: c.DEMAND_EXPIRY_INTERVAL_SECONDS * 1000 } }]);
