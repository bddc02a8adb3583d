import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CategoriesModule } from '@chanxiao/categories';
import { DemandsModule } from '@chanxiao/demands';
import { User } from '@chanxiao/identity/user.entity';
import { ListingsModule } from '@chanxiao/listings';
import { OrdersModule } from '@chanxiao/orders';
import { PROPOSAL_ORDER_SPLITTER } from '@chanxiao/proposals';
import { RegionsModule } from '@chanxiao/regions';
import { ASSISTANCE_ENTITIES } from './assistance.entities';
import { CampaignListingsService } from './campaigns/campaign-listings.service';
import { CampaignsService } from './campaigns/campaigns.service';
import { PledgeLedgerService } from './pledges/pledge-ledger.service';
import { PledgesService } from './pledges/pledges.service';
import { PoolOrdersService } from './pools/pool-orders.service';
import { PoolsService } from './pools/pools.service';
import { SubsidyLedgerService } from './subsidies/subsidy-ledger.service';
import { SubsidyProgrammesService } from './subsidies/subsidy-programmes.service';

/**
 * Provides the proposals lib's order splitter globally, so ProposalsService (in ProposalsModule, which does not
 * import this lib) splits a pool's confirmed proposals into per-member orders in every app that loads assistance.
 */
@Global()
@Module({
  imports: [OrdersModule],
  providers: [PoolOrdersService, { provide: PROPOSAL_ORDER_SPLITTER, useExisting: PoolOrdersService }],
  exports: [PROPOSAL_ORDER_SPLITTER],
})
export class PoolOrdersModule {}

/** 消费扶贫: pledges and their ledger, campaigns, courier subsidies and their ledger, pooled demand. */
@Module({
  // User: campaigns and programmes name their creator, and the matcher loads no identity module.
  imports: [TypeOrmModule.forFeature([...ASSISTANCE_ENTITIES, User]), RegionsModule, CategoriesModule, ListingsModule, DemandsModule, OrdersModule, PoolOrdersModule],
  providers: [PledgesService, PledgeLedgerService, CampaignsService, CampaignListingsService, SubsidyProgrammesService, SubsidyLedgerService, PoolsService],
  exports: [PledgesService, PledgeLedgerService, CampaignsService, CampaignListingsService, SubsidyProgrammesService, SubsidyLedgerService, PoolsService],
})
export class AssistanceModule {}
