import { daysBetween } from '@chanxiao/core/time/china-date.util';
import { haversineKm } from '@chanxiao/regions/geo.util';
import type { DemandFacts, LotFacts, MatchWeights } from './matching.types';

/**
 * The default weights. The county tier is the largest single term, so a lot from a poorer county usually wins,
 * but not at any price: the other terms together (at most 1.5 + 2 + 1 + 1 = 5.5) can outweigh one tier step (3)
 * when a lot elsewhere is stalled, about to rot and close by — "nothing rots in the field" counts too. A
 * `preferPoverty` demand doubles the tier steps (6 and 12), which the other terms almost never overturn.
 */
export const DEFAULT_MATCH_WEIGHTS: Readonly<MatchWeights> = Object.freeze({
  supervisedCounty: 6,
  povertyCounty: 3,
  preferPovertyMultiplier: 2,
  stalled: 1.5,
  shelfLife: 2,
  shelfLifeHalfDays: 14,
  distance: 1,
  distanceHalfKm: 500,
  priceHeadroom: 1,
});

/** The smallest gap between the supervised and the poverty county weights, so the tiers stay apart in floating point. */
export const MIN_COUNTY_TIER_GAP = 0.01;

/** The terms of a score, each already multiplied by its weight; {@link score} is their sum. */
export interface ScoreTerms {
  county: number;
  stalled: number;
  shelfLife: number;
  distance: number;
  priceHeadroom: number;
}

/**
 * What is wrong with `weights` (empty when valid). Within these ranges the county priority holds: for lots that
 * differ only in their county, supervised > poverty > other, whatever the other weights and the demand.
 */
export function matchWeightProblems(weights: MatchWeights): string[] {
  const problems: string[] = [];
  const range = (name: keyof MatchWeights, min: number, max: number): void => {
    const value = weights[name];
    if (!Number.isFinite(value) || value < min || value > max) problems.push(`${name} must be in [${min}, ${max}], got ${value}`);
  };
  range('povertyCounty', MIN_COUNTY_TIER_GAP, 100);
  range('supervisedCounty', MIN_COUNTY_TIER_GAP, 200);
  if (!(weights.supervisedCounty - weights.povertyCounty >= MIN_COUNTY_TIER_GAP)) {
    problems.push(`supervisedCounty must exceed povertyCounty by at least ${MIN_COUNTY_TIER_GAP}`);
  }
  range('preferPovertyMultiplier', 1, 10);
  range('stalled', 0, 100);
  range('shelfLife', 0, 100);
  range('shelfLifeHalfDays', 1, 10_000);
  range('distance', 0, 100);
  range('distanceHalfKm', 1, 10_000);
  range('priceHeadroom', 0, 100);
  return problems;
}

/** Throws when `weights` are outside their documented ranges (call it when loading configuration). */
export function assertMatchWeights(weights: MatchWeights): void {
  const problems = matchWeightProblems(weights);
  if (problems.length > 0) throw new Error(`Invalid match weights: ${problems.join('; ')}`);
}

/**
 * The score's terms for a lot serving a demand on `today` (YYYY-MM-DD, China calendar):
 *
 * ```
 * county        = (supervised ? wSupervised : poverty ? wPoverty : 0) × (preferPoverty ? multiplier : 1)
 * stalled       = stalled ? wStalled : 0
 * shelfLife     = wShelf × h / (h + max(0, bestBefore − today))        h = shelfLifeHalfDays
 * distance      = wDistance × d / (d + greatCircleKm)                   d = distanceHalfKm
 * priceHeadroom = wHeadroom × clamp01((ceiling − price) / ceiling)
 * ```
 */
export function scoreTerms(lot: LotFacts, demand: DemandFacts, today: string, weights: MatchWeights = DEFAULT_MATCH_WEIGHTS): ScoreTerms {
  const tier = lot.isSupervisedCounty ? weights.supervisedCounty : lot.isPovertyCounty ? weights.povertyCounty : 0;
  const daysLeft = Math.max(0, daysBetween(today, lot.bestBefore));
  const km = haversineKm(lot, demand);
  const headroom = (demand.maxUnitPriceFen - lot.unitPriceFen) / demand.maxUnitPriceFen;
  return {
    county: tier * (demand.preferPoverty ? weights.preferPovertyMultiplier : 1),
    stalled: lot.stalled ? weights.stalled : 0,
    // Hyperbolic rather than linear in days: the difference between 3 and 10 days left matters, between 200 and 300 hardly.
    shelfLife: (weights.shelfLife * weights.shelfLifeHalfDays) / (weights.shelfLifeHalfDays + daysLeft),
    distance: (weights.distance * weights.distanceHalfKm) / (weights.distanceHalfKm + km),
    priceHeadroom: weights.priceHeadroom * Math.min(1, Math.max(0, headroom)),
  };
}

/**
 * How good it is for `lot` to serve `demand`: higher is better, always ≥ 0 (so the global optimisation can
 * maximise score-weighted kilograms). The sum of {@link scoreTerms}; it assumes the pair is feasible and does not
 * check it. Favours, in this order of default weight, supervised (挂牌督战) over other poverty counties over the
 * rest, little shelf life left, stalled lots, short distance and price headroom; see `docs/matching.md`.
 */
export function score(lot: LotFacts, demand: DemandFacts, today: string, weights: MatchWeights = DEFAULT_MATCH_WEIGHTS): number {
  const t = scoreTerms(lot, demand, today, weights);
  return t.county + t.stalled + t.shelfLife + t.distance + t.priceHeadroom;
}
