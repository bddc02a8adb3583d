import type { DomainEvent } from '@chanxiao/core';
import { gramsToKg } from '@chanxiao/listings/quantity.util';
import type { OrderView } from './dto/order.dto';
import type { Order, OrderLine } from './order.entity';

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function toOrderView(order: Order, lines: OrderLine[] = order.lines ?? []): OrderView {
  return {
    id: order.id,
    number: order.number,
    orderGroupId: order.orderGroupId,
    status: order.status,
    sellerOrganizationId: order.sellerOrganizationId,
    buyerOrganizationId: order.buyerOrganizationId,
    paymentMethod: order.paymentMethod,
    lines: [...lines].sort((a, b) => a.lineNo - b.lineNo).map((l) => ({
      listingId: l.listingId,
      title: l.title,
      categoryCode: l.categoryCode,
      quantityKg: gramsToKg(l.quantityGrams),
      unitPriceFen: l.unitPriceFen,
      amountFen: l.amountFen,
    })),
    totalFen: order.totalFen,
    payBy: order.payBy.toISOString(),
    createdAt: order.createdAt.toISOString(),
    paidAt: iso(order.paidAt),
    shippedAt: iso(order.shippedAt),
    carrier: order.carrier,
    trackingNo: order.trackingNo,
    deliveredAt: iso(order.deliveredAt),
    completedAt: iso(order.completedAt),
    cancelledAt: iso(order.cancelledAt),
    cancelReason: order.cancelReason,
  };
}

/** The outbox event for an order change: enough for the matcher, the agency statistics and notifications. */
export function orderEvent(type: `order.${string}`, order: Order, lines: OrderLine[] = order.lines ?? []): DomainEvent {
  return {
    type,
    aggregateType: 'order',
    aggregateId: order.id,
    payload: {
      orderId: order.id,
      orderGroupId: order.orderGroupId,
      status: order.status,
      buyerOrganizationId: order.buyerOrganizationId,
      sellerOrganizationId: order.sellerOrganizationId,
      paymentMethod: order.paymentMethod,
      totalFen: order.totalFen,
      lines: lines.map((l) => ({ listingId: l.listingId, categoryCode: l.categoryCode, grams: l.quantityGrams, amountFen: l.amountFen })),
      ...(order.cancelReason ? { cancelReason: order.cancelReason } : {}),
    },
  };
}
