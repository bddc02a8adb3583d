import { DomainError } from '../errors/domain-error';
import { StateMachine } from '../fsm/state-machine';

type LotState = 'draft' | 'active' | 'sold_out' | 'withdrawn' | 'expired';
interface LotContext {
  reservedGrams: number;
  bestBefore: Date;
  now: Date;
}

const lot = new StateMachine<LotState, LotContext>({
  name: 'listing',
  transitions: {
    draft: ['active', 'withdrawn'],
    active: ['sold_out', 'withdrawn', 'expired'],
    sold_out: [],
    withdrawn: [],
    expired: [],
  },
  guards: {
    'draft->active': (c) => (c.bestBefore <= c.now ? 'best-before date has passed' : null),
    '*->withdrawn': (c) => (c.reservedGrams > 0 ? `${c.reservedGrams} g are still reserved` : null),
  },
});

const ctx = (over: Partial<LotContext> = {}): LotContext => ({
  reservedGrams: 0,
  bestBefore: new Date('2030-01-01'),
  now: new Date('2026-11-23'),
  ...over,
});

describe('StateMachine', () => {
  it('allows a listed transition whose guards pass', () => {
    expect(lot.check('draft', 'active', ctx())).toEqual({ ok: true });
    expect(lot.assert('active', 'sold_out', ctx())).toBe('sold_out');
  });

  it('refuses a transition that is not in the map, naming where the state can go', () => {
    expect(lot.check('draft', 'sold_out', ctx())).toEqual({ ok: false, reason: 'no transition from draft to sold_out; it can go to active, withdrawn' });
  });

  it('says a final state is final', () => {
    expect(lot.check('expired', 'active', ctx())).toEqual({ ok: false, reason: 'no transition from expired to active; expired is final' });
    expect(lot.isFinal('withdrawn')).toBe(true);
    expect(lot.isFinal('active')).toBe(false);
  });

  it('runs the specific guard for from->to', () => {
    expect(lot.check('draft', 'active', ctx({ bestBefore: new Date('2026-01-01') }))).toEqual({ ok: false, reason: 'best-before date has passed' });
  });

  it('runs a wildcard guard for every source state', () => {
    for (const from of ['draft', 'active'] as const) {
      expect(lot.check(from, 'withdrawn', ctx({ reservedGrams: 500 }))).toEqual({ ok: false, reason: '500 g are still reserved' });
    }
  });

  it('turns a refused transition into a 409 DomainError with the transition and reason', () => {
    let error: unknown;
    try {
      lot.assert('active', 'withdrawn', ctx({ reservedGrams: 1000 }));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({
      kind: 'conflict',
      code: 'fsm.illegal_transition',
      message: 'listing cannot go from active to withdrawn: 1000 g are still reserved',
    });
  });

  it('lists its states and next states from the data', () => {
    expect(lot.states).toEqual(['draft', 'active', 'sold_out', 'withdrawn', 'expired']);
    expect(lot.next('active')).toEqual(['sold_out', 'withdrawn', 'expired']);
  });
});
