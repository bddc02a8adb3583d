import { Injectable } from '@nestjs/common';
import { AppConfig, chinaDate } from '@chanxiao/core';
import { buildArcs, type MatchWeights } from '@chanxiao/matching';
import type { EntityManager } from 'typeorm';
import { ProposalHoldsService, type ProposalCandidate } from '../proposal-holds.service';
import type { Proposal } from '../proposal.entity';
import { loadDemands, loadLots, type MatchDemand, type MatchLot, matchWeightsFrom } from './match-facts';

const LIVE = `('proposed', 'accepted_by_buyer', 'accepted_by_seller')`;
// Pairs with a live proposal, or one a side declined or let expire, are not candidates (the holds service checks again under lock).
const PAIR_TAKEN = `EXISTS (SELECT 1 FROM proposals p WHERE p.demand_id = d.id AND p.listing_id = l.id
                      AND (p.status IN ('proposed', 'accepted_by_buyer', 'accepted_by_seller', 'expired') OR (p.status = 'declined' AND p.close_reason IN ('buyer', 'seller'))))`;
// How many counterparts are scored per event: the database pre-filters on the cheap conditions, JS scores the rest.
const SCAN_LIMIT = 2000;
// Candidates proposed beyond what should suffice, in case some are refused under lock.
const SPARES = 3;

/**
 * Incremental matching: when a lot is published (or gets stock back) or a demand opens, find the best feasible
 * counterparts and propose to them right away, best score first, until the stock, the demand or the limits run
 * out. SQL narrows by category, price, dates, cold chain and the counterpart's proposal limit; `@chanxiao/matching` decides feasibility (transit
 * time against deliver-by and best-before) and the score; {@link ProposalHoldsService} takes the holds.
 */
@Injectable()
export class IncrementalMatcherService {
  readonly weights: MatchWeights;

  constructor(
    private readonly holds: ProposalHoldsService,
    private readonly config: AppConfig,
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
       AND NOT EXISTS (SELECT 1 FROM listings l WHERE l.id = $6 AND ${PAIR_TAKEN})
       AND (SELECT count(*) FROM proposals p WHERE p.demand_id = d.id AND p.status IN ${LIVE}) < $7`,
      [lot.categoryCode, lot.parentCategoryCode ?? lot.categoryCode, lot.unitPriceFen, today, lot.coldChain, lot.id, this.config.MATCH_MAX_PROPOSALS_PER_DEMAND],
      `ORDER BY d.deliver_by, d.id LIMIT ${SCAN_LIMIT}`,
    );
    const ranked = this.rank([lot], demands, today);
    return this.holds.proposeAll(manager, this.enough(ranked, lot.availableGrams, this.config.MATCH_MAX_PROPOSALS_PER_LOT), 'incremental');
  }

  async matchDemand(manager: EntityManager, demandId: string, today = chinaDate()): Promise<Proposal[]> {
    const [demand] = await loadDemands(manager, 'd.id = $1', [demandId]);
    if (!demand) return [];
    const lots = await loadLots(
      manager,
      `(l.category_code = $1 OR c.parent_code = $1) AND l.unit_price_fen <= $2 AND l.best_before >= $3::date AND (NOT l.cold_chain OR $4)
       AND NOT EXISTS (SELECT 1 FROM demands d WHERE d.id = $5 AND ${PAIR_TAKEN})
       AND (SELECT count(*) FROM proposals p WHERE p.listing_id = l.id AND p.status IN ${LIVE}) < $6`,
      [demand.categoryCode, demand.maxUnitPriceFen, today, demand.coldChainCapable, demand.id, this.config.MATCH_MAX_PROPOSALS_PER_LOT],
      `ORDER BY l.best_before, l.id LIMIT ${SCAN_LIMIT}`,
    );
    const ranked = this.rank(lots, [demand], today);
    return this.holds.proposeAll(manager, this.enough(ranked, demand.remainingGrams, this.config.MATCH_MAX_PROPOSALS_PER_DEMAND), 'incremental');
  }

  /**
   * The best candidates that can plausibly be used: until their grams cover `grams` or their number reaches
   * `limit`, plus a few spares for those the holds service will refuse under lock (a limit reached, a buyer's
   * share, a race). Only these rows are locked, so concurrent matches of one category do not queue on every demand.
   */
  private enough(ranked: ProposalCandidate[], grams: number, limit: number): ProposalCandidate[] {
    let covered = 0;
    let count = 0;
    while (count < ranked.length && count < limit && covered < grams) covered += ranked[count++].grams;
    return ranked.slice(0, count + SPARES);
  }

  /**
   * Every feasible pair of `lots` × `demands` as a candidate, best score first (ties: the lot, then the demand, by
   * id). The pairs and scores come from `buildArcs`, the re-optimiser's: exactly `feasibility` and `score`
   * (property-tested), with dates as day numbers and far pairs ruled out before any trigonometry.
   */
  rank(lots: MatchLot[], demands: MatchDemand[], today: string): ProposalCandidate[] {
    const { arcs } = buildArcs(lots, demands, today, this.weights);
    const candidates: ProposalCandidate[] = [];
    for (let a = 0; a < arcs.count; a++) {
      const lot = lots[arcs.lot[a]];
      const demand = demands[arcs.demand[a]];
      if (lot.organizationId === demand.organizationId) continue;
      candidates.push({ demandId: demand.id, listingId: lot.id, grams: arcs.capacityGrams[a], score: arcs.weight[a] });
    }
    return candidates.sort((a, b) => b.score - a.score || (a.listingId < b.listingId ? -1 : a.listingId > b.listingId ? 1 : a.demandId < b.demandId ? -1 : 1));
  }
}
