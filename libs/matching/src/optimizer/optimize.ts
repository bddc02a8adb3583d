import type { Highs } from 'highs';
import type { AllocationProblem, Arcs } from './arcs';
import { loadHighs } from './highs';

/** One proposal-to-be: `grams` of lot `lotId` for demand `demandId`, worth `weight` per kg. */
export interface Allocation {
  lotId: string;
  demandId: string;
  /** Indices into the problem's `lots` and `demands`. */
  lotIndex: number;
  demandIndex: number;
  /** Integer grams, > 0. */
  grams: number;
  /** The arc's score per kg. */
  weight: number;
}

/**
 * How allocations below a lot's minimum order are handled. The LP knows nothing of minimum orders (they make
 * the problem a MIP), so its optimum can end a lot or a demand with a sliver, e.g. 40 kg of a lot whose minimum
 * order is 500 kg; such an allocation would never pass `feasibility` as a proposal.
 *
 * - `repair` (default): drop them, then refill the freed supply and demand greedily by weight, only with
 *   allocations that respect the minimum (an existing allocation may grow);
 * - `drop`: drop them and stop;
 * - `keep`: return the LP solution as it is (for comparisons).
 *
 * An allocation of a lot's whole available stock is always allowed, as in `feasibility`.
 */
export type MinOrderPolicy = 'repair' | 'drop' | 'keep';

export interface OptimizeOptions {
  /** Default `repair`; see {@link MinOrderPolicy}. */
  minOrder?: MinOrderPolicy;
  /** Column generation's first LP takes each node's best `initialArcsPerNode` arcs (and greedy's). Default 2. */
  initialArcsPerNode?: number;
  /** Per round, each lot and demand lets in at most its best `enterPerRow` priced arcs. Default 1. */
  enterPerRow?: number;
  /** A left-out arc enters when its reduced cost exceeds this (score per unit). Default 1e-7. */
  reducedCostTolerance?: number;
  /** Extra HiGHS options for every LP (e.g. `{ time_limit: 60 }`). */
  highsOptions?: Record<string, boolean | number | string>;
  /** A HiGHS runtime to use instead of the shared one. */
  highs?: Highs;
  /** Diagnostics: called after every LP solve with the columns in the model, the candidates and the time. */
  trace?: (round: { columns: number; candidates: number; entering: number; ms: number; iterations: number }) => void;
}

/** What happened to allocations below the lot's minimum order (see {@link MinOrderPolicy}). */
export interface MinOrderReport {
  policy: MinOrderPolicy;
  /** Allocations dropped, their grams and their objective (score × kg). */
  dropped: number;
  droppedGrams: number;
  droppedObjective: number;
  /** Grams and objective that the repair pass added back. */
  repairedGrams: number;
  repairedObjective: number;
}

export interface ComponentReport {
  /** Connected components of the bipartite graph of arcs with a positive weight. */
  count: number;
  /** Components with a single lot or a single demand, solved exactly by greedy. */
  trivial: number;
  /** Components solved by LP. */
  lp: number;
  /** Arcs of the largest component. */
  largestArcs: number;
}

export interface AllocationResult {
  /** Grouped by component; every grams > 0. */
  allocations: Allocation[];
  /** Σ weight × kg of `allocations`: the figure to report, after the minimum-order policy. */
  objective: number;
  /**
   * Σ weight × kg before the minimum-order policy. For `optimizeAllocation` and `exactReference` it is the LP
   * optimum, an upper bound on any allocation that respects minimum orders.
   */
  lpObjective: number;
  /** Total grams allocated (after the policy). */
  grams: number;
  method: 'decomposed-column-generation' | 'greedy' | 'monolithic-lp';
  /** Wall time of the solve (components, LPs, rounding, policy), excluding `buildArcs`. */
  solveMs: number;
  /** Integral unit of the LP, in grams: the greatest common divisor of every supply and demand. */
  unitGrams: number;
  components: ComponentReport;
  /**
   * LPs solved (each column-generation round counts), arcs that ever entered an LP, simplex iterations, time in
   * HiGHS (model building included), and the largest distance of an LP value from an integer (in units; the
   * evidence that the basic solutions are integral, as total unimodularity promises).
   */
  lp: { solves: number; columns: number; iterations: number; ms: number; maxRoundingError: number };
  minOrder: MinOrderReport;
}

