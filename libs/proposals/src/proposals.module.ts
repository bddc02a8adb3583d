import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { QueueName } from '@chanxiao/core';
import { DemandsModule } from '@chanxiao/demands';
import { ListingsModule } from '@chanxiao/listings';
import { OrdersModule } from '@chanxiao/orders';
import { IncrementalMatcherService } from './matching/incremental-matcher.service';
import { MatchOptimizerService } from './matching/match-optimizer.service';
import { ProposalHoldsService } from './proposal-holds.service';
import { Proposal } from './proposal.entity';
import { ProposalsService } from './proposals.service';

/** Proposals for any app: the seller and buyer apps add controllers, the matcher adds {@link MatchingJobsModule}. */
@Module({
  imports: [TypeOrmModule.forFeature([Proposal]), BullModule.registerQueue({ name: QueueName.Proposals }), ListingsModule, DemandsModule, OrdersModule],
  providers: [ProposalsService, ProposalHoldsService, IncrementalMatcherService, MatchOptimizerService],
  exports: [ProposalsService, ProposalHoldsService, IncrementalMatcherService, MatchOptimizerService, BullModule],
})
export class ProposalsModule {}
