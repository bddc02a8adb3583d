import { StateMachine } from '@chanxiao/core';

export type OrderStatus = 'pending_payment' | 'paid' | 'shipped' | 'delivered' | 'completed' | 'cancelled';
export const ORDER_STATUSES: readonly OrderStatus[] = ['pending_payment', 'paid', 'shipped', 'delivered', 'completed', 'cancelled'];

export type PaymentMethod = 'bank_transfer' | 'stripe';
export const PAYMENT_METHODS: readonly PaymentMethod[] = ['bank_transfer', 'stripe'];

export interface OrderTransitionContext {
  paymentMethod: PaymentMethod;
  /** Who asks: the seller confirms payment and ships, the buyer cancels and confirms delivery; `system` runs deadlines. */
  actor: 'buyer' | 'seller' | 'system';
  /** Set by the payments lib when a paid order is cancelled with a refund of what was paid. */
  refund?: boolean;
}

/**
 * The order lifecycle (SPEC §5): `pending_payment → paid → shipped → delivered → completed`, and
 * `pending_payment → cancelled` (stock released; also automatic when unpaid past `payBy`). An online-paid order
 * may be cancelled before shipping, wholly or in part, only with a refund (`libs/payments`).
 */
export const orderStateMachine = new StateMachine<OrderStatus, OrderTransitionContext>({
  name: 'order',
  transitions: {
    pending_payment: ['paid', 'cancelled'],
    paid: ['shipped', 'cancelled'],
    shipped: ['delivered'],
    delivered: ['completed'],
    completed: [],
    cancelled: [],
  },
  guards: {
    'pending_payment->paid': (c) =>
      c.actor === 'seller' && c.paymentMethod !== 'bank_transfer' ? 'only a bank-transfer order is confirmed by the seller; card and wallet payments confirm themselves' : null,
    'pending_payment->cancelled': (c) => (c.actor === 'seller' ? 'the seller cannot cancel an order; the buyer can, and unpaid orders cancel themselves' : null),
    'paid->cancelled': (c) =>
      c.paymentMethod !== 'stripe' ? 'a bank-transfer order cannot be cancelled once paid'
      : c.actor !== 'buyer' ? 'only the buyer cancels a paid order'
      : !c.refund ? 'a paid order is cancelled with a refund: POST /api/v1/orders/:id/cancel-lines' : null,
    'paid->shipped': (c) => (c.actor !== 'seller' ? 'only the seller ships' : null),
    'shipped->delivered': (c) => (c.actor === 'seller' ? 'only the buyer confirms delivery' : null),
  },
});
