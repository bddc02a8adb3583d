import fc from 'fast-check';
import { demand, lot, TODAY } from '../../__tests__/fixtures';
import { feasibility } from '../../feasibility.util';
import type { DemandFacts, LotFacts } from '../../matching.types';
import { score } from '../../score.util';
import { type AllocationProblem, type Arc, arcAt, arcsFrom, buildArcs } from '../arcs';
import { type AllocationResult, exactReference, greedyAllocation, optimizeAllocation } from '../optimize';

const KG = 1000;

function problemOf(lots: LotFacts[], demands: DemandFacts[], arcs: Arc[]): AllocationProblem {
  return { lots, demands, arcs: arcsFrom(arcs) };
}

/** Every allocation is on an arc, integral, positive, and no lot or demand is exceeded. */
function expectWithinLimits(problem: AllocationProblem, result: AllocationResult): void {
  const onArc = new Set<string>();
  for (let a = 0; a < problem.arcs.count; a++) onArc.add(`${problem.arcs.lot[a]}:${problem.arcs.demand[a]}`);
  const fromLot = new Map<number, number>();
  const toDemand = new Map<number, number>();
  for (const x of result.allocations) {
    expect(onArc.has(`${x.lotIndex}:${x.demandIndex}`)).toBe(true);
    expect(Number.isInteger(x.grams)).toBe(true);
    expect(x.grams).toBeGreaterThan(0);
    expect(x.lotId).toBe(problem.lots[x.lotIndex].id);
    expect(x.demandId).toBe(problem.demands[x.demandIndex].id);
    fromLot.set(x.lotIndex, (fromLot.get(x.lotIndex) ?? 0) + x.grams);
    toDemand.set(x.demandIndex, (toDemand.get(x.demandIndex) ?? 0) + x.grams);
  }
  for (const [i, grams] of fromLot) expect(grams).toBeLessThanOrEqual(problem.lots[i].availableGrams);
  for (const [j, grams] of toDemand) expect(grams).toBeLessThanOrEqual(problem.demands[j].remainingGrams);
  const objective = result.allocations.reduce((sum, x) => sum + (x.weight * x.grams) / KG, 0);
  expect(result.objective).toBeCloseTo(objective, 6);
}

const lots2 = [lot({ id: 'A', availableGrams: 10_000 * KG, minOrderGrams: 100 * KG }), lot({ id: 'B', availableGrams: 10_000 * KG, minOrderGrams: 100 * KG })];
const demands2 = [demand({ id: 'X', remainingGrams: 10_000 * KG }), demand({ id: 'Y', remainingGrams: 10_000 * KG })];
// A is the best lot for X and good for Y; B only serves X. Greedy gives A to X and leaves B and Y idle.
const crossing = problemOf(lots2, demands2, [
  { lot: 0, demand: 0, weight: 10, capacityGrams: 10_000 * KG },
  { lot: 0, demand: 1, weight: 9, capacityGrams: 10_000 * KG },
  { lot: 1, demand: 0, weight: 8, capacityGrams: 10_000 * KG },
]);

