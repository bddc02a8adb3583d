import { DomainError } from '../errors/domain-error';

/** Which states each state may move to: `{ draft: ['active', 'withdrawn'], active: [...] }`. */
export type Transitions<S extends string> = { readonly [K in S]: readonly S[] };

/** A guard returns `null` to allow a transition, or a reason (shown to the caller) to refuse it. */
export type Guard<C> = (context: C) => string | null;

export interface StateMachineDefinition<S extends string, C> {
  /** What the machine governs, used in messages: `listing`, `order`. */
  name: string;
  transitions: Transitions<S>;
  /** Guards keyed by `from->to`, or `*->to` for any source state. */
  guards?: Partial<Record<`${S | '*'}->${S}`, Guard<C>>>;
}

export type TransitionCheck = { ok: true } | { ok: false; reason: string };

/**
 * A finite state machine whose transitions are data. Lifecycles (lot, demand, proposal, order, payment) each
 * define one; services call {@link StateMachine.assert} before saving a new state, and an illegal transition
 * becomes a 409 that says which transition was refused and why.
 */
export class StateMachine<S extends string, C = void> {
  constructor(readonly definition: StateMachineDefinition<S, C>) {}

  get states(): S[] {
    return Object.keys(this.definition.transitions) as S[];
  }

  /** States reachable from `from` in one step, ignoring guards. */
  next(from: S): readonly S[] {
    return this.definition.transitions[from] ?? [];
  }

  isFinal(state: S): boolean {
    return this.next(state).length === 0;
  }

  check(from: S, to: S, context: C): TransitionCheck {
    if (!this.next(from).includes(to)) {
      const allowed = this.next(from);
      const options = allowed.length ? `it can go to ${allowed.join(', ')}` : `${from} is final`;
      return { ok: false, reason: `no transition from ${from} to ${to}; ${options}` };
    }
    const guards = this.definition.guards ?? {};
    for (const key of [`${from}->${to}`, `*->${to}`] as const) {
      const reason = (guards as Record<string, Guard<C> | undefined>)[key]?.(context);
      if (reason) return { ok: false, reason };
    }
    return { ok: true };
  }

  /** Returns `to` when the transition is allowed; throws a 409 {@link DomainError} naming it otherwise. */
  assert(from: S, to: S, context: C): S {
    const result = this.check(from, to, context);
    if (!result.ok) {
      throw new DomainError(
        'conflict',
        'fsm.illegal_transition',
        `${this.definition.name} cannot go from ${from} to ${to}: ${result.reason}`,
        [{ field: 'status', message: result.reason }],
      );
    }
    return to;
  }
}
