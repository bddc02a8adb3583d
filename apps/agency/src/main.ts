import 'reflect-metadata';
import { runHttpApp } from '@chanxiao/core';
import { AgencyAppModule } from './agency-app.module';

void runHttpApp((config) => AgencyAppModule.forRoot(config), {
  name: 'agency',
  description: 'Agency staff: region-scoped sales dashboards, at-risk lots and the monthly report. Users come from the CLI.',
  port: 'AGENCY_PORT',
});
