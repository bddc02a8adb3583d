import { DEFAULT_MATCH_WEIGHTS, type DemandFacts, type LotFacts, type MatchWeights, matchWeightProblems } from '@chanxiao/matching';
import type { AppConfig } from '@chanxiao/core';
import type { EntityManager } from 'typeorm';

/** A lot as the matcher reads it: its facts plus whom it belongs to and what it may still hold. */
export interface MatchLot extends LotFacts {
  organizationId: string;
  /** Grams held or ordered (reserved): with `availableGrams`, the stock a buyer's share is measured against. */
  reservedGrams: number;
}

/** A demand as the matcher reads it; `remainingGrams` is already net of what proposals hold. */
export interface MatchDemand extends DemandFacts {
  organizationId: string;
}

const LOT_SQL = `
  SELECT l.id, l.organization_id, l.category_code, c.parent_code, l.available_grams, l.reserved_grams, l.min_order_grams, l.unit_price_fen,
         to_char(l.best_before, 'YYYY-MM-DD') AS best_before, l.cold_chain, l.stalled, l.is_poverty_county, l.is_supervised_county, l.lat, l.lon
    FROM listings l JOIN categories c ON c.code = l.category_code`;

const DEMAND_SQL = `
  SELECT d.id, d.organization_id, d.category_code, d.quantity_grams - d.filled_grams - d.held_grams AS remaining_grams, d.max_unit_price_fen,
         to_char(d.deliver_by, 'YYYY-MM-DD') AS deliver_by, d.cold_chain_capable, d.prefer_poverty, r.lat, r.lon
    FROM demands d JOIN regions r ON r.code = d.destination_region_code`;

/** Active lots with stock available, filtered by `where` over `l` (and `c`, its category); `tail` may order and limit. */
export async function loadLots(manager: EntityManager, where: string, parameters: unknown[] = [], tail = ''): Promise<MatchLot[]> {
  const rows: Record<string, unknown>[] = await manager.query(
    `${LOT_SQL} WHERE l.status = 'active' AND l.available_grams > 0 AND (${where}) ${tail}`,
    parameters,
  );
  return rows.map((r) => ({
    id: String(r.id),
    organizationId: String(r.organization_id),
    categoryCode: String(r.category_code),
    parentCategoryCode: r.parent_code === null ? null : String(r.parent_code),
    availableGrams: Number(r.available_grams),
    reservedGrams: Number(r.reserved_grams),
    minOrderGrams: Number(r.min_order_grams),
    unitPriceFen: Number(r.unit_price_fen),
    bestBefore: String(r.best_before),
    coldChain: Boolean(r.cold_chain),
    stalled: Boolean(r.stalled),
    isPovertyCounty: Boolean(r.is_poverty_county),
    isSupervisedCounty: Boolean(r.is_supervised_county),
    lat: Number(r.lat),
    lon: Number(r.lon),
  }));
}

/** Live demands that still want something beyond what proposals hold, filtered by `where` over `d`; `tail` may order and limit. */
export async function loadDemands(manager: EntityManager, where: string, parameters: unknown[] = [], tail = ''): Promise<MatchDemand[]> {
  const rows: Record<string, unknown>[] = await manager.query(
    `${DEMAND_SQL} WHERE d.status IN ('open', 'partially_filled') AND d.quantity_grams - d.filled_grams - d.held_grams > 0 AND (${where}) ${tail}`,
    parameters,
  );
  return rows.map((r) => ({
    id: String(r.id),
    organizationId: String(r.organization_id),
    categoryCode: String(r.category_code),
    remainingGrams: Number(r.remaining_grams),
    maxUnitPriceFen: Number(r.max_unit_price_fen),
    deliverBy: String(r.deliver_by),
    coldChainCapable: Boolean(r.cold_chain_capable),
    preferPoverty: Boolean(r.prefer_poverty),
    lat: Number(r.lat),
    lon: Number(r.lon),
  }));
}

/** The score weights: the defaults with MATCH_WEIGHTS (JSON) over them; throws naming any weight out of range. */
export function matchWeightsFrom(config: Pick<AppConfig, 'MATCH_WEIGHTS'>): MatchWeights {
  let overrides: Record<string, unknown> = {};
  if (config.MATCH_WEIGHTS.trim()) {
    try {
      overrides = JSON.parse(config.MATCH_WEIGHTS) as Record<string, unknown>;
    } catch {
      throw new Error('Invalid configuration: MATCH_WEIGHTS must be a JSON object such as {"supervisedCounty":8}');
    }
    if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides)) {
      throw new Error('Invalid configuration: MATCH_WEIGHTS must be a JSON object such as {"supervisedCounty":8}');
    }
    const unknown = Object.keys(overrides).filter((k) => !(k in DEFAULT_MATCH_WEIGHTS));
    if (unknown.length) {
      throw new Error(`Invalid configuration: MATCH_WEIGHTS has unknown weights ${unknown.join(', ')}; known: ${Object.keys(DEFAULT_MATCH_WEIGHTS).join(', ')}`);
    }
  }
  const weights = { ...DEFAULT_MATCH_WEIGHTS, ...overrides } as MatchWeights;
  const problems = matchWeightProblems(weights);
  if (problems.length) throw new Error(`Invalid configuration: MATCH_WEIGHTS: ${problems.join('; ')}`);
  return weights;
}
