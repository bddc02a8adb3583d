import { type DynamicModule, Module } from '@nestjs/common';
import { ASSISTANCE_OUTBOX_ROUTE, AssistanceJobsModule } from '@chanxiao/assistance';
import { type AppConfig, CoreModule, OutboxRelayModule } from '@chanxiao/core';
import { DemandJobsModule } from '@chanxiao/demands';
import { ListingJobsModule } from '@chanxiao/listings';
import { OrderJobsModule } from '@chanxiao/orders';
import { MATCHING_OUTBOX_ROUTE, MatchingJobsModule } from '@chanxiao/proposals';
import { PaymentJobsModule } from '@chanxiao/payments';
import { ReportingJobsModule } from '@chanxiao/reporting';

/**
 * The matcher: the same providers as the HTTP apps but no API controllers, only `/health` and `/metrics`.
 * Its BullMQ workers: lot expiry and large imports (listings queue), demand expiry (demands queue), unpaid-order
 * cancellation and the order sweep (orders queue), proposal expiry and sweep (proposals queue), and incremental
 * matching (events queue), the 消费扶贫 ledgers and pool deadlines (assistance queue). The outbox relay moves
 * outbox rows to the events queue (the types matching reacts to) and the assistance queue (the order events it
 * needs); a row no queue wants is stamped published without a job.
 */
@Module({})
export class MatcherAppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: MatcherAppModule, imports: [CoreModule.forRoot({ app: 'matcher', config }), OutboxRelayModule.withRoutes([MATCHING_OUTBOX_ROUTE, ASSISTANCE_OUTBOX_ROUTE]), ListingJobsModule, DemandJobsModule, OrderJobsModule, MatchingJobsModule, PaymentJobsModule, ReportingJobsModule, AssistanceJobsModule] };
  }
}
