import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { jobSchedules, QueueName } from '@chanxiao/core';
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

/** Keeps one repeatable `settle` job scheduled while online payment is configured (removed when it is not). */
export const PaymentsScheduler = jobSchedules(QueueName.Payments, (c) => [
  { id: PAYMENTS_SCHEDULER, job: 'settle', repeat: c.stripeEnabled ? { every: c.PAYMENTS_INTERVAL_SECONDS * 1000 } : null },
]);
