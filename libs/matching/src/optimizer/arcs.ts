import { haversineKm, EARTH_RADIUS_KM } from '@chanxiao/regions/geo.util';
import { DEFAULT_TRANSIT_MODEL } from '../feasibility.util';
import type { DemandFacts, LotFacts, MatchWeights, TransitModel } from '../matching.types';
import { DEFAULT_MATCH_WEIGHTS } from '../score.util';

/**
 * The feasible pairs of an allocation problem, as parallel typed arrays (struct of arrays: a million arcs take
 * 24 MB instead of a million objects). Arc `a` lets lot `lot[a]` serve demand `demand[a]` (indices into
 * {@link AllocationProblem.lots} / `.demands`), is worth `weight[a]` per kg (the pair's {@link score}) and can
 * carry at most `capacityGrams[a] = min(lot.availableGrams, demand.remainingGrams)` grams.
 */
export interface Arcs {
  readonly count: number;
  readonly lot: Int32Array;
  readonly demand: Int32Array;
  readonly weight: Float64Array;
  readonly capacityGrams: Float64Array;
}

/** The transportation problem: lots (supply `availableGrams`), demands (`remainingGrams`) and the arcs between them. */
export interface AllocationProblem {
  readonly lots: readonly LotFacts[];
  readonly demands: readonly DemandFacts[];
  readonly arcs: Arcs;
}

/** One arc as a plain object, for tests and logs. */
export interface Arc {
  lot: number;
  demand: number;
  weight: number;
  capacityGrams: number;
}

const DAY_MS = 86_400_000;
const dayNumber = (date: string): number => Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);

/** Arc `a` of `arcs` as an object. */
export function arcAt(arcs: Arcs, a: number): Arc {
  return { lot: arcs.lot[a], demand: arcs.demand[a], weight: arcs.weight[a], capacityGrams: arcs.capacityGrams[a] };
}

/** Builds {@link Arcs} from plain arc objects (tests, hand-made instances). */
export function arcsFrom(list: readonly Arc[]): Arcs {
  const builder = new ArcBuilder(list.length);
  for (const arc of list) builder.push(arc.lot, arc.demand, arc.weight, arc.capacityGrams);
  return builder.finish();
}

/** A growable struct-of-arrays arc list. */
export class ArcBuilder {
  private n = 0;
  private lot: Int32Array;
  private demand: Int32Array;
  private weight: Float64Array;
  private capacity: Float64Array;

  constructor(initial = 1024) {
    const size = Math.max(16, initial);
    this.lot = new Int32Array(size);
    this.demand = new Int32Array(size);
    this.weight = new Float64Array(size);
    this.capacity = new Float64Array(size);
  }

  push(lot: number, demand: number, weight: number, capacityGrams: number): void {
    if (this.n === this.lot.length) this.grow();
    this.lot[this.n] = lot;
    this.demand[this.n] = demand;
    this.weight[this.n] = weight;
    this.capacity[this.n] = capacityGrams;
    this.n++;
  }

  finish(): Arcs {
    const n = this.n;
    return { count: n, lot: this.lot.slice(0, n), demand: this.demand.slice(0, n), weight: this.weight.slice(0, n), capacityGrams: this.capacity.slice(0, n) };
  }

  private grow(): void {
    const size = this.lot.length * 2;
    const grow = <T extends Int32Array | Float64Array>(old: T, make: (n: number) => T): T => {
      const next = make(size);
      next.set(old);
      return next;
    };
    this.lot = grow(this.lot, (k) => new Int32Array(k));
    this.demand = grow(this.demand, (k) => new Int32Array(k));
    this.weight = grow(this.weight, (k) => new Float64Array(k));
    this.capacity = grow(this.capacity, (k) => new Float64Array(k));
  }
}

/**
 * The sparse feasible pairs of `lots` × `demands` on `today` (YYYY-MM-DD, China calendar), each with its score
 * per kg and its capacity in grams. Exactly the pairs for which `feasibility(lot, demand, today, model).ok`, with
 * `weight = score(lot, demand, today, weights)` (a property test checks both against the naive double loop), but
 * without looking at most of the |lots| × |demands| pairs:
 *
 * - lots are bucketed by the codes that cover them (their leaf and their group), each bucket sorted by price,
 *   so a demand only walks the lots of its category up to its price ceiling;
 * - the deadline bounds the distance (`transitDays ≤ deliverBy − today`), and a latitude difference alone
 *   rules out most far lots before any trigonometry;
 * - dates are compared as day numbers, computed once per lot and demand.
 *
 * Lots with nothing available and demands with nothing remaining get no arcs. Arcs come out grouped by demand
 * (in the order of `demands`), lots by ascending price then index within a demand.
 */
