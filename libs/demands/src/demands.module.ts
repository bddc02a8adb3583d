import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { QueueName } from '@chanxiao/core';
import { CategoriesModule } from '@chanxiao/categories';
import { RegionsModule } from '@chanxiao/regions';
import { DemandExpiryService } from './demand-expiry.service';
import { Demand } from './demand.entity';
import { DemandsService } from './demands.service';

/** Purchase demands, for any app; the buyer app adds the controller, the matcher adds {@link DemandJobsModule}. */
@Module({
  imports: [TypeOrmModule.forFeature([Demand]), BullModule.registerQueue({ name: QueueName.Demands }), CategoriesModule, RegionsModule],
  providers: [DemandsService, DemandExpiryService],
  exports: [DemandsService, DemandExpiryService, BullModule],
})
export class DemandsModule {}
