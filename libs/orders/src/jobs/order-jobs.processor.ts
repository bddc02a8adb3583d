import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { jobSchedules, QueueName } from '@chanxiao/core';
import { OrderLifecycleService } from '../order-lifecycle.service';

/** Jobs on the orders queue and their payloads. */
export type OrderJob = { name: 'cancel-unpaid'; data: { orderId: string } } | { name: 'sweep'; data: Record<string, never> };

/** Runs order deadlines in the matcher; each job is one service call, safe to run twice. */
@Processor(QueueName.Orders)
export class OrderJobsProcessor extends WorkerHost {
  constructor(private readonly lifecycle: OrderLifecycleService) {
    super();
  }

  async process(job: Job): Promise<unknown> {
    const { name, data } = job as unknown as OrderJob;
    if (name === 'cancel-unpaid') return { cancelled: await this.lifecycle.cancelIfUnpaid(data.orderId) };
    if (name === 'sweep') return this.lifecycle.sweep();
    throw new Error(`unknown orders job ${job.name}`);
  }
}

/** Keeps the sweep scheduled: it catches unpaid orders whose delayed job was lost, and completes delivered ones. */
export const OrderSweepScheduler = jobSchedules(QueueName.Orders, (c) => [{ id: 'sweep-orders', job: 'sweep', repeat: { every: c.ORDER_SWEEP_INTERVAL_SECONDS * 1000 } }]);
