/**
 * Generated matching instances from the real reference data: lots in the 832 poverty counties (at their current
 * county centroids, with the 挂牌督战 flag), demands in the other counties and city districts, categories and
 * shelf lives from the real taxonomy. A seeded PRNG (mulberry32) makes every instance reproducible.
 */
import { CATEGORY_TAXONOMY } from '@chanxiao/categories/category-taxonomy';
import type { DemandFacts, LotFacts } from '@chanxiao/matching';
import { addDays } from '@chanxiao/core/time/china-date.util';
import { buildRegionData, type RegionRow } from '@chanxiao/regions/region-data';

/** A seeded PRNG in [0, 1): mulberry32. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Typical bulk farm-gate price by group, fen per kg (lots and ceilings scatter around a per-leaf reference). */
const GROUP_PRICE_FEN: Record<string, [number, number]> = {
  fruit: [300, 1500], veg: [80, 500], meat: [1500, 6000], aqua: [1200, 6000], grain: [300, 3000],
  coarse: [400, 1500], fungi: [1000, 12000], tea: [8000, 40000], herb: [2000, 10000], nut: [1500, 8000], spice: [1000, 6000], bee: [3000, 12000],
};

let regionCache: RegionRow[] | undefined;

export interface MatchingInstance {
  today: string;
  lots: LotFacts[];
  demands: DemandFacts[];
}

/** `lotCount` lots and `demandCount` demands on `today`, reproducible from `seed`. */
export function generateInstance(lotCount: number, demandCount: number, seed = 20201123, today = '2026-11-23'): MatchingInstance {
  const random = mulberry32(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  regionCache ??= buildRegionData().regions;
  const counties = regionCache.filter((r) => r.level === 3);
  const poverty = counties.filter((r) => r.isPovertyCounty);
  const others = counties.filter((r) => !r.isPovertyCounty);
  // Buyers sit mostly in city districts (wholesale markets, canteens, e-commerce warehouses).
  const destinations = [...others, ...others.filter((r) => r.name.endsWith('区')), ...others.filter((r) => r.name.endsWith('区'))];
  const leaves = CATEGORY_TAXONOMY.filter((c) => c.parentCode !== null);
  const groups = CATEGORY_TAXONOMY.filter((c) => c.parentCode === null);
  const reference = new Map<string, number>();
  for (const leaf of leaves) {
    const [lo, hi] = GROUP_PRICE_FEN[leaf.parentCode!] ?? [300, 3000];
    reference.set(leaf.code, int(lo, hi));
  }
  for (const group of groups) {
    const own = leaves.filter((l) => l.parentCode === group.code).map((l) => reference.get(l.code)!);
    reference.set(group.code, Math.round(own.reduce((s, p) => s + p, 0) / Math.max(1, own.length)));
  }

  const lots: LotFacts[] = [];
  for (let i = 0; i < lotCount; i++) {
    const county = pick(poverty);
    const leaf = pick(leaves);
    const available = int(1, 50) * 1000 * 1000; // 1–50 t, in grams
    lots.push({
      id: `lot-${i}`,
      categoryCode: leaf.code,
      parentCategoryCode: leaf.parentCode,
      availableGrams: available,
      minOrderGrams: int(1, 20) * 100 * 1000, // 100 kg – 2 t
      unitPriceFen: Math.round(reference.get(leaf.code)! * (0.7 + 0.6 * random())),
      bestBefore: addDays(today, 1 + int(0, 2 * leaf.typicalShelfLifeDays)),
      coldChain: leaf.coldChainRequired,
      stalled: random() < 1 / 3,
      isPovertyCounty: county.isPovertyCounty,
      isSupervisedCounty: county.isSupervisedCounty,
      lat: county.lat,
      lon: county.lon,
    });
  }
  const demands: DemandFacts[] = [];
  for (let j = 0; j < demandCount; j++) {
    const destination = pick(destinations);
    const category = random() < 0.8 ? pick(leaves).code : pick(groups).code;
    demands.push({
      id: `demand-${j}`,
      categoryCode: category,
      remainingGrams: int(1, 40) * 1000 * 1000, // 1–40 t
      maxUnitPriceFen: Math.round(reference.get(category)! * (0.95 + 0.6 * random())),
      deliverBy: addDays(today, int(3, 10)),
      coldChainCapable: random() < 0.5,
      preferPoverty: random() < 0.3,
      lat: destination.lat,
      lon: destination.lon,
    });
  }
  return { today, lots, demands };
}
