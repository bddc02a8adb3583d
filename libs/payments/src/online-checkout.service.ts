import { Injectable } from '@nestjs/common';
import { DomainError, type Principal } from '@chanxiao/core';
import { OrdersService, type PlaceOrderDto } from '@chanxiao/orders';
import type { OnlineOrderGroupView } from './dto/payment.dto';
import { PaymentIntentsService } from './payment-intents.service';

/**
 * `POST /orders` with online payment: the checkout first (one statement, all or nothing, as for bank transfer),
 * then the group's PaymentIntent. If Stripe cannot be reached the checkout still stands — its stock is reserved
 * and its orders are `pending_payment` until `payBy`, when the unpaid-order job cancels them — and the answer is
 * a 502/503 naming the group; repeating the request with the same Idempotency-Key replays the checkout and
 * creates the intent then (same Stripe idempotency key, so never two).
 */
@Injectable()
export class OnlineCheckoutService {
  constructor(
    private readonly orders: OrdersService,
    private readonly intents: PaymentIntentsService,
  ) {}

  async place(principal: Principal, key: string | undefined, body: PlaceOrderDto): Promise<{ view: OnlineOrderGroupView; replayed: boolean }> {
    const placed = await this.orders.place(principal, key, body);
    if (body.paymentMethod !== 'stripe') return placed;
    const { orderGroupId, orders } = placed.view;
    try {
      return { ...placed, view: { ...placed.view, payment: await this.intents.ensure(principal.organizationId, orderGroupId) } };
    } catch (error) {
      // A replay of a checkout whose orders are all cancelled by now: the group as it was, nothing to pay.
      if (placed.replayed && error instanceof DomainError && error.code === 'payments.nothing_to_pay') return { ...placed, view: { ...placed.view, payment: null } };
      if (error instanceof DomainError && (error.kind === 'unavailable' || error.kind === 'bad_gateway')) {
        const payBy = orders[0]?.payBy;
        throw new DomainError(error.kind, error.code, `order group ${orderGroupId} is placed and its stock reserved until ${payBy}, but ${error.message}. Send the same request again (same Idempotency-Key) or POST /api/v1/payments/order-groups/${orderGroupId}/intent to pay`, [
          { field: 'paymentMethod', message: 'online payment is unavailable right now; the orders stay pending_payment until payBy' },
        ]);
      }
      throw error;
    }
  }
}