export function buildArcs(
  lots: readonly LotFacts[],
  demands: readonly DemandFacts[],
  today: string,
  weights: MatchWeights = DEFAULT_MATCH_WEIGHTS,
  model: TransitModel = DEFAULT_TRANSIT_MODEL,
): AllocationProblem {
  const todayNum = dayNumber(today);
  const buckets = new Map<string, number[]>();
  const add = (code: string, index: number): void => {
    const bucket = buckets.get(code);
    if (bucket) bucket.push(index);
    else buckets.set(code, [index]);
  };
  const bestBefore = new Float64Array(lots.length);
  const lotConstant = new Float64Array(lots.length); // stalled + shelf-life terms: independent of the demand
  const tier = new Float64Array(lots.length);
  lots.forEach((lot, i) => {
    if (!(lot.availableGrams > 0)) return;
    bestBefore[i] = dayNumber(lot.bestBefore);
    const daysLeft = Math.max(0, Math.round((Date.parse(`${lot.bestBefore}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / DAY_MS));
    tier[i] = lot.isSupervisedCounty ? weights.supervisedCounty : lot.isPovertyCounty ? weights.povertyCounty : 0;
    lotConstant[i] = (weights.shelfLife * weights.shelfLifeHalfDays) / (weights.shelfLifeHalfDays + daysLeft);
    add(lot.categoryCode, i);
    if (lot.parentCategoryCode && lot.parentCategoryCode !== lot.categoryCode) add(lot.parentCategoryCode, i);
  });
  for (const bucket of buckets.values()) bucket.sort((a, b) => lots[a].unitPriceFen - lots[b].unitPriceFen || a - b);

  const kmPerDegreeLat = (EARTH_RADIUS_KM * Math.PI) / 180;
  const builder = new ArcBuilder(Math.min(1 << 22, Math.max(1024, demands.length * 32)));
  demands.forEach((demand, j) => {
    if (!(demand.remainingGrams > 0)) return;
    const bucket = buckets.get(demand.categoryCode);
    if (!bucket) return;
    const daysToDeadline = dayNumber(demand.deliverBy) - todayNum;
    // transitDays = handling + ceil(km·rf/kmPerDay) ≤ daysToDeadline  ⇒  km ≤ (daysToDeadline − handling)·kmPerDay/rf
    const travelDays = daysToDeadline - model.handlingDays;
    if (travelDays < 0) return;
    const maxKm = (travelDays * model.kmPerDay) / model.roadFactor + 1; // +1 km of slack: the exact test follows
    const maxDLat = maxKm / kmPerDegreeLat;
    const ceiling = demand.maxUnitPriceFen;
    const countyFactor = demand.preferPoverty ? weights.preferPovertyMultiplier : 1;
    for (const i of bucket) {
      const lot = lots[i];
      if (lot.unitPriceFen > ceiling) break; // sorted by price
      const q = Math.max(0, Math.min(lot.availableGrams, demand.remainingGrams));
      if (q <= 0 || (q < lot.minOrderGrams && q < lot.availableGrams)) continue;
      if (lot.coldChain && !demand.coldChainCapable) continue;
      if (Math.abs(lot.lat - demand.lat) > maxDLat) continue;
      const km = haversineKm(lot, demand);
      const transitDays = model.handlingDays + Math.ceil((km * model.roadFactor) / model.kmPerDay);
      const arrives = todayNum + transitDays;
      if (arrives > todayNum + daysToDeadline) continue;
      if (bestBefore[i] - arrives < model.minShelfDaysOnArrival) continue;
      // The same terms, in the same order, as scoreTerms/score: the weight is bit-identical to score().
      const weight =
        tier[i] * countyFactor +
        (lot.stalled ? weights.stalled : 0) +
        lotConstant[i] +
        (weights.distance * weights.distanceHalfKm) / (weights.distanceHalfKm + km) +
        weights.priceHeadroom * Math.min(1, Math.max(0, (ceiling - lot.unitPriceFen) / ceiling));
      builder.push(i, j, weight, q);
    }
  });
  return { lots, demands, arcs: builder.finish() };
}
