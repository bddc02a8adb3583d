import { orderStateMachine } from '@chanxiao/orders';
import { paymentStateMachine, paymentStatusOf, payoutStateMachine, refundStateMachine } from '../payment.state-machine';

describe('payment state machines', () => {
  it('lets a failed payment be retried and succeed, but nothing moves a succeeded or cancelled one', () => {
    expect(paymentStateMachine.check('failed', 'succeeded').ok).toBe(true);
    expect(paymentStateMachine.check('requires_payment', 'failed').ok).toBe(true);
    expect(paymentStateMachine.check('succeeded', 'failed')).toEqual({ ok: false, reason: 'no transition from succeeded to failed; succeeded is final' });
    expect(paymentStateMachine.check('canceled', 'succeeded').ok).toBe(false);
  });

  it("maps Stripe's statuses", () => {
    expect(paymentStatusOf('requires_payment_method')).toBe('requires_payment');
    expect(paymentStatusOf('requires_action')).toBe('requires_payment');
    expect(paymentStatusOf('processing')).toBe('processing');
    expect(paymentStatusOf('succeeded')).toBe('succeeded');
    expect(paymentStatusOf('canceled')).toBe('canceled');
  });

  it('lets a succeeded refund still fail, and sends a payout at most once', () => {
    expect(refundStateMachine.check('succeeded', 'failed').ok).toBe(true);
    expect(refundStateMachine.check('failed', 'succeeded').ok).toBe(false);
    expect(payoutStateMachine.check('sent', 'sent').ok).toBe(false);
    expect(payoutStateMachine.check('void', 'sent').ok).toBe(false);
  });

  it('lets only the buyer cancel a paid order, only an online-paid one, and only with a refund', () => {
    expect(orderStateMachine.check('paid', 'cancelled', { paymentMethod: 'stripe', actor: 'buyer', refund: true })).toEqual({ ok: true });
    expect(orderStateMachine.check('paid', 'cancelled', { paymentMethod: 'stripe', actor: 'buyer' })).toEqual({ ok: false, reason: 'a paid order is cancelled with a refund: POST /api/v1/orders/:id/cancel-lines' });
    expect(orderStateMachine.check('paid', 'cancelled', { paymentMethod: 'stripe', actor: 'seller', refund: true }).ok).toBe(false);
    expect(orderStateMachine.check('paid', 'cancelled', { paymentMethod: 'bank_transfer', actor: 'buyer', refund: true }).ok).toBe(false);
    expect(orderStateMachine.check('shipped', 'cancelled', { paymentMethod: 'stripe', actor: 'buyer', refund: true }).ok).toBe(false);
  });
});
