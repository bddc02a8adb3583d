import { type DynamicModule, Module } from '@nestjs/common';
import { ProposalsController, ProposalsModule } from '@chanxiao/proposals';
import { CategoriesController, CategoriesModule } from '@chanxiao/categories';
import { AssistanceModule } from '@chanxiao/assistance';
import { type AppConfig, CoreModule, webAppProviders } from '@chanxiao/core';
import { IdentityModule, MembersController, SessionController } from '@chanxiao/identity';
import { ListingsModule, PhotoMediaModule } from '@chanxiao/listings';
import { OrdersModule } from '@chanxiao/orders';
import { RegionsController, RegionsModule } from '@chanxiao/regions';
import { PaymentsConfigController, PaymentsModule } from '@chanxiao/payments';
import { SellerAuthController } from './seller-auth.controller';
import { SellerImportController } from './seller-import.controller';
import { SellerListingPhotosController } from './seller-listing-photos.controller';
import { SellerListingsController } from './seller-listings.controller';
import { SellerOrganizationController } from './seller-organization.controller';
import { SellerOrdersController } from './seller-orders.controller';
import { SellerPaymentsController } from './seller-payments.controller';
import { SellerSubsidiesController } from './seller-subsidies.controller';

/** The seller app: cooperatives register, list produce and fulfil orders; at `/`, the seller web app (apps/seller/web). */
@Module({})
export class SellerAppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: SellerAppModule,
      imports: [CoreModule.forRoot({ app: 'seller', config }), IdentityModule, CategoriesModule, ListingsModule, PhotoMediaModule, OrdersModule, ProposalsModule, PaymentsModule, AssistanceModule, RegionsModule],
      controllers: [SellerAuthController, SessionController, CategoriesController, RegionsController, SellerImportController, SellerListingsController, SellerListingPhotosController, SellerOrdersController, ProposalsController, SellerPaymentsController, PaymentsConfigController, SellerSubsidiesController, MembersController, SellerOrganizationController],
      providers: webAppProviders('seller'),
    };
  }
}
