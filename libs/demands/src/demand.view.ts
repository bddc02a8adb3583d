import type { DomainEvent } from '@chanxiao/core';
import { gramsToKg } from '@chanxiao/listings/quantity.util';
import type { DemandView } from './dto/demand.dto';
import type { Demand } from './demand.entity';

/** The API's view of a demand: kg, not grams (SPEC §5); `regionName` names the destination. */
export function toDemandView(demand: Demand, regionName: string): DemandView {
  return {
    id: demand.id,
    status: demand.status,
    categoryCode: demand.categoryCode,
    quantityKg: gramsToKg(demand.quantityGrams),
    filledKg: gramsToKg(demand.filledGrams),
    remainingKg: gramsToKg(demand.quantityGrams - demand.filledGrams),
    heldKg: gramsToKg(demand.heldGrams),
    maxUnitPriceFen: demand.maxUnitPriceFen,
    destinationRegionCode: demand.destinationRegionCode,
    destinationRegionName: regionName,
    deliverBy: demand.deliverBy,
    coldChainCapable: demand.coldChainCapable,
    preferPoverty: demand.preferPoverty,
    note: demand.note,
    createdAt: demand.createdAt.toISOString(),
    updatedAt: demand.updatedAt.toISOString(),
  };
}

/** Event types a demand writes to the outbox, one per state change (and one per further partial fill). */
export type DemandEventType = 'demand.created' | 'demand.partially_filled' | 'demand.filled' | 'demand.cancelled' | 'demand.expired';

/**
 * The outbox event for a change of a demand. The payload carries everything the matcher needs to (re)match
 * without reading the row: what, how much is still wanted, at what ceiling, where, by when, and for whom.
 */
export function demandEvent(type: DemandEventType, demand: Demand, extra: Record<string, unknown> = {}): DomainEvent {
  return {
    type,
    aggregateType: 'demand',
    aggregateId: demand.id,
    payload: {
      demandId: demand.id,
      buyerOrganizationId: demand.organizationId,
      status: demand.status,
      categoryCode: demand.categoryCode,
      quantityGrams: demand.quantityGrams,
      filledGrams: demand.filledGrams,
      remainingGrams: demand.quantityGrams - demand.filledGrams,
      maxUnitPriceFen: demand.maxUnitPriceFen,
      destinationRegionCode: demand.destinationRegionCode,
      deliverBy: demand.deliverBy,
      coldChainCapable: demand.coldChainCapable,
      preferPoverty: demand.preferPoverty,
      ...extra,
    },
  };
}
