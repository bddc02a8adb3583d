import { DomainError } from '@chanxiao/core';
import { ORDER_STATUSES, orderStateMachine, type OrderStatus } from '../order.state-machine';
import { lineAmountFen, canonicalJson } from '../order-pricing.util';

const LEGAL: [OrderStatus, OrderStatus][] = [
  ['pending_payment', 'paid'],
  ['pending_payment', 'cancelled'],
  ['paid', 'shipped'],
  ['shipped', 'delivered'],
  ['delivered', 'completed'],
];

describe('the order state machine', () => {
  const pairs = ORDER_STATUSES.flatMap((from) => ORDER_STATUSES.map((to) => [from, to] as [OrderStatus, OrderStatus]));

  it.each(pairs.filter(([f, t]) => !LEGAL.some(([a, b]) => a === f && b === t)))('refuses %s → %s with a 409 naming both', (from, to) => {
    let error: unknown;
    try {
      orderStateMachine.assert(from, to, { paymentMethod: 'bank_transfer', actor: 'system' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ kind: 'conflict', message: expect.stringContaining(`order cannot go from ${from} to ${to}`) });
  });

  const ACTOR: Record<string, 'buyer' | 'seller' | 'system'> = { paid: 'seller', cancelled: 'buyer', shipped: 'seller', delivered: 'buyer', completed: 'system' };

  it.each(LEGAL)('allows %s → %s for the one who does it', (from, to) => {
    expect(orderStateMachine.check(from, to, { paymentMethod: 'bank_transfer', actor: ACTOR[to] })).toEqual({ ok: true });
  });

  it('lets only the seller ship, only the buyer confirm delivery, and not the seller cancel', () => {
    expect(orderStateMachine.check('paid', 'shipped', { paymentMethod: 'bank_transfer', actor: 'buyer' })).toEqual({ ok: false, reason: 'only the seller ships' });
    expect(orderStateMachine.check('shipped', 'delivered', { paymentMethod: 'bank_transfer', actor: 'seller' })).toEqual({ ok: false, reason: 'only the buyer confirms delivery' });
    expect(orderStateMachine.check('pending_payment', 'cancelled', { paymentMethod: 'bank_transfer', actor: 'seller' }).ok).toBe(false);
  });

  it('does not let a seller confirm an online payment by hand', () => {
    expect(orderStateMachine.check('pending_payment', 'paid', { paymentMethod: 'stripe', actor: 'seller' }).ok).toBe(false);
    expect(orderStateMachine.check('pending_payment', 'paid', { paymentMethod: 'stripe', actor: 'system' }).ok).toBe(true);
  });
});

describe('order pricing', () => {
  it.each([
    [1_000_000, 680, 680_000],
    [1500, 333, 500], // 499.5 fen rounds half up
    [1499, 333, 499], // 499.167
    [1, 1, 0],
    [150_001, 333, 49_950],
    [100_000_000_000, 100_000, 10_000_000_000_000], // 100,000 t at 1,000 元/kg: 100 亿元, still exact
  ])('%p g at %p fen/kg is %p fen', (grams, price, fen) => {
    expect(lineAmountFen(grams, price)).toBe(fen);
  });

  it('hashes equal bodies equally whatever their key order', () => {
    expect(canonicalJson({ b: 1, a: [{ y: 2, x: 1 }] })).toBe(canonicalJson({ a: [{ x: 1, y: 2 }], b: 1 }));
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: 2 }));
  });
});
