import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, type OnApplicationBootstrap, type Type } from '@nestjs/common';
import type { Queue, RepeatOptions } from 'bullmq';
import { AppConfig } from '../config/app-config';
import type { QueueName } from './queue-names';

/** One periodic job: the scheduler id, the job it makes, and when (`null` removes the scheduler). */
export interface JobSchedule {
  id: string;
  job: string;
  repeat: Omit<RepeatOptions, 'key'> | null;
}

/**
 * A provider that keeps a queue's periodic jobs scheduled: at start-up it upserts each BullMQ job scheduler (or
 * removes one whose `repeat` is null), so restarts and several matchers leave exactly one scheduler per id.
 * `jobSchedules(QueueName.Orders, (c) => [{ id: 'sweep-orders', job: 'sweep', repeat: { every: … } }])`.
 */
export function jobSchedules(queue: QueueName, schedules: (config: AppConfig) => JobSchedule[]): Type<OnApplicationBootstrap> {
  @Injectable()
  class JobSchedules implements OnApplicationBootstrap {
    constructor(
      @InjectQueue(queue) readonly queue: Queue,
      readonly config: AppConfig,
    ) {}

    async onApplicationBootstrap(): Promise<void> {
      for (const { id, job, repeat } of schedules(this.config)) {
        if (repeat) await this.queue.upsertJobScheduler(id, repeat, { name: job, data: {} });
        else await this.queue.removeJobScheduler(id);
      }
    }
  }
  Object.defineProperty(JobSchedules, 'name', { value: `${queue[0].toUpperCase()}${queue.slice(1)}JobSchedules` });
  return JobSchedules;
}