describe('optimizeAllocation on hand-checkable instances', () => {
  it('finds the optimum where greedy is myopic', async () => {
    const greedy = greedyAllocation(crossing);
    expect(greedy.objective).toBeCloseTo(100_000, 6); // 10 t × 10
    const best = await optimizeAllocation(crossing);
    expect(best.objective).toBeCloseTo(170_000, 6); // 10 t × 9 + 10 t × 8
    expect(best.allocations.map((x) => [x.lotId, x.demandId, x.grams]).sort()).toEqual([
      ['A', 'Y', 10_000 * KG],
      ['B', 'X', 10_000 * KG],
    ]);
    expect(best.components).toMatchObject({ count: 1, lp: 1, trivial: 0 });
    expectWithinLimits(crossing, best);
    const exact = await exactReference(crossing);
    expect(exact.lpObjective).toBeCloseTo(170_000, 6);
  });

  it('splits a lot between demands and a demand between lots when that is better', async () => {
    // A: 6 t, B: 4 t. X wants 5 t, Y wants 5 t. A→X 5, A→Y 4, B→X 3, B→Y 1 per kg.
    const lots = [lot({ id: 'A', availableGrams: 6_000 * KG, minOrderGrams: KG }), lot({ id: 'B', availableGrams: 4_000 * KG, minOrderGrams: KG })];
    const demands = [demand({ id: 'X', remainingGrams: 5_000 * KG }), demand({ id: 'Y', remainingGrams: 5_000 * KG })];
    const problem = problemOf(lots, demands, [
      { lot: 0, demand: 0, weight: 5, capacityGrams: 5_000 * KG },
      { lot: 0, demand: 1, weight: 4, capacityGrams: 5_000 * KG },
      { lot: 1, demand: 0, weight: 3, capacityGrams: 4_000 * KG },
      { lot: 1, demand: 1, weight: 1, capacityGrams: 4_000 * KG },
    ]);
    // Optimum: A→X 1 t, A→Y 5 t, B→X 4 t = 5000 + 20000 + 12000 = 37000 (greedy: A→X 5, A→Y 1, B→Y 4 = 33000).
    expect(greedyAllocation(problem).objective).toBeCloseTo(33_000, 6);
    const best = await optimizeAllocation(problem);
    expect(best.objective).toBeCloseTo(37_000, 6);
    expectWithinLimits(problem, best);
  });

  it('solves a one-lot component by greedy, exactly', async () => {
    const demands = [demand({ id: 'X', remainingGrams: 3_000 * KG }), demand({ id: 'Y', remainingGrams: 3_000 * KG }), demand({ id: 'Z', remainingGrams: 3_000 * KG })];
    const lots = [lot({ id: 'A', availableGrams: 5_000 * KG, minOrderGrams: KG })];
    const problem = problemOf(lots, demands, [
      { lot: 0, demand: 0, weight: 1, capacityGrams: 3_000 * KG },
      { lot: 0, demand: 1, weight: 3, capacityGrams: 3_000 * KG },
      { lot: 0, demand: 2, weight: 2, capacityGrams: 3_000 * KG },
    ]);
    const best = await optimizeAllocation(problem);
    expect(best.components).toMatchObject({ count: 1, trivial: 1, lp: 0 });
    expect(best.lp.solves).toBe(0);
    expect(best.objective).toBeCloseTo(3_000 * 3 + 2_000 * 2, 6);
    expect((await exactReference(problem)).objective).toBeCloseTo(best.objective, 6);
  });

  it('works in the largest common unit of the quantities and stays integral in grams', async () => {
    const lots = [lot({ id: 'A', availableGrams: 7_001, minOrderGrams: 1 }), lot({ id: 'B', availableGrams: 3_333, minOrderGrams: 1 })];
    const demands = [demand({ id: 'X', remainingGrams: 5_555 }), demand({ id: 'Y', remainingGrams: 4_444 })];
    const problem = problemOf(lots, demands, [
      { lot: 0, demand: 0, weight: 2, capacityGrams: 5_555 },
      { lot: 0, demand: 1, weight: 3, capacityGrams: 4_444 },
      { lot: 1, demand: 0, weight: 1.5, capacityGrams: 3_333 },
      { lot: 1, demand: 1, weight: 1, capacityGrams: 3_333 },
    ]);
    const best = await optimizeAllocation(problem);
    expect(best.unitGrams).toBe(1);
    expectWithinLimits(problem, best);
    expect(best.objective).toBeCloseTo((await exactReference(problem)).objective, 6);
    const tonnes = await optimizeAllocation(crossing);
    expect(tonnes.unitGrams).toBe(10_000 * KG);
  });

  it('returns nothing, without error, for empty inputs', async () => {
    const empty = buildArcs([], [], TODAY);
    expect(empty.arcs.count).toBe(0);
    for (const result of [await optimizeAllocation(empty), greedyAllocation(empty), await exactReference(empty)]) {
      expect(result.allocations).toEqual([]);
      expect(result.objective).toBe(0);
      expect(result.grams).toBe(0);
    }
    const noDemands = buildArcs([lot()], [], TODAY);
    expect((await optimizeAllocation(noDemands)).allocations).toEqual([]);
    const noLots = buildArcs([], [demand()], TODAY);
    expect((await optimizeAllocation(noLots)).allocations).toEqual([]);
    const soldOut = buildArcs([lot({ availableGrams: 0 })], [demand({ remainingGrams: 0 })], TODAY);
    expect(soldOut.arcs.count).toBe(0);
  });
});

