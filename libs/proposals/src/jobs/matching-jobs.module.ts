import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { QueueName } from '@chanxiao/core';
import { DemandsModule } from '@chanxiao/demands';
import { ListingsModule } from '@chanxiao/listings';
import { OrdersModule } from '@chanxiao/orders';
import { ProposalsModule } from '../proposals.module';
import { MatcherMetrics } from './matcher-metrics';
import { MatchingEventsProcessor } from './matching-events.processor';
import { ProposalJobsProcessor, ProposalSweepScheduler } from './proposal-jobs.processor';

/** The matcher's matching workers: domain events (incremental matching), proposal expiry and sweep; only the matcher imports it. */
@Module({
  imports: [ProposalsModule, ListingsModule, DemandsModule, OrdersModule, BullModule.registerQueue({ name: QueueName.Events })],
  providers: [MatchingEventsProcessor, ProposalJobsProcessor, ProposalSweepScheduler, MatcherMetrics],
})
export class MatchingJobsModule {}
