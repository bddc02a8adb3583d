import { type DynamicModule, Module } from '@nestjs/common';
import { CategoriesController, CategoriesModule } from '@chanxiao/categories';
import { type AppConfig, CoreModule } from '@chanxiao/core';
import { IdentityModule, SessionController } from '@chanxiao/identity';
import { BuyerAuthController } from './buyer-auth.controller';

/** The buyer app: markets, firms and 消费扶贫 purchasers search lots, post demand and order in bulk. */
@Module({})
export class BuyerAppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: BuyerAppModule,
      imports: [CoreModule.forRoot({ app: 'buyer', config }), IdentityModule, CategoriesModule],
      controllers: [BuyerAuthController, SessionController, CategoriesController],
    };
  }
}
