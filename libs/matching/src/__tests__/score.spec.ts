import fc from 'fast-check';
import { addDays } from '@chanxiao/core/time/china-date.util';
import { assertMatchWeights, DEFAULT_MATCH_WEIGHTS, type DemandFacts, type LotFacts, matchWeightProblems, type MatchWeights, score, scoreTerms } from '@chanxiao/matching';
import { demand, lot, TODAY } from './fixtures';

const other = lot({ id: 'other' });
const poverty = lot({ id: 'poverty', isPovertyCounty: true });
const supervised = lot({ id: 'supervised', isPovertyCounty: true, isSupervisedCounty: true });

/** Any weights within the documented ranges (see `matchWeightProblems`). */
const validWeights: fc.Arbitrary<MatchWeights> = fc
  .record({
    povertyCounty: fc.double({ min: 0.01, max: 100, noNaN: true }),
    tierGap: fc.double({ min: 0.01, max: 100, noNaN: true }),
    preferPovertyMultiplier: fc.double({ min: 1, max: 10, noNaN: true }),
    stalled: fc.double({ min: 0, max: 100, noNaN: true }),
    shelfLife: fc.double({ min: 0, max: 100, noNaN: true }),
    shelfLifeHalfDays: fc.double({ min: 1, max: 10_000, noNaN: true }),
    distance: fc.double({ min: 0, max: 100, noNaN: true }),
    distanceHalfKm: fc.double({ min: 1, max: 10_000, noNaN: true }),
    priceHeadroom: fc.double({ min: 0, max: 100, noNaN: true }),
  })
  .map(({ tierGap, ...w }) => ({ ...w, supervisedCounty: w.povertyCounty + tierGap }))
  .filter((w) => matchWeightProblems(w).length === 0);

/** Any lot facts other than the county flags. */
const anyLot: fc.Arbitrary<LotFacts> = fc.record({
  stalled: fc.boolean(),
  coldChain: fc.boolean(),
  daysLeft: fc.integer({ min: -5, max: 800 }),
  unitPriceFen: fc.integer({ min: 1, max: 5_000 }),
  lat: fc.double({ min: 18, max: 53, noNaN: true }),
  lon: fc.double({ min: 73, max: 135, noNaN: true }),
}).map(({ daysLeft, ...facts }) => lot({ ...facts, bestBefore: addDays(TODAY, daysLeft) }));

const anyDemand: fc.Arbitrary<DemandFacts> = fc.record({
  maxUnitPriceFen: fc.integer({ min: 1, max: 5_000 }),
  preferPoverty: fc.boolean(),
  lat: fc.double({ min: 18, max: 53, noNaN: true }),
  lon: fc.double({ min: 73, max: 135, noNaN: true }),
}).map((facts) => demand(facts));

