import { Injectable } from '@nestjs/common';
import { AppConfig, chinaDate, groupBy } from '@chanxiao/core';
import { buildArcs, type MatchWeights } from '@chanxiao/matching';
import type { EntityManager } from 'typeorm';
import { ProposalHoldsService, type ProposalCandidate } from '../proposal-holds.service';
import type { Proposal } from '../proposal.entity';
import { loadDemands, loadLots, type MatchDemand, type MatchLot, matchWeightsFrom } from './match-facts';

const LIVE = `('proposed', 'accepted_by_buyer', 'accepted_by_seller')`;
// A pair with a live proposal, or one a side declined or let expire, is not a candidate (the holds service checks again under lock).
const TAKEN = `(p.status IN ('proposed', 'accepted_by_buyer', 'accepted_by_seller', 'expired') OR (p.status = 'declined' AND p.close_reason IN ('buyer', 'seller')))`;
// How many counterparts are scored per category: the database pre-filters on the cheap conditions, JS scores the rest.
const SCAN_LIMIT = 2000;
// Candidates proposed beyond what should suffice, in case some are refused under lock.
const SPARES = 3;

/**
 * Incremental matching: when a lot is published (or gets stock back) or a demand opens, find the best feasible
 * counterparts and propose to them right away, best score first, until the stock, the demand or the limits run
 * out. SQL narrows by category, dates and the counterpart's proposal limit; `buildArcs` from `@chanxiao/matching`
 * decides feasibility (price, cold chain, transit time against deliver-by and best-before) and the score;
 * {@link ProposalHoldsService} takes the holds.
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

  /**
   * Matches several lots and demands at once, in the caller's transaction (the events worker hands over a batch of
   * events): each lot against live demands of its category or group, each demand against active lots, every lot
   * and demand keeping its own best few candidates; then all of them, best score first, go to one `proposeAll`
   * (one set of locks, one write). Counterparts at their proposal limit and pairs already taken are left out before
   * ranking, so the few that are locked are ones that can be used.
   */
  async match(manager: EntityManager, batch: { lotIds: string[]; demandIds: string[] }, today = chinaDate()): Promise<Proposal[]> {
    const lotIds = [...new Set(batch.lotIds)];
    const demandIds = [...new Set(batch.demandIds)];
    const lots = lotIds.length ? await loadLots(manager, 'l.id = ANY($1::uuid[])', [lotIds]) : [];
    const demands = demandIds.length ? await loadDemands(manager, 'd.id = ANY($1::uuid[])', [demandIds]) : [];
    if (!lots.length && !demands.length) return [];
    const lotCategories = [...new Set(lots.flatMap((l) => [l.categoryCode, l.parentCategoryCode ?? l.categoryCode]))];
    const demandCategories = [...new Set(demands.map((d) => d.categoryCode))];
    const scan = (categories: number) => Math.min(SCAN_LIMIT * Math.max(1, categories), 4 * SCAN_LIMIT);
    const counterDemands = lots.length
      ? await loadDemands(
          manager,
          `d.category_code = ANY($1::text[]) AND d.deliver_by >= $2::date AND (SELECT count(*) FROM proposals p WHERE p.demand_id = d.id AND p.status IN ${LIVE}) < $3`,
          [lotCategories, today, this.config.MATCH_MAX_PROPOSALS_PER_DEMAND],
          `ORDER BY d.deliver_by, d.id LIMIT ${scan(lotCategories.length)}`,
        )
      : [];
    const counterLots = demands.length
      ? await loadLots(
          manager,
          `(l.category_code = ANY($1::text[]) OR c.parent_code = ANY($1::text[])) AND l.best_before >= $2::date
           AND (SELECT count(*) FROM proposals p WHERE p.listing_id = l.id AND p.status IN ${LIVE}) < $3`,
          [demandCategories, today, this.config.MATCH_MAX_PROPOSALS_PER_LOT],
          `ORDER BY l.best_before, l.id LIMIT ${scan(demandCategories.length)}`,
        )
      : [];
    const taken = await this.takenPairs(manager, lotIds, demandIds);
    const free = (c: ProposalCandidate) => !taken.has(`${c.demandId}/${c.listingId}`);
    const chosen = new Map<string, ProposalCandidate>();
    // One ranking for all the batch's lots and one for its demands (buildArcs buckets the counterparts once), then
    // each lot and demand takes its own best few, in score order.
    const byLot = groupBy(this.rank(lots, counterDemands, today).filter(free), (c) => c.listingId);
    for (const lot of lots) {
      for (const c of this.enough(byLot.get(lot.id) ?? [], lot.availableGrams, this.config.MATCH_MAX_PROPOSALS_PER_LOT)) chosen.set(`${c.demandId}/${c.listingId}`, c);
    }
    const byDemand = groupBy(this.rank(counterLots, demands, today).filter(free), (c) => c.demandId);
    for (const demand of demands) {
      for (const c of this.enough(byDemand.get(demand.id) ?? [], demand.remainingGrams, this.config.MATCH_MAX_PROPOSALS_PER_DEMAND)) chosen.set(`${c.demandId}/${c.listingId}`, c);
    }
    return this.holds.proposeAll(manager, byScore([...chosen.values()]), 'incremental');
  }

  /** Pairs involving these lots or demands that are not to be proposed: live, declined by a side, or let expire. */
  private async takenPairs(manager: EntityManager, lotIds: string[], demandIds: string[]): Promise<Set<string>> {
    const rows: { demand_id: string; listing_id: string }[] = await manager.query(
      `SELECT demand_id, listing_id FROM proposals p
        WHERE (p.listing_id = ANY($1::uuid[]) OR p.demand_id = ANY($2::uuid[])) AND ${TAKEN}`,
      [lotIds, demandIds],
    );
    return new Set(rows.map((r) => `${r.demand_id}/${r.listing_id}`));
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
  private rank(lots: MatchLot[], demands: MatchDemand[], today: string): ProposalCandidate[] {
    const { arcs } = buildArcs(lots, demands, today, this.weights);
    const candidates: ProposalCandidate[] = [];
    for (let a = 0; a < arcs.count; a++) {
      const lot = lots[arcs.lot[a]];
      const demand = demands[arcs.demand[a]];
      if (lot.organizationId === demand.organizationId) continue;
      candidates.push({ demandId: demand.id, listingId: lot.id, grams: arcs.capacityGrams[a], score: arcs.weight[a] });
    }
    return byScore(candidates);
  }
}

/** Best score first; ties by lot, then demand id, so runs are reproducible. */
function byScore(candidates: ProposalCandidate[]): ProposalCandidate[] {
  return candidates.sort((a, b) => b.score - a.score || (a.listingId < b.listingId ? -1 : a.listingId > b.listingId ? 1 : a.demandId < b.demandId ? -1 : 1));
}
