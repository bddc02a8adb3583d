import { type DynamicModule, Module } from '@nestjs/common';
import { AssistanceModule } from '@chanxiao/assistance';
import { type AppConfig, CoreModule, webAppProviders } from '@chanxiao/core';
import { IdentityModule, SessionController } from '@chanxiao/identity';
import { ReportingModule } from '@chanxiao/reporting';
import { AssistanceController } from './assistance.controller';
import { DashboardController } from './dashboard.controller';
import { ReportsController } from './reports.controller';

/**
 * The agency app: staff of poverty-alleviation and commerce offices watch sales in their region. JSON under
 * `/api/v1` and, at `/`, the web dashboard built from apps/agency/web.
 */
@Module({})
export class AgencyAppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AgencyAppModule,
      imports: [CoreModule.forRoot({ app: 'agency', config }), IdentityModule, ReportingModule, AssistanceModule],
      controllers: [SessionController, DashboardController, ReportsController, AssistanceController],
      providers: webAppProviders('agency'),
    };
  }
}
