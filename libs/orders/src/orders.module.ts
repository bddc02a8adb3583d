import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { QueueName } from '@chanxiao/core';
import { IdentityModule } from '@chanxiao/identity';
import { ListingsModule } from '@chanxiao/listings';
import { HeldOrdersService } from './held-orders.service';
import { OrderLifecycleService } from './order-lifecycle.service';
import { OrderPartiesService } from './order-parties.service';
import { IdempotencyKey, Order, OrderGroup, OrderLine } from './order.entity';
import { OrdersService } from './orders.service';

/** Orders for any app: the buyer app places and cancels, the seller app confirms and ships, the matcher runs deadlines. */
@Module({
  imports: [TypeOrmModule.forFeature([OrderGroup, Order, OrderLine, IdempotencyKey]), BullModule.registerQueue({ name: QueueName.Orders }), ListingsModule, IdentityModule],
  providers: [OrdersService, OrderLifecycleService, HeldOrdersService, OrderPartiesService],
  exports: [OrdersService, OrderLifecycleService, HeldOrdersService, BullModule],
})
export class OrdersModule {}
