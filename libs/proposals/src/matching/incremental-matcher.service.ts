import { Injectable } from '@nestjs/common';
import { AppConfig, chinaDate } from '@chanxiao/core';
import { feasibility, type MatchWeights, score } from '@chanxiao/matching';
import type { EntityManager } from 'typeorm';
import { ProposalHoldsService, type ProposalCandidate } from '../proposal-holds.service';
import type { Proposal } from '../proposal.entity';
import { loadDemands, loadLots, type MatchDemand, type MatchLot, matchWeightsFrom } from './match-facts';

// Pairs with a live proposal, or one a side declined or let expire, are not candidates (the holds service checks again under lock).
const PAIR_TAKEN = `EXISTS (SELECT 1 FROM proposals p WHERE p.demand_id = d.id AND p.listing_id = l.id
                      AND (p.status IN ('proposed', 'accepted_by_buyer', 'accepted_by_seller', 'expired') OR (p.status = 'declined' AND p.close_reason IN ('buyer', 'seller'))))`;
// How many counterparts are scored per event: the database pre-filters on the cheap conditions, JS scores the rest.
const SCAN_LIMIT = 2000;

/**
 * Incremental matching: when a lot is published (or gets stock back) or a demand opens, find the best feasible
 * counterparts and propose to them right away, best score first, until the stock, the demand or the limits run
 * out. SQL narrows by category, price, dates and cold chain; `@chanxiao/matching` decides feasibility (transit
 * time against deliver-by and best-before) and the score; {@link ProposalHoldsService} takes the holds.
 */
@Injectable()
export class IncrementalMatcherService {
  readonly weights: MatchWeights;

  constructor(
    private readonly holds: ProposalHoldsService,
    config: AppConfig,
  ) {
    // Read at boot, so a bad MATCH_WEIGHTS stops the matcher with a message naming the weight.
    this.weights = matchWeightsFrom(config);
  }

  async matchLot(manager: EntityManager, listingId: string, today = chinaDate()): Promise<Proposal[]> {
    const [lot] = await loadLots(manager, 'l.id = $1', [listingId]);
    if (!lot) return [];
    const demands = await loadDemands(
      manager,
      `(d.category_code = $1 OR d.category_code = $2) AND d.max_unit_price_fen >= $3 AND d.deliver_by >= $4::date AND (d.cold_chain_capable OR NOT $5)
       AND NOT EXISTS (SELECT 1 FROM listings l WHERE l.id = $6 AND ${PAIR_TAKEN})`,
      [lot.categoryCode, lot.parentCategoryCode ?? lot.categoryCode, lot.unitPriceFen, today, lot.coldChain, lot.id],
      `ORDER BY d.deliver_by, d.id LIMIT ${SCAN_LIMIT}`,
    );
    return this.holds.proposeAll(manager, this.rank([lot], demands, today), 'incremental');
  }

  async matchDemand(manager: EntityManager, demandId: string, today = chinaDate()): Promise<Proposal[]> {
    const [demand] = await loadDemands(manager, 'd.id = $1', [demandId]);
    if (!demand) return [];
    const lots = await loadLots(
      manager,
      `(l.category_code = $1 OR c.parent_code = $1) AND l.unit_price_fen <= $2 AND l.best_before >= $3::date AND (NOT l.cold_chain OR $4)
       AND NOT EXISTS (SELECT 1 FROM demands d WHERE d.id = $5 AND ${PAIR_TAKEN})`,
      [demand.categoryCode, demand.maxUnitPriceFen, today, demand.coldChainCapable, demand.id],
      `ORDER BY l.best_before, l.id LIMIT ${SCAN_LIMIT}`,
    );
    return this.holds.proposeAll(manager, this.rank(lots, [demand], today), 'incremental');
  }

  /** Every feasible pair of `lots` × `demands` as a candidate, best score first (ties: the lot, then the demand, by id). */
  rank(lots: MatchLot[], demands: MatchDemand[], today: string): ProposalCandidate[] {
    const candidates: ProposalCandidate[] = [];
    for (const lot of lots) {
      for (const demand of demands) {
        if (lot.organizationId === demand.organizationId || !feasibility(lot, demand, today).ok) continue;
        candidates.push({ demandId: demand.id, listingId: lot.id, grams: Math.min(lot.availableGrams, demand.remainingGrams), score: score(lot, demand, today, this.weights) });
      }
    }
    return candidates.sort((a, b) => b.score - a.score || (a.listingId < b.listingId ? -1 : a.listingId > b.listingId ? 1 : a.demandId < b.demandId ? -1 : 1));
  }
}
