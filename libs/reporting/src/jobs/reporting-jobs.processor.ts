import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { AppConfig, QueueName } from '@chanxiao/core';
import { previousMonth } from '../period.util';
import { RegionScopeService } from '../region-scope.service';
import { MonthlyReportService } from '../report/monthly-report.service';
import type { ReportFormat } from '../report/report-store.service';

/** Jobs on the reports queue: `monthly-reports` generates every province's report for a month (default: the month before). */
export type ReportJob = { name: 'monthly-reports'; data: { month?: string } };

const FORMATS: ReportFormat[] = ['xlsx', 'csv', 'json'];

/**
 * Generates every province's monthly report in every format. Each report is generated under an advisory
 * lock and skipped if a scheduled generation of it already exists, so a retried job or a second worker
 * never generates one twice.
 */
@Processor(QueueName.Reports)
export class ReportingJobsProcessor extends WorkerHost {
  private readonly logger = new Logger(ReportingJobsProcessor.name);

  constructor(
    private readonly reports: MonthlyReportService,
    private readonly scopes: RegionScopeService,
  ) {
    super();
  }

  async process(job: Job): Promise<unknown> {
    const { name, data } = job as unknown as ReportJob;
    if (name !== 'monthly-reports') throw new Error(`unknown reports job ${job.name}`);
    const month = data.month ?? previousMonth(new Date(job.timestamp));
    let generated = 0;
    for (const province of this.scopes.provinces()) {
      for (const format of FORMATS) {
        if (await this.reports.generate(this.scopes.of(province), month, format, 'scheduled', true)) generated++;
      }
    }
    this.logger.log(`monthly reports for ${month}: generated ${generated}`);
    return { month, generated };
  }
}

/** Keeps the monthly job scheduled (one job scheduler, however many matchers upsert it). */
@Injectable()
export class MonthlyReportScheduler implements OnApplicationBootstrap {
  constructor(
    @InjectQueue(QueueName.Reports) private readonly queue: Queue,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler('monthly-reports', { pattern: this.config.MONTHLY_REPORT_CRON, tz: 'Asia/Shanghai' }, { name: 'monthly-reports', data: {} });
  }
}