describe('minimum orders', () => {
  // A (1 t, min 600 kg) is best for X and good for Y, both wanting 700 kg; B (5 t, min 100 kg) serves Y poorly.
  // The LP gives A→X 700, A→Y 300 (a sliver under A's minimum), B→Y 400.
  const lots = [lot({ id: 'A', availableGrams: 1_000 * KG, minOrderGrams: 600 * KG }), lot({ id: 'B', availableGrams: 5_000 * KG, minOrderGrams: 100 * KG })];
  const demands = [demand({ id: 'X', remainingGrams: 700 * KG }), demand({ id: 'Y', remainingGrams: 700 * KG })];
  const problem = problemOf(lots, demands, [
    { lot: 0, demand: 0, weight: 10, capacityGrams: 700 * KG },
    { lot: 0, demand: 1, weight: 9, capacityGrams: 700 * KG },
    { lot: 1, demand: 1, weight: 1, capacityGrams: 700 * KG },
  ]);

  it('keep: returns the LP optimum with the sliver', async () => {
    const result = await optimizeAllocation(problem, { minOrder: 'keep' });
    expect(result.objective).toBeCloseTo(7_000 + 2_700 + 400, 6);
    expect(result.allocations.find((x) => x.lotId === 'A' && x.demandId === 'Y')?.grams).toBe(300 * KG);
  });

  it('drop: removes the sliver and reports what it was worth', async () => {
    const result = await optimizeAllocation(problem, { minOrder: 'drop' });
    expect(result.lpObjective).toBeCloseTo(10_100, 6);
    expect(result.objective).toBeCloseTo(7_400, 6);
    expect(result.minOrder).toMatchObject({ policy: 'drop', dropped: 1, droppedGrams: 300 * KG, repairedGrams: 0 });
    expect(result.minOrder.droppedObjective).toBeCloseTo(2_700, 6);
  });

  it('repair: refills the freed demand from a lot whose minimum allows it', async () => {
    const result = await optimizeAllocation(problem);
    expect(result.minOrder).toMatchObject({ policy: 'repair', dropped: 1, repairedGrams: 300 * KG });
    expect(result.objective).toBeCloseTo(7_000 + 700, 6);
    expect(result.allocations.map((x) => [x.lotId, x.demandId, x.grams]).sort()).toEqual([
      ['A', 'X', 700 * KG],
      ['B', 'Y', 700 * KG],
    ]);
    expectWithinLimits(problem, result);
  });

  it('allows a lot’s whole remaining stock below its minimum', async () => {
    const small = problemOf([lot({ id: 'A', availableGrams: 200 * KG, minOrderGrams: 500 * KG })], [demand({ id: 'X', remainingGrams: 700 * KG })], [
      { lot: 0, demand: 0, weight: 2, capacityGrams: 200 * KG },
    ]);
    const result = await optimizeAllocation(small);
    expect(result.allocations).toHaveLength(1);
    expect(result.minOrder.dropped).toBe(0);
  });
});

/** Random instances with hand-made arcs: dense enough that components need the LP and column generation. */
const randomProblem = fc
  .record({
    lots: fc.array(fc.record({ grams: fc.integer({ min: 1, max: 40 }), min: fc.integer({ min: 1, max: 10 }) }), { minLength: 1, maxLength: 14 }),
    demands: fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 14 }),
    density: fc.double({ min: 0.05, max: 0.9, noNaN: true }),
    seed: fc.integer(),
  })
  .map(({ lots, demands, density, seed }): AllocationProblem => {
    let state = seed >>> 0 || 1;
    const random = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 4294967296);
    const lotFacts = lots.map((l, i) => lot({ id: `L${i}`, availableGrams: l.grams * 100 * KG, minOrderGrams: l.min * 100 * KG }));
    const demandFacts = demands.map((g, j) => demand({ id: `D${j}`, remainingGrams: g * 100 * KG }));
    const arcs: Arc[] = [];
    lotFacts.forEach((l, i) =>
      demandFacts.forEach((d, j) => {
        if (random() < density) arcs.push({ lot: i, demand: j, weight: Math.round(random() * 1000) / 100, capacityGrams: Math.min(l.availableGrams, d.remainingGrams) });
      }),
    );
    return problemOf(lotFacts, demandFacts, arcs);
  });

describe('optimizeAllocation on random instances', () => {
  it('equals the monolithic LP optimum, beats or ties greedy, and never exceeds a supply or demand', async () => {
    await fc.assert(
      fc.asyncProperty(randomProblem, async (problem) => {
        const exact = await exactReference(problem, { minOrder: 'keep' });
        for (const options of [{}, { initialArcsPerNode: 1, enterPerRow: 1 }, { initialArcsPerNode: 0, enterPerRow: 100 }]) {
          const best = await optimizeAllocation(problem, { ...options, minOrder: 'keep' });
          expect(best.lpObjective).toBeCloseTo(exact.lpObjective, 6);
          expectWithinLimits(problem, best);
        }
        const greedy = greedyAllocation(problem, { minOrder: 'keep' });
        expectWithinLimits(problem, greedy);
        expect(greedy.objective).toBeLessThanOrEqual(exact.lpObjective + 1e-6);
        const repaired = await optimizeAllocation(problem);
        expectWithinLimits(problem, repaired);
        for (const x of repaired.allocations) {
          const l = problem.lots[x.lotIndex];
          expect(x.grams >= l.minOrderGrams || x.grams === l.availableGrams).toBe(true);
        }
        expect(repaired.objective).toBeLessThanOrEqual(repaired.lpObjective + 1e-6);
      }),
      { numRuns: 60 },
    );
  });
});

