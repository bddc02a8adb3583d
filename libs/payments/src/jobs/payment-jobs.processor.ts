import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { AppConfig, QueueName } from '@chanxiao/core';
import { PayoutsService } from '../payouts.service';
import { RefundsService } from '../refunds.service';

/** Jobs on the payments queue and their payloads. */
export type PaymentJob = { name: 'settle'; data: Record<string, never> };

/** The job scheduler key of the repeatable settle job. */
export const PAYMENTS_SCHEDULER = 'settle-payments';

/** Sends due seller payouts and refunds Stripe has not taken yet; both are safe to run twice at once. */
@Processor(QueueName.Payments)
export class PaymentJobsProcessor extends WorkerHost {
  constructor(
    private readonly payouts: PayoutsService,
    private readonly refunds: RefundsService,
  ) {
    super();
  }

  async process(job: Job): Promise<unknown> {
    const { name } = job as unknown as PaymentJob;
    if (name === 'settle') return { refundsSent: await this.refunds.sendUnsent(), payoutsSent: await this.payouts.sendDue() };
    throw new Error(`unknown payments job ${job.name}`);
  }
}

/** Keeps one repeatable `settle` job scheduled while online payment is configured. */
@Injectable()
export class PaymentsScheduler implements OnApplicationBootstrap {
  constructor(
    @InjectQueue(QueueName.Payments) private readonly queue: Queue,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.stripeEnabled) return;
    await this.queue.upsertJobScheduler(PAYMENTS_SCHEDULER, { every: this.config.PAYMENTS_INTERVAL_SECONDS * 1000 }, { name: 'settle', data: {} });
  }
}
