import { DomainError } from '@chanxiao/core';
import { type DemandStatus, type DemandTransitionContext, demandStateMachine } from '../demand.state-machine';

const ctx = (over: Partial<DemandTransitionContext> = {}): DemandTransitionContext => ({
  quantityGrams: 5_000_000,
  filledGrams: 0,
  deliverBy: '2026-12-31',
  today: '2026-11-23',
  ...over,
});

describe('demand state machine', () => {
  it('has the SPEC lifecycle: open → partially_filled → filled, open|partially_filled → cancelled | expired', () => {
    expect(demandStateMachine.definition.transitions).toEqual({
      open: ['partially_filled', 'filled', 'cancelled', 'expired'],
      partially_filled: ['filled', 'cancelled', 'expired'],
      filled: [],
      cancelled: [],
      expired: [],
    });
  });

  it.each<DemandStatus>(['filled', 'cancelled', 'expired'])('treats %s as final', (state) => {
    expect(demandStateMachine.isFinal(state)).toBe(true);
    expect(demandStateMachine.check(state, 'cancelled', ctx())).toEqual({ ok: false, reason: `no transition from ${state} to cancelled; ${state} is final` });
  });

  it('lets a live demand be cancelled at any time', () => {
    expect(demandStateMachine.check('open', 'cancelled', ctx())).toEqual({ ok: true });
    expect(demandStateMachine.check('partially_filled', 'cancelled', ctx({ filledGrams: 1 }))).toEqual({ ok: true });
  });

  it('goes partially filled only when some but not all is filled', () => {
    expect(demandStateMachine.check('open', 'partially_filled', ctx({ filledGrams: 1 }))).toEqual({ ok: true });
    expect(demandStateMachine.check('open', 'partially_filled', ctx())).toEqual({ ok: false, reason: 'nothing has been filled yet' });
    expect(demandStateMachine.check('open', 'partially_filled', ctx({ filledGrams: 5_000_000 }))).toEqual({
      ok: false,
      reason: 'the whole quantity is filled; it goes to filled',
    });
  });

  it('goes filled only when the whole quantity is filled, naming what is missing', () => {
    expect(demandStateMachine.check('partially_filled', 'filled', ctx({ filledGrams: 5_000_000 }))).toEqual({ ok: true });
    expect(demandStateMachine.check('open', 'filled', ctx({ filledGrams: 5_000_000 }))).toEqual({ ok: true });
    expect(demandStateMachine.check('partially_filled', 'filled', ctx({ filledGrams: 4_998_499 }))).toEqual({
      ok: false,
      reason: '1.501 kg are still to be filled',
    });
  });

  it('expires only after the deliver-by day has passed (China calendar)', () => {
    expect(demandStateMachine.check('open', 'expired', ctx({ deliverBy: '2026-11-22' }))).toEqual({ ok: true });
    expect(demandStateMachine.check('partially_filled', 'expired', ctx({ deliverBy: '2026-11-22', filledGrams: 1 }))).toEqual({ ok: true });
    expect(demandStateMachine.check('open', 'expired', ctx({ deliverBy: '2026-11-23' }))).toEqual({
      ok: false,
      reason: 'deliver-by 2026-11-23 has not passed (today is 2026-11-23)',
    });
  });

  it('never goes back to open or out of a final state', () => {
    expect(demandStateMachine.check('partially_filled', 'open', ctx())).toEqual({
      ok: false,
      reason: 'no transition from partially_filled to open; it can go to filled, cancelled, expired',
    });
    expect(demandStateMachine.check('filled', 'partially_filled', ctx({ filledGrams: 1 })).ok).toBe(false);
  });

  it('throws a 409 DomainError that names the transition and the reason', () => {
    let error: unknown;
    try {
      demandStateMachine.assert('cancelled', 'cancelled', ctx());
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({
      kind: 'conflict',
      code: 'fsm.illegal_transition',
      message: 'demand cannot go from cancelled to cancelled: no transition from cancelled to cancelled; cancelled is final',
    });
  });
});
