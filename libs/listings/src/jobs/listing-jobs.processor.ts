import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { AppConfig, QueueName } from '@chanxiao/core';
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
@Injectable()
export class ListingExpiryScheduler implements OnApplicationBootstrap {
  constructor(
    @InjectQueue(QueueName.Listings) private readonly queue: Queue,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler('expire-listings', { every: this.config.LISTING_EXPIRY_INTERVAL_SECONDS * 1000 }, { name: 'expire', data: {} });
  }
}
