import { buildRegionData, type RegionRow } from '@chanxiao/regions/region-data';
import type { DemandFacts, LotFacts } from '../matching.types';

export const TODAY = '2026-11-23';

/** A feasible baseline lot; tests override one fact at a time. */
export function lot(overrides: Partial<LotFacts> = {}): LotFacts {
  return {
    id: 'lot-1',
    categoryCode: 'fruit.citrus',
    parentCategoryCode: 'fruit',
    availableGrams: 10_000_000,
    minOrderGrams: 500_000,
    unitPriceFen: 500,
    bestBefore: '2026-12-31',
    coldChain: false,
    stalled: false,
    isPovertyCounty: false,
    isSupervisedCounty: false,
    lat: 24.0,
    lon: 105.0,
    ...overrides,
  };
}

/** A baseline demand about 100 km from the baseline lot, which it can take. */
export function demand(overrides: Partial<DemandFacts> = {}): DemandFacts {
  return {
    id: 'demand-1',
    categoryCode: 'fruit.citrus',
    remainingGrams: 2_000_000,
    maxUnitPriceFen: 800,
    deliverBy: '2026-12-10',
    coldChainCapable: false,
    preferPoverty: false,
    lat: 24.9,
    lon: 105.0,
    ...overrides,
  };
}

let regions: Map<string, RegionRow> | undefined;

/** A region of the reference data (current GB/T 2260 code), loaded once per test file. */
export function region(code: string): RegionRow {
  regions ??= new Map(buildRegionData().regions.map((r) => [r.code, r]));
  const row = regions.get(code);
  if (!row) throw new Error(`no region ${code}`);
  return row;
}
