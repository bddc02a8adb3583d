import type { DomainEvent } from '@chanxiao/core';
import { gramsToKg } from '@chanxiao/listings/quantity.util';
import type { PaymentView, RefundView } from './dto/payment.dto';
import type { PaymentIntentRecord, Refund, RefundLine } from './payment.entity';

export function toPaymentView(record: PaymentIntentRecord, paymentMethodTypes: string[]): PaymentView {
  return {
    provider: 'stripe',
    paymentIntentId: record.id,
    clientSecret: record.clientSecret,
    status: record.status,
    amountFen: record.amountFen,
    amountReceivedFen: record.amountReceivedFen,
    amountRefundedFen: record.amountRefundedFen,
    currency: record.currency,
    paymentMethodTypes,
  };
}

export function toRefundView(refund: Refund, lines: RefundLine[]): RefundView {
  return {
    id: refund.id,
    orderId: refund.orderId,
    paymentIntentId: refund.paymentIntentId,
    amountFen: refund.amountFen,
    reason: refund.reason,
    status: refund.status,
    stripeRefundId: refund.stripeRefundId,
    lines: lines.map((l) => ({ listingId: l.listingId, title: l.title, quantityKg: gramsToKg(l.quantityGrams), unitPriceFen: l.unitPriceFen, amountFen: l.amountFen })),
    createdAt: refund.createdAt.toISOString(),
  };
}

/** Outbox events of the payments domain: `payment.*` (aggregate the PaymentIntent), `refund.*`, `payout.*`. */
export function paymentEvent(type: `payment.${string}`, record: PaymentIntentRecord): DomainEvent {
  return {
    type,
    aggregateType: 'payment',
    aggregateId: record.id,
    payload: { paymentIntentId: record.id, orderGroupId: record.orderGroupId, status: record.status, amountFen: record.amountFen, amountReceivedFen: record.amountReceivedFen },
  };
}

export function refundEvent(type: `refund.${string}`, refund: Refund): DomainEvent {
  return {
    type,
    aggregateType: 'refund',
    aggregateId: refund.id,
    payload: { refundId: refund.id, orderId: refund.orderId, paymentIntentId: refund.paymentIntentId, amountFen: refund.amountFen, reason: refund.reason, status: refund.status },
  };
}
