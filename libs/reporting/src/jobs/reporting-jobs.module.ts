import { Module } from '@nestjs/common';
import { ReportingModule } from '../reporting.module';
import { MonthlyReportScheduler, ReportingJobsProcessor } from './reporting-jobs.processor';

/** The reports queue's worker and the monthly schedule; only the matcher imports it. */
@Module({
  imports: [ReportingModule],
  providers: [ReportingJobsProcessor, MonthlyReportScheduler],
})
export class ReportingJobsModule {}
