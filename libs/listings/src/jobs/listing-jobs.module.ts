import { Module } from '@nestjs/common';
import { ListingsModule } from '../listings.module';
import { ListingExpiryScheduler, ListingJobsProcessor } from './listing-jobs.processor';

/** The listings queue's worker and the expiry schedule; only the matcher imports it. */
@Module({
  imports: [ListingsModule],
  providers: [ListingJobsProcessor, ListingExpiryScheduler],
})
export class ListingJobsModule {}
