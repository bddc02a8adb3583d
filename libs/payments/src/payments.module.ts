import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ListingsModule } from '@chanxiao/listings';
import { OrdersModule } from '@chanxiao/orders';
import { ConnectService } from './connect.service';
import { OnlineCheckoutService } from './online-checkout.service';
import { PaidOrderCancellationService } from './paid-order-cancellation.service';
import { PaymentIntentRecord, Payout, Refund, RefundLine, StripeAccount, StripeEventRecord } from './payment.entity';
import { PaymentIntentsService } from './payment-intents.service';
import { PayoutsService } from './payouts.service';
import { RefundsService } from './refunds.service';
import { StripeGateway } from './stripe.gateway';
import { StripeWebhookService } from './stripe-webhook.service';

/**
 * Online payments with Stripe, for any app: the buyer app checks out, takes webhooks and cancels paid orders,
 * the seller app connects its Stripe account, the matcher sends payouts and retries refunds. With no
 * STRIPE_SECRET_KEY every provider still loads and online payment answers that it is disabled.
 */
@Module({
  imports: [TypeOrmModule.forFeature([PaymentIntentRecord, StripeEventRecord, Refund, RefundLine, StripeAccount, Payout]), OrdersModule, ListingsModule],
  providers: [StripeGateway, PaymentIntentsService, RefundsService, PayoutsService, ConnectService, StripeWebhookService, PaidOrderCancellationService, OnlineCheckoutService],
  exports: [StripeGateway, PaymentIntentsService, RefundsService, PayoutsService, ConnectService, StripeWebhookService, PaidOrderCancellationService, OnlineCheckoutService],
})
export class PaymentsModule {}