const DEFAULTS = { minOrder: 'repair' as MinOrderPolicy, initialArcsPerNode: 2, enterPerRow: 1, reducedCostTolerance: 1e-7 };

/** Supplies and demands in LP units, and the unit in grams. */
interface Units {
  unit: number;
  supply: Float64Array;
  demand: Float64Array;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

function unitsOf(problem: AllocationProblem): Units {
  const { lots, demands, arcs } = problem;
  const used = new Uint8Array(lots.length + demands.length);
  for (let a = 0; a < arcs.count; a++) {
    used[arcs.lot[a]] = 1;
    used[lots.length + arcs.demand[a]] = 1;
  }
  let unit = 0;
  lots.forEach((lot, i) => {
    if (used[i]) unit = gcd(unit, Math.max(0, Math.floor(lot.availableGrams)));
  });
  demands.forEach((demand, j) => {
    if (used[lots.length + j]) unit = gcd(unit, Math.max(0, Math.floor(demand.remainingGrams)));
  });
  unit = Math.max(1, unit);
  const supply = Float64Array.from(lots, (lot) => Math.max(0, Math.floor(lot.availableGrams / unit)));
  const demand = Float64Array.from(demands, (d) => Math.max(0, Math.floor(d.remainingGrams / unit)));
  return { unit, supply, demand };
}

/** Arc indices with a positive weight, sorted by weight descending (ties by index, so the order is stable). */
function byWeight(arcs: Arcs, subset?: Int32Array): Int32Array {
  let order: Int32Array;
  if (subset) order = subset.filter((a) => arcs.weight[a] > 0);
  else {
    order = new Int32Array(arcs.count);
    let n = 0;
    for (let a = 0; a < arcs.count; a++) if (arcs.weight[a] > 0) order[n++] = a;
    order = order.slice(0, n);
  }
  const w = arcs.weight;
  if (order.length < 4096) return order.sort((a, b) => w[b] - w[a] || a - b);
  return radixByWeight(w, order.sort());
}

/**
 * Stable LSD radix sort of `order` (ascending indices) by `weight` descending, on the IEEE-754 bits: for
 * non-negative doubles the bit pattern orders like the value. Four 16-bit passes; about 3× faster than a
 * comparator sort at a million arcs, and the same order (ties keep ascending index).
 */
function radixByWeight(weight: Float64Array, order: Int32Array): Int32Array {
  const bits = new Uint32Array(weight.buffer, weight.byteOffset, weight.length * 2);
  const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  const [low, high] = littleEndian ? [0, 1] : [1, 0];
  let src: Int32Array = order;
  let dst: Int32Array = new Int32Array(order.length);
  const count = new Uint32Array(65537);
  for (const [word, shift] of [[low, 0], [low, 16], [high, 0], [high, 16]]) {
    count.fill(0);
    for (let k = 0; k < src.length; k++) count[0x10000 - ((bits[2 * src[k] + word] >>> shift) & 0xffff)]++;
    for (let v = 0; v < 65536; v++) count[v + 1] += count[v];
    for (let k = 0; k < src.length; k++) dst[count[0xffff - ((bits[2 * src[k] + word] >>> shift) & 0xffff)]++] = src[k];
    [src, dst] = [dst, src];
  }
  return src;
}

/** Greedy over `order`: each arc takes min(residual supply, residual demand). Mutates the residuals and `flow`. */
function greedyInto(arcs: Arcs, order: Int32Array, supply: Float64Array, demand: Float64Array, flow: Float64Array): void {
  for (let k = 0; k < order.length; k++) {
    const a = order[k];
    const i = arcs.lot[a];
    const j = arcs.demand[a];
    const q = Math.min(supply[i], demand[j]);
    if (q > 0) {
      flow[a] += q;
      supply[i] -= q;
      demand[j] -= q;
    }
  }
}

/** Union-find components of the positive-weight arcs: arc indices grouped by component, and the offsets. */
function componentsOf(problem: AllocationProblem): { arcsByComponent: Int32Array; starts: number[] } {
  const { lots, demands, arcs } = problem;
  const L = lots.length;
  const parent = new Int32Array(L + demands.length);
  for (let v = 0; v < parent.length; v++) parent[v] = v;
  const find = (v: number): number => {
    while (parent[v] !== v) {
      parent[v] = parent[parent[v]];
      v = parent[v];
    }
    return v;
  };
  for (let a = 0; a < arcs.count; a++) {
    if (!(arcs.weight[a] > 0)) continue;
    const r = find(arcs.lot[a]);
    const s = find(L + arcs.demand[a]);
    if (r !== s) parent[r] = s;
  }
  const componentOfRoot = new Int32Array(parent.length).fill(-1);
  const componentOfArc = new Int32Array(arcs.count).fill(-1);
  const sizes: number[] = [];
  for (let a = 0; a < arcs.count; a++) {
    if (!(arcs.weight[a] > 0)) continue;
    const root = find(arcs.lot[a]);
    if (componentOfRoot[root] < 0) {
      componentOfRoot[root] = sizes.length;
      sizes.push(0);
    }
    const c = componentOfRoot[root];
    componentOfArc[a] = c;
    sizes[c]++;
  }
  const starts = [0];
  for (const size of sizes) starts.push(starts[starts.length - 1] + size);
  const fill = starts.slice(0, -1);
  const arcsByComponent = new Int32Array(starts[starts.length - 1]);
  for (let a = 0; a < arcs.count; a++) if (componentOfArc[a] >= 0) arcsByComponent[fill[componentOfArc[a]]++] = a;
  return { arcsByComponent, starts };
}

interface LpStats {
  solves: number;
  columns: number;
  iterations: number;
  ms: number;
  maxRoundingError: number;
}

/**
 * Solves the transportation LP on the arcs `candidates` (all of one or more components) by HiGHS, starting from
 * the columns `initial` and adding left-out arcs with a positive reduced cost `w − y_lot − y_demand` until there
 * are none: then the duals prove the restricted optimum optimal for all of `candidates`. With `initial` equal
 * to `candidates` this is one plain LP. Writes the (integral, in units) solution into `flow`.
 */
function solveLp(
  highs: Highs,
  problem: AllocationProblem,
  units: Units,
  candidates: Int32Array,
  initial: Int32Array,
  flow: Float64Array,
  options: { tolerance: number; enterPerRow: number; highsOptions?: Record<string, boolean | number | string>; trace?: OptimizeOptions['trace'] },
  stats: LpStats,
): void {
  const { arcs } = problem;
  const L = problem.lots.length;
  // Local rows: the component's lots, then its demands.
  const rowOf = new Int32Array(L + problem.demands.length).fill(-1);
  const rowNodes: number[] = [];
  for (let k = 0; k < candidates.length; k++) {
    const a = candidates[k];
    const i = arcs.lot[a];
    const j = L + arcs.demand[a];
    if (rowOf[i] < 0) (rowOf[i] = rowNodes.length), rowNodes.push(i);
    if (rowOf[j] < 0) (rowOf[j] = rowNodes.length), rowNodes.push(j);
  }
  const numRows = rowNodes.length;
  const rowUpper = Float64Array.from(rowNodes, (node) => (node < L ? units.supply[node] : units.demand[node - L]));
  const rowLower = new Float64Array(numRows).fill(-highs.infinity);
  const lotRow = new Int32Array(candidates.length);
  const demandRow = new Int32Array(candidates.length);
  const position = new Int32Array(arcs.count); // arc → position in candidates
  for (let k = 0; k < candidates.length; k++) {
    const a = candidates[k];
    lotRow[k] = rowOf[arcs.lot[a]];
    demandRow[k] = rowOf[L + arcs.demand[a]];
    position[a] = k;
  }
  const inModel = new Uint8Array(candidates.length);
  const columns: number[] = []; // model column → position in candidates

  const columnBatch = (positions: number[]) => {
    const n = positions.length;
    const starts = new Int32Array(n + 1);
    const indices = new Int32Array(2 * n);
    const cost = new Float64Array(n);
    for (let c = 0; c < n; c++) {
      const k = positions[c];
      starts[c + 1] = 2 * (c + 1);
      indices[2 * c] = lotRow[k];
      indices[2 * c + 1] = demandRow[k];
      cost[c] = arcs.weight[candidates[k]];
      inModel[k] = 1;
      columns.push(k);
    }
    return { n, starts, indices, cost, values: new Float64Array(2 * n).fill(1), lower: new Float64Array(n), upper: new Float64Array(n).fill(highs.infinity) };
  };

  const first = columnBatch(Array.from(initial, (a) => position[a]));
  const started = performance.now();
  const model = highs.createModel({
    numCols: first.n,
    numRows,
    sense: highs.constants.objectiveSense.maximize,
    colCost: first.cost,
    colLower: first.lower,
    colUpper: first.upper,
    rowLower,
    rowUpper,
    matrix: { format: 'csc', numRows, numCols: first.n, starts: first.starts, indices: first.indices, values: first.values },
  });
  try {
    // Presolve off by default for column generation: it would be redone after every added batch, and measured
    // slower here; the monolithic reference keeps HiGHS's defaults.
    model.options.set({ output_flag: false, ...(initial.length < candidates.length ? { presolve: 'off' } : {}), ...options.highsOptions });
    for (;;) {
      const roundStarted = performance.now();
      model.run();
      stats.solves++;
      const roundMs = performance.now() - roundStarted;
      const iterations = Number(model.info.get('simplex_iteration_count'));
      stats.iterations += iterations;
      const status = model.getModelStatus();
      if (status !== highs.constants.modelStatus.optimal) throw new Error(`HiGHS ended with model status ${status}, not optimal`);
      if (columns.length === candidates.length) break;
      const { rowDual } = model.getSolution();
      const priced: number[] = [];
      const reduced = new Float64Array(candidates.length);
      for (let k = 0; k < candidates.length; k++) {
        if (inModel[k]) continue;
        reduced[k] = arcs.weight[candidates[k]] - rowDual[lotRow[k]] - rowDual[demandRow[k]];
        if (reduced[k] > options.tolerance) priced.push(k);
      }
      // Partial pricing: each row lets in only its few most attractive arcs per round.
      priced.sort((x, y) => reduced[y] - reduced[x]);
      const perRow = new Int32Array(numRows);
      const entering: number[] = [];
      for (const k of priced) {
        if (perRow[lotRow[k]] < options.enterPerRow || perRow[demandRow[k]] < options.enterPerRow) {
          perRow[lotRow[k]]++;
          perRow[demandRow[k]]++;
          entering.push(k);
        }
      }
      options.trace?.({ columns: columns.length, candidates: candidates.length, entering: entering.length, ms: roundMs, iterations });
      if (entering.length === 0) break;
      const batch = columnBatch(entering);
      model.addCols({
        cost: batch.cost,
        lower: batch.lower,
        upper: batch.upper,
        matrix: { format: 'csc', numRows, numCols: batch.n, starts: batch.starts, indices: batch.indices, values: batch.values },
      });
    }
    const { colValue } = model.getSolution();
    stats.columns += columns.length;
    // A basic solution of this totally unimodular LP with integral supplies and demands is integral; rounding
    // only removes floating-point noise. Clip anyway so that no rounding can ever exceed a supply or demand.
    for (let c = 0; c < columns.length; c++) {
      const x = Math.round(colValue[c]);
      stats.maxRoundingError = Math.max(stats.maxRoundingError, Math.abs(colValue[c] - x));
      if (x > 0) flow[candidates[columns[c]]] = x;
    }
  } finally {
    model.dispose();
    stats.ms += performance.now() - started;
  }
}

/** Clips `flow` so that no lot or demand is exceeded (a no-op unless rounding went wrong). */
function clip(problem: AllocationProblem, units: Units, flow: Float64Array): void {
  const { arcs } = problem;
  const supply = units.supply.slice();
  const demand = units.demand.slice();
  for (let a = 0; a < arcs.count; a++) {
    if (flow[a] <= 0) continue;
    const q = Math.min(flow[a], supply[arcs.lot[a]], demand[arcs.demand[a]]);
    flow[a] = q;
    supply[arcs.lot[a]] -= q;
    demand[arcs.demand[a]] -= q;
  }
}

function objectiveOf(arcs: Arcs, flow: Float64Array, unit: number): number {
  let sum = 0;
  for (let a = 0; a < arcs.count; a++) if (flow[a] > 0) sum += arcs.weight[a] * ((flow[a] * unit) / 1000);
  return sum;
}

/** Applies the minimum-order policy to `flow` (in units), in place. */
function applyMinOrder(problem: AllocationProblem, units: Units, flow: Float64Array, policy: MinOrderPolicy, order: () => Int32Array): MinOrderReport {
  const report: MinOrderReport = { policy, dropped: 0, droppedGrams: 0, droppedObjective: 0, repairedGrams: 0, repairedObjective: 0 };
  if (policy === 'keep') return report;
  const { lots, arcs } = problem;
  const { unit } = units;
  const tooSmall = (a: number, x: number): boolean => {
    const lot = lots[arcs.lot[a]];
    const grams = x * unit;
    return grams < lot.minOrderGrams && grams < lot.availableGrams;
  };
  const supply = units.supply.slice();
  const demand = units.demand.slice();
  for (let a = 0; a < arcs.count; a++) {
    if (flow[a] <= 0) continue;
    if (tooSmall(a, flow[a])) {
      report.dropped++;
      report.droppedGrams += flow[a] * unit;
      report.droppedObjective += arcs.weight[a] * ((flow[a] * unit) / 1000);
      flow[a] = 0;
    } else {
      supply[arcs.lot[a]] -= flow[a];
      demand[arcs.demand[a]] -= flow[a];
    }
  }
  if (policy === 'drop' || report.dropped === 0) return report;
  const sorted = order();
  for (let k = 0; k < sorted.length; k++) {
    const a = sorted[k];
    const i = arcs.lot[a];
    const j = arcs.demand[a];
    const q = Math.min(supply[i], demand[j]);
    if (q <= 0 || tooSmall(a, flow[a] + q)) continue;
    flow[a] += q;
    supply[i] -= q;
    demand[j] -= q;
    report.repairedGrams += q * unit;
    report.repairedObjective += arcs.weight[a] * ((q * unit) / 1000);
  }
  return report;
}

function toAllocations(problem: AllocationProblem, flow: Float64Array, unit: number, order?: Int32Array): Allocation[] {
  const { lots, demands, arcs } = problem;
  const allocations: Allocation[] = [];
  const emit = (a: number): void => {
    if (flow[a] > 0) {
      const lotIndex = arcs.lot[a];
      const demandIndex = arcs.demand[a];
      allocations.push({ lotId: lots[lotIndex].id, demandId: demands[demandIndex].id, lotIndex, demandIndex, grams: flow[a] * unit, weight: arcs.weight[a] });
    }
  };
  if (order) order.forEach(emit);
  else for (let a = 0; a < arcs.count; a++) emit(a);
  return allocations;
}

function finish(
  problem: AllocationProblem,
  units: Units,
  flow: Float64Array,
  policy: MinOrderPolicy,
  started: number,
  method: AllocationResult['method'],
  components: ComponentReport,
  lp: LpStats,
  sortedArcs: () => Int32Array,
  emitOrder?: Int32Array,
): AllocationResult {
  clip(problem, units, flow);
  const lpObjective = objectiveOf(problem.arcs, flow, units.unit);
  const minOrder = applyMinOrder(problem, units, flow, policy, sortedArcs);
  const allocations = toAllocations(problem, flow, units.unit, emitOrder);
  let grams = 0;
  for (const allocation of allocations) grams += allocation.grams;
  return {
    allocations,
    objective: objectiveOf(problem.arcs, flow, units.unit),
    lpObjective,
    grams,
    method,
    solveMs: performance.now() - started,
    unitGrams: units.unit,
    components,
    lp: { ...lp, ms: Math.round(lp.ms) },
    minOrder,
  };
}

/**
 * The global re-optimisation: allocates lots to demands to maximise Σ weight × kg subject to each lot's
 * `availableGrams`, each demand's `remainingGrams` and the arcs of `problem` (from {@link buildArcs}). Exact for
 * the LP (the transportation problem), then the minimum-order policy (see {@link MinOrderPolicy}).
 *
 * 1. Integral units: every quantity is divided by the GCD of all supplies and demands (1 kg or more in
 *    practice); the constraint matrix is totally unimodular, so a basic optimum is integral in those units.
 * 2. The bipartite graph of positive-weight arcs splits into connected components (union-find); each is solved
 *    on its own. A component with one lot or one demand is a fractional knapsack with unit sizes: greedy by
 *    weight is exactly optimal there.
 * 3. Every other component is solved by HiGHS with column generation: the first LP holds only each node's best
 *    few arcs (and greedy's); the duals `y` then price every left-out arc, those with `w − y_lot − y_demand > 0`
 *    enter, and the LP is re-solved from its basis, until no arc prices in. The final duals prove optimality
 *    on all arcs, so the result is the exact optimum, usually from a fraction of the columns.
 *
 * Allocations come out grouped by component, heaviest arcs first within each. See `docs/matching.md`, "Global
 * re-optimisation", for the figures.
 *
 * @throws if HiGHS ends an LP without an optimal status (e.g. a `time_limit` in `highsOptions` was hit).
 */
export async function optimizeAllocation(problem: AllocationProblem, options: OptimizeOptions = {}): Promise<AllocationResult> {
  const opts = {
    ...options,
    minOrder: options.minOrder ?? DEFAULTS.minOrder,
    initialArcsPerNode: options.initialArcsPerNode ?? DEFAULTS.initialArcsPerNode,
    enterPerRow: options.enterPerRow ?? DEFAULTS.enterPerRow,
    reducedCostTolerance: options.reducedCostTolerance ?? DEFAULTS.reducedCostTolerance,
  };
  const highs = options.highs ?? (await loadHighs());
  const started = performance.now();
  const { arcs, lots } = problem;
  const L = lots.length;
  const units = unitsOf(problem);
  const flow = new Float64Array(arcs.count);
  const { arcsByComponent, starts } = componentsOf(problem);
  const components: ComponentReport = { count: starts.length - 1, trivial: 0, lp: 0, largestArcs: 0 };
  const lp: LpStats = { solves: 0, columns: 0, iterations: 0, ms: 0, maxRoundingError: 0 };
  const lotSeen = new Int32Array(L).fill(-1);
  const demandSeen = new Int32Array(problem.demands.length).fill(-1);
  const perNode = new Int32Array(L + problem.demands.length);
  const emitOrder: number[] = [];
  // Components are disjoint, so one residual supply/demand pair serves all of them (and one more for the
  // greedy solutions that seed the LPs' columns).
  const residualSupply = units.supply.slice();
  const residualDemand = units.demand.slice();
  const seedSupply = units.supply.slice();
  const seedDemand = units.demand.slice();
  const seedFlow = new Float64Array(arcs.count);
  for (let c = 0; c + 1 < starts.length; c++) {
    const member = arcsByComponent.subarray(starts[c], starts[c + 1]);
    components.largestArcs = Math.max(components.largestArcs, member.length);
    let lotCount = 0;
    let demandCount = 0;
    for (let k = 0; k < member.length; k++) {
      const a = member[k];
      if (lotSeen[arcs.lot[a]] !== c) (lotSeen[arcs.lot[a]] = c), lotCount++;
      if (demandSeen[arcs.demand[a]] !== c) (demandSeen[arcs.demand[a]] = c), demandCount++;
    }
    const sorted = byWeight(arcs, member);
    if (lotCount === 1 || demandCount === 1) {
      components.trivial++;
      greedyInto(arcs, sorted, residualSupply, residualDemand, flow);
    } else {
      components.lp++;
      // Initial columns: each node's best `initialArcsPerNode` arcs, and every arc greedy uses.
      const greedyFlow = seedFlow;
      greedyInto(arcs, sorted, seedSupply, seedDemand, greedyFlow);
      const initial: number[] = [];
      for (let k = 0; k < sorted.length; k++) {
        const a = sorted[k];
        const i = arcs.lot[a];
        const j = L + arcs.demand[a];
        if (perNode[i] < opts.initialArcsPerNode || perNode[j] < opts.initialArcsPerNode || greedyFlow[a] > 0) {
          perNode[i]++;
          perNode[j]++;
          initial.push(a);
        }
      }
      solveLp(highs, problem, units, sorted, Int32Array.from(initial), flow, { tolerance: opts.reducedCostTolerance, enterPerRow: opts.enterPerRow, highsOptions: opts.highsOptions, trace: opts.trace }, lp);
    }
    for (let k = 0; k < sorted.length; k++) emitOrder.push(sorted[k]);
  }
  // Sorted within each component, which is all the repair pass needs: components share no lot or demand.
  const order = Int32Array.from(emitOrder);
  return finish(problem, units, flow, opts.minOrder, started, 'decomposed-column-generation', components, lp, () => order, order);
}

/**
 * The baseline: every arc in order of weight takes as much as its lot and demand still allow. Fast (one sort)
 * but myopic: a heavy arc can take a lot that two slightly lighter arcs needed more.
 */
export function greedyAllocation(problem: AllocationProblem, options: Pick<OptimizeOptions, 'minOrder'> = {}): AllocationResult {
  const started = performance.now();
  const units = unitsOf(problem);
  const flow = new Float64Array(problem.arcs.count);
  const order = byWeight(problem.arcs);
  greedyInto(problem.arcs, order, units.supply.slice(), units.demand.slice(), flow);
  const components: ComponentReport = { count: 0, trivial: 0, lp: 0, largestArcs: 0 };
  return finish(problem, units, flow, options.minOrder ?? DEFAULTS.minOrder, started, 'greedy', components, { solves: 0, columns: 0, iterations: 0, ms: 0, maxRoundingError: 0 }, () => order, order);
}

/**
 * The yardstick: the whole sparse instance as one HiGHS LP (no decomposition, no column generation), built from
 * typed arrays in CSC form rather than LP text. Its `lpObjective` is the exact optimum that
 * {@link optimizeAllocation} is measured against.
 */
export async function exactReference(problem: AllocationProblem, options: Omit<OptimizeOptions, 'initialArcsPerNode'> = {}): Promise<AllocationResult> {
  const highs = options.highs ?? (await loadHighs());
  const started = performance.now();
  const units = unitsOf(problem);
  const flow = new Float64Array(problem.arcs.count);
  const all = new Int32Array(problem.arcs.count);
  let n = 0;
  for (let a = 0; a < problem.arcs.count; a++) if (problem.arcs.weight[a] > 0) all[n++] = a;
  const positive = all.slice(0, n);
  const lp: LpStats = { solves: 0, columns: 0, iterations: 0, ms: 0, maxRoundingError: 0 };
  if (n > 0) solveLp(highs, problem, units, positive, positive, flow, { tolerance: Infinity, enterPerRow: 0, highsOptions: options.highsOptions }, lp);
  const components: ComponentReport = { count: 1, trivial: 0, lp: n > 0 ? 1 : 0, largestArcs: n };
  return finish(problem, units, flow, options.minOrder ?? DEFAULTS.minOrder, started, 'monolithic-lp', components, lp, () => byWeight(problem.arcs));
}