describe('score', () => {
  it('has valid defaults', () => {
    expect(matchWeightProblems(DEFAULT_MATCH_WEIGHTS)).toEqual([]);
    expect(() => assertMatchWeights(DEFAULT_MATCH_WEIGHTS)).not.toThrow();
  });

  it('rejects weights outside their ranges, including a supervised weight not above the poverty weight', () => {
    expect(matchWeightProblems({ ...DEFAULT_MATCH_WEIGHTS, supervisedCounty: 3, povertyCounty: 3 })).toHaveLength(1);
    expect(matchWeightProblems({ ...DEFAULT_MATCH_WEIGHTS, stalled: -1 })).toHaveLength(1);
    expect(matchWeightProblems({ ...DEFAULT_MATCH_WEIGHTS, distanceHalfKm: 0 })).toHaveLength(1);
    expect(matchWeightProblems({ ...DEFAULT_MATCH_WEIGHTS, preferPovertyMultiplier: 0.5 })).toHaveLength(1);
    expect(matchWeightProblems({ ...DEFAULT_MATCH_WEIGHTS, shelfLife: Number.NaN })).toHaveLength(1);
    expect(() => assertMatchWeights({ ...DEFAULT_MATCH_WEIGHTS, povertyCounty: 0 })).toThrow(/povertyCounty/);
  });

  it('ranks supervised > poverty > other with the default weights', () => {
    const d = demand();
    expect(score(supervised, d, TODAY)).toBeGreaterThan(score(poverty, d, TODAY));
    expect(score(poverty, d, TODAY)).toBeGreaterThan(score(other, d, TODAY));
  });

  it('property: supervised > poverty > other for otherwise-identical lots, whatever the valid weights, lot and demand', () => {
    fc.assert(
      fc.property(validWeights, anyLot, anyDemand, (weights, base, d) => {
        const s = score({ ...base, isPovertyCounty: true, isSupervisedCounty: true }, d, TODAY, weights);
        const p = score({ ...base, isPovertyCounty: true, isSupervisedCounty: false }, d, TODAY, weights);
        const o = score({ ...base, isPovertyCounty: false, isSupervisedCounty: false }, d, TODAY, weights);
        return s > p && p > o;
      }),
      { numRuns: 2_000 },
    );
  });

  it('property: the score is finite and ≥ 0 for any valid weights', () => {
    fc.assert(
      fc.property(validWeights, anyLot, anyDemand, fc.boolean(), fc.boolean(), (weights, base, d, pov, sup) => {
        const value = score({ ...base, isPovertyCounty: pov || sup, isSupervisedCounty: sup }, d, TODAY, weights);
        return Number.isFinite(value) && value >= 0;
      }),
    );
  });

  it('property: preferPoverty widens the gap between tiers and never changes a non-poverty lot\'s score', () => {
    fc.assert(
      fc.property(validWeights, anyLot, anyDemand, (weights, base, d) => {
        const gap = (prefer: boolean): number => {
          const withPref = { ...d, preferPoverty: prefer };
          return score({ ...base, isPovertyCounty: true }, withPref, TODAY, weights) - score({ ...base, isPovertyCounty: false }, withPref, TODAY, weights);
        };
        const plain = { ...base, isPovertyCounty: false, isSupervisedCounty: false };
        return gap(true) >= gap(false) - 1e-9
          && score(plain, { ...d, preferPoverty: true }, TODAY, weights) === score(plain, { ...d, preferPoverty: false }, TODAY, weights);
      }),
    );
  });

  it('ranks stalled above not stalled', () => {
    expect(score(lot({ stalled: true }), demand(), TODAY)).toBeGreaterThan(score(lot({ stalled: false }), demand(), TODAY));
  });

  it('ranks fewer days of shelf life left above more', () => {
    const days = [0, 1, 3, 7, 14, 30, 90, 365];
    const scores = days.map((n) => score(lot({ bestBefore: addDays(TODAY, n) }), demand(), TODAY));
    for (let i = 1; i < scores.length; i++) expect(scores[i - 1]).toBeGreaterThan(scores[i]);
    // h / (h + daysLeft) with h = 14: 14 days left is worth half the shelf-life weight.
    expect(scoreTerms(lot({ bestBefore: addDays(TODAY, 14) }), demand(), TODAY).shelfLife).toBeCloseTo(1, 12);
  });

  it('ranks nearer above farther', () => {
    const near = score(lot({ lat: 24.0, lon: 105.0 }), demand({ lat: 24.5, lon: 105.0 }), TODAY);
    const far = score(lot({ lat: 24.0, lon: 105.0 }), demand({ lat: 30.0, lon: 115.0 }), TODAY);
    expect(near).toBeGreaterThan(far);
  });

  it('ranks more price headroom above less', () => {
    const d = demand({ maxUnitPriceFen: 800 });
    expect(score(lot({ unitPriceFen: 400 }), d, TODAY)).toBeGreaterThan(score(lot({ unitPriceFen: 700 }), d, TODAY));
    expect(scoreTerms(lot({ unitPriceFen: 400 }), d, TODAY).priceHeadroom).toBeCloseTo(0.5, 12);
    expect(scoreTerms(lot({ unitPriceFen: 800 }), d, TODAY).priceHeadroom).toBe(0);
  });

  it('property: each factor moves the score the documented way under any valid weights (never backwards)', () => {
    fc.assert(
      fc.property(validWeights, anyLot, anyDemand, fc.integer({ min: 1, max: 100 }), (weights, base, d, more) => {
        const s = (l: LotFacts): number => score(l, d, TODAY, weights);
        const daysLater = addDays(base.bestBefore, more);
        return s({ ...base, stalled: true }) >= s({ ...base, stalled: false })
          && s(base) >= s({ ...base, bestBefore: daysLater })
          && s({ ...base, unitPriceFen: Math.max(1, base.unitPriceFen - more) }) >= s(base);
      }),
    );
  });
});
