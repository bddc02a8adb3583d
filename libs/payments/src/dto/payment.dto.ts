import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, ValidateNested } from 'class-validator';
import { BuyerOrderGroupView, OrderLineInputDto, OrderView } from '@chanxiao/orders';
import type { PaymentStatus, RefundStatus } from '../payment.state-machine';

/** What a buyer's client needs to pay an order group online (Stripe.js `confirmPayment` with the client secret). */
export class PaymentView {
  @ApiProperty({ example: 'stripe' }) provider: 'stripe';
  @ApiProperty({ example: 'pi_3Q…' }) paymentIntentId: string;
  @ApiProperty({ description: 'pass to Stripe.js / the mobile SDK to confirm the payment' }) clientSecret: string;
  @ApiProperty({ enum: ['requires_payment', 'processing', 'succeeded', 'failed', 'canceled'] }) status: PaymentStatus;
  @ApiProperty() amountFen: number;
  @ApiProperty() amountReceivedFen: number;
  @ApiProperty() amountRefundedFen: number;
  @ApiProperty({ example: 'cny' }) currency: string;
  @ApiProperty({ example: ['card', 'alipay', 'wechat_pay'] }) paymentMethodTypes: string[];
}

/** An order group as `POST /orders` answers it; `payment` is set for `paymentMethod: 'stripe'`. */
export class OnlineOrderGroupView extends BuyerOrderGroupView {
  @ApiPropertyOptional({ type: PaymentView, nullable: true }) payment?: PaymentView | null;
}

/** Lines (or some kilograms of them) to take off a paid order before it ships. */
export class CancelLinesDto {
  @ApiProperty({ type: [OrderLineInputDto], description: 'each listing at most once; quantityKg up to what the line still holds' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => OrderLineInputDto)
  lines: OrderLineInputDto[];
}

export class RefundLineView {
  @ApiProperty() listingId: string;
  @ApiProperty() title: string;
  @ApiProperty() quantityKg: number;
  @ApiProperty() unitPriceFen: number;
  @ApiProperty() amountFen: number;
}

export class RefundView {
  @ApiProperty() id: string;
  @ApiProperty() orderId: string;
  @ApiProperty() paymentIntentId: string;
  @ApiProperty() amountFen: number;
  @ApiProperty({ enum: ['cancelled_lines', 'cancelled_order', 'paid_after_cancellation'] }) reason: string;
  @ApiProperty({ enum: ['unsent', 'pending', 'succeeded', 'failed', 'canceled'], description: '`unsent`: recorded, Stripe did not take it yet (the matcher retries)' })
  status: RefundStatus;
  @ApiProperty({ nullable: true, type: String }) stripeRefundId: string | null;
  @ApiProperty({ type: [RefundLineView] }) lines: RefundLineView[];
  @ApiProperty() createdAt: string;
}

/** The answer to a (partial) cancellation of a paid order. */
export class CancelLinesResult {
  @ApiProperty({ type: OrderView }) order: OrderView;
  @ApiProperty({ type: RefundView, nullable: true, description: 'null when the kilograms cancelled are worth less than 1 fen' }) refund: RefundView | null;
}

/** An order group's payments, for the buyer to reconcile: what was charged, received and paid back. */
export class GroupPaymentsView {
  @ApiProperty() orderGroupId: string;
  @ApiProperty({ type: [PaymentView] }) payments: PaymentView[];
  @ApiProperty({ type: [RefundView] }) refunds: RefundView[];
}

export class ConnectAccountView {
  @ApiProperty() connected: boolean;
  @ApiProperty({ nullable: true, type: String }) accountId: string | null;
  @ApiProperty() detailsSubmitted: boolean;
  @ApiProperty() chargesEnabled: boolean;
  @ApiProperty({ description: 'payouts are sent only when Stripe says the account can be paid out' }) payoutsEnabled: boolean;
  @ApiProperty({ description: 'false when Stripe could not be asked just now and this is what it last said' }) live: boolean;
}

export class OnboardingLinkView {
  @ApiProperty() accountId: string;
  @ApiProperty({ description: 'send the seller here (single use, expires in minutes)' }) url: string;
  @ApiProperty() expiresAt: string;
}

export class WebhookAnswer {
  @ApiProperty() received: boolean;
  @ApiProperty({ description: 'the event id was seen before; it had no second effect' }) duplicate: boolean;
  @ApiProperty({ example: 'applied: 2 orders paid' }) outcome: string;
}
