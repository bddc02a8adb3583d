import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { QueueName } from '@chanxiao/core';
import { RegionsModule } from '@chanxiao/regions';
import { AssistanceFiguresService } from './assistance/assistance-figures.service';
import { DashboardService } from './dashboard.service';
import { RegionScopeService } from './region-scope.service';
import { MonthlyReportService } from './report/monthly-report.service';
import { ReportStoreService } from './report/report-store.service';

/** Agency monitoring: region-scoped dashboards, at-risk lots and the monthly report. Reads orders and lots by SQL. */
@Module({
  imports: [RegionsModule, BullModule.registerQueue({ name: QueueName.Reports })],
  providers: [RegionScopeService, DashboardService, ReportStoreService, MonthlyReportService, AssistanceFiguresService],
  exports: [RegionScopeService, DashboardService, MonthlyReportService, AssistanceFiguresService, BullModule],
})
export class ReportingModule {}
