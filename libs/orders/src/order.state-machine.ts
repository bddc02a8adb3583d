import { StateMachine } from '@chanxiao/core';

export type OrderStatus = 'pending_payment' | 'paid' | 'shipped' | 'delivered' | 'completed' | 'cancelled';
export const ORDER_STATUSES: readonly OrderStatus[] = ['pending_payment', 'paid', 'shipped', 'delivered', 'completed', 'cancelled'];

export type PaymentMethod = 'bank_transfer' | 'stripe';
export const PAYMENT_METHODS: readonly PaymentMethod[] = ['bank_transfer', 'stripe'];

export interface OrderTransitionContext {
  paymentMethod: PaymentMethod;
  /** Who asks: the seller confirms payment and ships, the buyer cancels and confirms delivery; `system` runs deadlines. */
  actor: 'buyer' | 'seller' | 'system';
}

/**
 * The order lifecycle (SPEC §5): `pending_payment → paid → shipped → delivered → completed`, and
 * `pending_payment → cancelled` (stock released; also automatic when unpaid past `payBy`).
 */
export const orderStateMachine = new StateMachine<OrderStatus, OrderTransitionContext>({
  name: 'order',
  transitions: {
    pending_payment: ['paid', 'cancelled'],
    paid: ['shipped'],
    shipped: ['delivered'],
    delivered: ['completed'],
    completed: [],
    cancelled: [],
  },
  guards: {
    'pending_payment->paid': (c) =>
      c.actor === 'seller' && c.paymentMethod !== 'bank_transfer' ? 'only a bank-transfer order is confirmed by the seller; card and wallet payments confirm themselves' : null,
    'pending_payment->cancelled': (c) => (c.actor === 'seller' ? 'the seller cannot cancel an order; the buyer can, and unpaid orders cancel themselves' : null),
    'paid->shipped': (c) => (c.actor !== 'seller' ? 'only the seller ships' : null),
    'shipped->delivered': (c) => (c.actor === 'seller' ? 'only the buyer confirms delivery' : null),
  },
});
