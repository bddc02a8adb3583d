import { StateMachine } from '@chanxiao/core';

export type ProposalStatus = 'proposed' | 'accepted_by_buyer' | 'accepted_by_seller' | 'confirmed' | 'declined' | 'expired';

export const PROPOSAL_STATUSES: readonly ProposalStatus[] = ['proposed', 'accepted_by_buyer', 'accepted_by_seller', 'confirmed', 'declined', 'expired'];

/** The states in which a proposal holds stock of its lot and grams of its demand. */
export const LIVE_PROPOSAL_STATUSES: readonly ProposalStatus[] = ['proposed', 'accepted_by_buyer', 'accepted_by_seller'];

/** Who is moving the proposal: the two parties accept or decline; the system confirms and expires. */
export interface ProposalTransitionContext {
  actor: 'buyer' | 'seller' | 'system';
  expiresAt: Date;
  now: Date;
}

/**
 * The proposal lifecycle (SPEC §5): `proposed → accepted_by_buyer | accepted_by_seller → confirmed` (an order is
 * created), `proposed | accepted_* → declined | expired` (the hold is released). Each side accepts once; the
 * second acceptance confirms. Nobody can accept after the expiry time, even before the expiry job has run.
 */
export const proposalStateMachine = new StateMachine<ProposalStatus, ProposalTransitionContext>({
  name: 'proposal',
  transitions: {
    proposed: ['accepted_by_buyer', 'accepted_by_seller', 'declined', 'expired'],
    accepted_by_buyer: ['confirmed', 'declined', 'expired'],
    accepted_by_seller: ['confirmed', 'declined', 'expired'],
    confirmed: [],
    declined: [],
    expired: [],
  },
  guards: {
    '*->accepted_by_buyer': (c) => (c.actor !== 'buyer' ? 'only the buyer accepts for the buyer' : notExpired(c)),
    '*->accepted_by_seller': (c) => (c.actor !== 'seller' ? 'only the seller accepts for the seller' : notExpired(c)),
    'accepted_by_buyer->confirmed': (c) => (c.actor !== 'seller' ? 'the buyer has accepted already; the seller must accept' : notExpired(c)),
    'accepted_by_seller->confirmed': (c) => (c.actor !== 'buyer' ? 'the seller has accepted already; the buyer must accept' : notExpired(c)),
    '*->expired': (c) => (c.actor !== 'system' ? 'only the matcher expires proposals' : c.expiresAt > c.now ? `it holds until ${c.expiresAt.toISOString()}` : null),
  },
});

function notExpired(c: ProposalTransitionContext): string | null {
  return c.expiresAt <= c.now ? `it expired at ${c.expiresAt.toISOString()}` : null;
}
