import { Module } from '@nestjs/common';
import { OrdersModule } from '../orders.module';
import { OrderJobsProcessor, OrderSweepScheduler } from './order-jobs.processor';

/** The orders queue's worker and the sweep schedule; only the matcher imports it. */
@Module({
  imports: [OrdersModule],
  providers: [OrderJobsProcessor, OrderSweepScheduler],
})
export class OrderJobsModule {}