describe('buildArcs', () => {
  const categories: [string, string | null][] = [['fruit.citrus', 'fruit'], ['fruit.mango', 'fruit'], ['veg.potato', 'veg']];
  const demandCategories = ['fruit.citrus', 'fruit.mango', 'veg.potato', 'fruit', 'veg', 'tea'];
  const dateIn = (days: number) => new Date(Date.parse(`${TODAY}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
  const lotArb = fc
    .record({
      category: fc.integer({ min: 0, max: categories.length - 1 }),
      available: fc.integer({ min: 0, max: 20 }),
      min: fc.integer({ min: 1, max: 8 }),
      price: fc.integer({ min: 100, max: 1000 }),
      days: fc.integer({ min: -1, max: 20 }),
      cold: fc.boolean(),
      stalled: fc.boolean(),
      tier: fc.integer({ min: 0, max: 2 }),
      lat: fc.double({ min: 20, max: 45, noNaN: true }),
      lon: fc.double({ min: 90, max: 120, noNaN: true }),
    })
    .map((l) =>
      lot({
        categoryCode: categories[l.category][0],
        parentCategoryCode: categories[l.category][1],
        availableGrams: l.available * 500 * KG,
        minOrderGrams: l.min * 500 * KG,
        unitPriceFen: l.price,
        bestBefore: dateIn(l.days),
        coldChain: l.cold,
        stalled: l.stalled,
        isPovertyCounty: l.tier > 0,
        isSupervisedCounty: l.tier > 1,
        lat: l.lat,
        lon: l.lon,
      }),
    );
  const demandArb = fc
    .record({
      category: fc.integer({ min: 0, max: demandCategories.length - 1 }),
      remaining: fc.integer({ min: 0, max: 20 }),
      ceiling: fc.integer({ min: 100, max: 1000 }),
      days: fc.integer({ min: 0, max: 10 }),
      cold: fc.boolean(),
      prefer: fc.boolean(),
      lat: fc.double({ min: 20, max: 45, noNaN: true }),
      lon: fc.double({ min: 90, max: 120, noNaN: true }),
    })
    .map((d) =>
      demand({
        categoryCode: demandCategories[d.category],
        remainingGrams: d.remaining * 500 * KG,
        maxUnitPriceFen: d.ceiling,
        deliverBy: dateIn(d.days),
        coldChainCapable: d.cold,
        preferPoverty: d.prefer,
        lat: d.lat,
        lon: d.lon,
      }),
    );

  it('yields exactly the feasible pairs, weighted by score and capped by transferable grams', () => {
    fc.assert(
      fc.property(fc.array(lotArb, { maxLength: 25 }), fc.array(demandArb, { maxLength: 25 }), (lots, demands) => {
        const { arcs } = buildArcs(lots, demands, TODAY);
        const built = new Map<string, Arc>();
        for (let a = 0; a < arcs.count; a++) built.set(`${arcs.lot[a]}:${arcs.demand[a]}`, arcAt(arcs, a));
        expect(built.size).toBe(arcs.count);
        let feasible = 0;
        lots.forEach((l, i) =>
          demands.forEach((d, j) => {
            const verdict = feasibility(l, d, TODAY);
            const arc = built.get(`${i}:${j}`);
            if (!verdict.ok) {
              expect(arc).toBeUndefined();
              return;
            }
            feasible++;
            expect(arc).toBeDefined();
            expect(arc!.weight).toBe(score(l, d, TODAY));
            expect(arc!.capacityGrams).toBe(verdict.quantityGrams);
          }),
        );
        expect(arcs.count).toBe(feasible);
      }),
      { numRuns: 150 },
    );
  });

  it('and the optimiser only allocates feasible pairs', async () => {
    const [lots, demands] = fc.sample(fc.tuple(fc.array(lotArb, { minLength: 30, maxLength: 30 }), fc.array(demandArb, { minLength: 30, maxLength: 30 })), { numRuns: 1, seed: 42 })[0];
    const problem = buildArcs(lots, demands, TODAY);
    const result = await optimizeAllocation(problem);
    expectWithinLimits(problem, result);
    for (const x of result.allocations) expect(feasibility(lots[x.lotIndex], demands[x.demandIndex], TODAY).ok).toBe(true);
  });
});
