import type { DomainEvent } from '@chanxiao/core';
import { gramsToKg } from '@chanxiao/listings/quantity.util';
import { lineAmountFen } from '@chanxiao/orders/order-pricing.util';
import type { ProposalView } from './dto/proposal.dto';
import type { Proposal } from './proposal.entity';

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function toProposalView(p: Proposal): ProposalView {
  return {
    id: p.id,
    status: p.status,
    demandId: p.demandId,
    listingId: p.listingId,
    sellerOrganizationId: p.sellerOrganizationId,
    buyerOrganizationId: p.buyerOrganizationId,
    quantityKg: gramsToKg(p.quantityGrams),
    unitPriceFen: p.unitPriceFen,
    amountFen: lineAmountFen(p.quantityGrams, p.unitPriceFen),
    score: p.score,
    source: p.source,
    expiresAt: p.expiresAt.toISOString(),
    buyerAcceptedAt: iso(p.buyerAcceptedAt),
    sellerAcceptedAt: iso(p.sellerAcceptedAt),
    orderId: p.orderId,
    closeReason: p.closeReason,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

/** The outbox event of a proposal change: the matcher re-matches the lot and demand of a closed one. */
export function proposalEvent(type: `proposal.${string}`, p: Proposal): DomainEvent {
  return {
    type,
    aggregateType: 'proposal',
    aggregateId: p.id,
    payload: {
      proposalId: p.id,
      status: p.status,
      demandId: p.demandId,
      listingId: p.listingId,
      sellerOrganizationId: p.sellerOrganizationId,
      buyerOrganizationId: p.buyerOrganizationId,
      quantityGrams: p.quantityGrams,
      unitPriceFen: p.unitPriceFen,
      score: p.score,
      source: p.source,
      orderId: p.orderId,
      closeReason: p.closeReason,
    },
  };
}
