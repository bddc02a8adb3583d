import 'reflect-metadata';
import { runHttpApp } from '@chanxiao/core';
import { BuyerAppModule } from './buyer-app.module';

void runHttpApp((config) => BuyerAppModule.forRoot(config), {
  name: 'buyer',
  description: 'Wholesale markets, e-commerce firms and 消费扶贫 purchasers: search lots, post demands, order in bulk.',
  port: 'BUYER_PORT',
});
