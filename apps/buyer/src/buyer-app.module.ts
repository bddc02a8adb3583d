import { type DynamicModule, Module } from '@nestjs/common';
import { ProposalsController, ProposalsModule } from '@chanxiao/proposals';
import { CategoriesController, CategoriesModule } from '@chanxiao/categories';
import { AssistanceModule } from '@chanxiao/assistance';
import { type AppConfig, CoreModule, webAppProviders } from '@chanxiao/core';
import { DemandsModule } from '@chanxiao/demands';
import { IdentityModule, MembersController, SessionController } from '@chanxiao/identity';
import { ListingsModule, PhotoMediaModule, PublicPagesModule } from '@chanxiao/listings';
import { OrdersModule } from '@chanxiao/orders';
import { PaymentsConfigController, PaymentsModule } from '@chanxiao/payments';
import { RegionsController, RegionsModule } from '@chanxiao/regions';
import { BuyerCampaignsController, BuyerPledgesController, BuyerPoolsController } from './buyer-assistance.controller';
import { BuyerAuthController } from './buyer-auth.controller';
import { BuyerDemandsController } from './buyer-demands.controller';
import { BuyerListingsController } from './buyer-listings.controller';
import { BuyerOrdersController } from './buyer-orders.controller';
import { BuyerPaymentsController } from './buyer-payments.controller';

/**
 * The buyer app: markets, firms and 消费扶贫 purchasers search lots, post demand and order in bulk; and, without
 * login, the public pages of lots and county boards (`/l/:listingId`, `/c/:countyCode`) that offices share.
 */
@Module({})
export class BuyerAppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: BuyerAppModule,
      imports: [CoreModule.forRoot({ app: 'buyer', config }), IdentityModule, CategoriesModule, ListingsModule, PhotoMediaModule, PublicPagesModule, DemandsModule, OrdersModule, ProposalsModule, PaymentsModule, AssistanceModule, RegionsModule],
      controllers: [BuyerAuthController, SessionController, CategoriesController, RegionsController, BuyerListingsController, BuyerDemandsController, BuyerOrdersController, ProposalsController, BuyerPaymentsController, PaymentsConfigController, BuyerPledgesController, BuyerCampaignsController, BuyerPoolsController, MembersController],
      providers: webAppProviders('buyer'),
    };
  }
}
