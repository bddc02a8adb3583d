import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { QueueName } from '@chanxiao/core';
import { PaymentsModule } from '../payments.module';
import { PaymentJobsProcessor, PaymentsScheduler } from './payment-jobs.processor';

/** The payments queue's worker and its schedule; only the matcher imports it. */
@Module({
  imports: [PaymentsModule, BullModule.registerQueue({ name: QueueName.Payments })],
  providers: [PaymentJobsProcessor, PaymentsScheduler],
})
export class PaymentJobsModule {}
