import { Module } from '@nestjs/common';
import { DemandsModule } from '../demands.module';
import { DemandExpiryScheduler, DemandJobsProcessor } from './demand-jobs.processor';

/** The demands queue's worker and the expiry schedule; only the matcher imports it. */
@Module({
  imports: [DemandsModule],
  providers: [DemandJobsProcessor, DemandExpiryScheduler],
})
export class DemandJobsModule {}
