import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { chinaDate, MetricsService } from '@chanxiao/core';
import { buildArcs, optimizeAllocation } from '@chanxiao/matching';
import { Gauge } from 'prom-client';
import type { DataSource } from 'typeorm';
import { ProposalHoldsService, type ProposalCandidate } from '../proposal-holds.service';
import { ProposalsService } from '../proposals.service';
import { IncrementalMatcherService } from './incremental-matcher.service';
import { loadDemands, loadLots } from './match-facts';

/** One re-optimisation run, as the CLI prints it and the job returns it. */
export interface OptimizeReport {
  /** False when another run held the lock: nothing was done. */
  ran: boolean;
  lots: number;
  demands: number;
  pairs: number;
  /** Σ score × kg of the allocation the solver returned, and of the LP optimum (an upper bound). */
  objective: number;
  lpObjective: number;
  allocations: number;
  /** Proposals actually stored (an allocation is skipped if the world moved or a limit or a declined pair refuses it). */
  proposed: number;
  proposedKg: number;
  /** Σ score × kg of the stored proposals. */
  proposedObjective: number;
  solveMs: number;
  totalMs: number;
}

// An arbitrary constant: the advisory lock key that lets one re-optimisation run at a time across processes.
const OPTIMIZE_LOCK = 0x63785f6f;
const CHUNK = 100;

/**
 * The periodic global re-optimisation: all live demand (net of holds) against all unheld active stock, solved as
 * a transportation problem by `@chanxiao/matching`'s optimiser (exact, see docs/matching.md), the allocations then
 * stored as proposals best first, in chunks of 100 with the same holds, locks and limits as incremental matching.
 * A crash mid-way leaves the chunks committed so far, which the next run builds on; a pg advisory lock keeps two
 * runs (two matchers' schedules, the CLI) from overlapping.
 */
@Injectable()
export class MatchOptimizerService {
  private readonly logger = new Logger(MatchOptimizerService.name);
  private readonly objectiveGauge: Gauge;
  private readonly secondsGauge: Gauge;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly holds: ProposalHoldsService,
    private readonly proposals: ProposalsService,
    private readonly matcher: IncrementalMatcherService,
    metrics: MetricsService,
  ) {
    this.objectiveGauge = new Gauge({ name: 'match_optimize_objective', help: 'Score-weighted kg of the last re-optimisation: solver allocation and stored proposals', labelNames: ['what'], registers: [metrics.registry] });
    this.secondsGauge = new Gauge({ name: 'match_optimize_seconds', help: 'Wall time of the last re-optimisation, and of its solve', labelNames: ['what'], registers: [metrics.registry] });
  }

  /** The score weights (MATCH_WEIGHTS), the same as incremental matching's. */
  get weights() {
    return this.matcher.weights;
  }

  async optimize(today = chinaDate()): Promise<OptimizeReport> {
    const started = Date.now();
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const [{ locked }] = (await runner.query(`SELECT pg_try_advisory_lock($1) AS locked`, [OPTIMIZE_LOCK])) as { locked: boolean }[];
      if (!locked) return { ran: false, lots: 0, demands: 0, pairs: 0, objective: 0, lpObjective: 0, allocations: 0, proposed: 0, proposedKg: 0, proposedObjective: 0, solveMs: 0, totalMs: Date.now() - started };
      try {
        return await this.run(today, started);
      } finally {
        await runner.query(`SELECT pg_advisory_unlock($1)`, [OPTIMIZE_LOCK]);
      }
    } finally {
      await runner.release();
    }
  }

  private async run(today: string, started: number): Promise<OptimizeReport> {
    const manager = this.dataSource.manager;
    const lots = await loadLots(manager, `l.best_before >= $1::date`, [today]);
    const demands = await loadDemands(manager, `d.deliver_by >= $1::date`, [today]);
    const problem = buildArcs(lots, demands, today, this.weights);
    const result = await optimizeAllocation(problem);
    const candidates: ProposalCandidate[] = result.allocations
      .map((a) => ({ demandId: a.demandId, listingId: a.lotId, grams: a.grams, score: a.weight }))
      .sort((a, b) => b.score - a.score);
    let proposed = 0;
    let proposedGrams = 0;
    let proposedObjective = 0;
    for (let i = 0; i < candidates.length; i += CHUNK) {
      const created = await this.dataSource.transaction((m) => this.holds.proposeAll(m, candidates.slice(i, i + CHUNK), 'optimizer'));
      await this.proposals.scheduleExpiry(created);
      proposed += created.length;
      for (const p of created) {
        proposedGrams += p.quantityGrams;
        proposedObjective += (p.score * p.quantityGrams) / 1000;
      }
    }
    const report: OptimizeReport = {
      ran: true, lots: lots.length, demands: demands.length, pairs: problem.arcs.count,
      objective: Math.round(result.objective), lpObjective: Math.round(result.lpObjective), allocations: result.allocations.length,
      proposed, proposedKg: proposedGrams / 1000, proposedObjective: Math.round(proposedObjective),
      solveMs: Math.round(result.solveMs), totalMs: Date.now() - started,
    };
    this.objectiveGauge.set({ what: 'solver' }, report.objective);
    this.objectiveGauge.set({ what: 'proposed' }, report.proposedObjective);
    this.secondsGauge.set({ what: 'total' }, report.totalMs / 1000);
    this.secondsGauge.set({ what: 'solve' }, report.solveMs / 1000);
    this.logger.log(`re-optimisation: ${report.lots} lots × ${report.demands} demands, ${report.pairs} pairs, ${report.allocations} allocations → ${report.proposed} proposals in ${report.totalMs} ms`);
    return report;
  }
}
