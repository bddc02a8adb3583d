import { addDays, daysBetween } from '@chanxiao/core/time/china-date.util';
import { haversineKm } from '@chanxiao/regions/geo.util';
import type { DemandFacts, LotFacts, TransitModel } from './matching.types';

/** The default transit model: 1 handling day, 500 road km a day, road distance = 1.3 × great-circle. */
export const DEFAULT_TRANSIT_MODEL: Readonly<TransitModel> = Object.freeze({
  handlingDays: 1,
  kmPerDay: 500,
  roadFactor: 1.3,
  minShelfDaysOnArrival: 0,
});

/** Why a lot cannot serve a demand; rules are checked in this order and the first that fails is reported. */
export type InfeasibleReason = 'category' | 'price' | 'quantity' | 'cold_chain' | 'deadline' | 'shelf_life';

/** A lot can serve a demand: how much, how far, and when it arrives. */
export interface Feasible {
  ok: true;
  /** Integer grams the pair can move: `min(lot.availableGrams, demand.remainingGrams)`. */
  quantityGrams: number;
  /** Great-circle km between the lot's county and the demand's destination. */
  distanceKm: number;
  /** Estimated road km: `distanceKm × roadFactor`. */
  roadKm: number;
  /** `handlingDays + ceil(roadKm / kmPerDay)`. */
  transitDays: number;
  /** YYYY-MM-DD: `today + transitDays`. */
  arrivesOn: string;
}

/** A lot cannot serve a demand, with the first rule it breaks and a sentence for logs. */
export interface Infeasible {
  ok: false;
  reason: InfeasibleReason;
  detail: string;
}

export type FeasibilityResult = Feasible | Infeasible;

/** True when a demand for `demandCategory` (a leaf, or a group meaning any of its leaves) covers the lot. */
export function categoryCovers(demandCategory: string, lot: Pick<LotFacts, 'categoryCode' | 'parentCategoryCode'>): boolean {
  return lot.categoryCode === demandCategory || lot.parentCategoryCode === demandCategory;
}

/** Integer grams a pair can move: `min(available, remaining)`, never below 0. */
export function transferableGrams(lot: Pick<LotFacts, 'availableGrams'>, demand: Pick<DemandFacts, 'remainingGrams'>): number {
  return Math.max(0, Math.min(lot.availableGrams, demand.remainingGrams));
}

/** Estimated road transit days for a great-circle distance: `handlingDays + ceil(km × roadFactor / kmPerDay)`. */
export function transitDaysFor(distanceKm: number, model: TransitModel = DEFAULT_TRANSIT_MODEL): number {
  return model.handlingDays + Math.ceil((distanceKm * model.roadFactor) / model.kmPerDay);
}

/**
 * Can `lot` serve `demand` if it ships on `today` (YYYY-MM-DD, China calendar)? The rules, in order:
 *
 * 1. category: the demand's code is the lot's leaf or the lot's group;
 * 2. price: `lot.unitPriceFen ≤ demand.maxUnitPriceFen`;
 * 3. quantity: `q = min(available, remaining) > 0` and `q ≥ lot.minOrderGrams`, or `q` is the lot's whole
 *    available stock (a remainder smaller than the minimum order may still be sold off in one go);
 * 4. cold chain: a cold-chain lot needs a cold-chain-capable buyer (the reverse is fine);
 * 5. deadline: `arrivesOn ≤ demand.deliverBy` (the last useful day);
 * 6. shelf life: `arrivesOn + minShelfDaysOnArrival ≤ lot.bestBefore` (the last good day).
 */
export function feasibility(lot: LotFacts, demand: DemandFacts, today: string, model: TransitModel = DEFAULT_TRANSIT_MODEL): FeasibilityResult {
  if (!categoryCovers(demand.categoryCode, lot)) {
    return no('category', `lot category ${lot.categoryCode} is not covered by demand category ${demand.categoryCode}`);
  }
  if (lot.unitPriceFen > demand.maxUnitPriceFen) {
    return no('price', `lot price ${lot.unitPriceFen} fen/kg exceeds the ceiling of ${demand.maxUnitPriceFen} fen/kg`);
  }
  const quantityGrams = transferableGrams(lot, demand);
  if (quantityGrams <= 0) {
    return no('quantity', `nothing to move: ${lot.availableGrams} g available, ${demand.remainingGrams} g wanted`);
  }
  if (quantityGrams < lot.minOrderGrams && quantityGrams < lot.availableGrams) {
    return no('quantity', `the demand takes ${quantityGrams} g, below the lot's minimum order of ${lot.minOrderGrams} g`);
  }
  if (lot.coldChain && !demand.coldChainCapable) {
    return no('cold_chain', 'the lot needs cold chain and the buyer cannot receive it');
  }
  const distanceKm = haversineKm(lot, demand);
  const transitDays = transitDaysFor(distanceKm, model);
  const arrivesOn = addDays(today, transitDays);
  if (arrivesOn > demand.deliverBy) {
    return no('deadline', `arrives ${arrivesOn} (${transitDays} days), after the demand's deliver-by ${demand.deliverBy}`);
  }
  if (daysBetween(arrivesOn, lot.bestBefore) < model.minShelfDaysOnArrival) {
    return no('shelf_life', `arrives ${arrivesOn} (${transitDays} days), too late for best-before ${lot.bestBefore}`);
  }
  return { ok: true, quantityGrams, distanceKm, roadKm: distanceKm * model.roadFactor, transitDays, arrivesOn };
}

function no(reason: InfeasibleReason, detail: string): Infeasible {
  return { ok: false, reason, detail };
}
