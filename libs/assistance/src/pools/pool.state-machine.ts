import { StateMachine } from '@chanxiao/core';
import type { PoolStatus } from '../assistance.entities';

/** A pool fills (becomes one demand) or fails at its join-by deadline; both are final. */
export const poolStateMachine = new StateMachine<PoolStatus, { now: Date; joinBy: Date }>({
  name: 'pool',
  transitions: { open: ['filled', 'failed'], filled: [], failed: [] },
  guards: {
    'open->failed': (c) => (c.now < c.joinBy ? 'the pool is open until its join-by deadline' : null),
  },
});
