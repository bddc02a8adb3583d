import 'reflect-metadata';
import { runHttpApp } from '@chanxiao/core';
import { SellerAppModule } from './seller-app.module';

void runHttpApp((config) => SellerAppModule.forRoot(config), {
  name: 'seller',
  description: 'Cooperatives in poverty counties: register, list stalled produce, answer proposals, fulfil orders.',
  port: 'SELLER_PORT',
});
