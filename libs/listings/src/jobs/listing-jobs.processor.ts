import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { jobSchedules, QueueName } from '@chanxiao/core';
import { ListingExpiryService } from '../listing-expiry.service';
import { ListingImportService } from '../import/listing-import.service';

/** Jobs on the listings queue and their payloads. */
export type ListingJob = { name: 'expire'; data: Record<string, never> } | { name: 'import'; data: { importId: string } };

/** Runs listing jobs in the matcher: thin, each job is one service call. */
@Processor(QueueName.Listings)
export class ListingJobsProcessor extends WorkerHost {
  constructor(
    private readonly expiry: ListingExpiryService,
    private readonly imports: ListingImportService,
  ) {
    super();
  }

  async process(job: Job): Promise<unknown> {
    const { name, data } = job as unknown as ListingJob;
    if (name === 'expire') return { expired: await this.expiry.expireDue() };
    if (name === 'import') return this.imports.runQueued(data.importId);
    throw new Error(`unknown listings job ${job.name}`);
  }
}

/** Keeps one repeatable `expire` job scheduled (idempotent across restarts and several matcher instances). */
export const ListingExpiryScheduler = jobSchedules(QueueName.Listings, (c) => [{ id: 'expire-listings', job: 'expire', repeat: { every: c.LISTING_EXPIRY_INTERVAL_SECONDS * 1000 } }]);
