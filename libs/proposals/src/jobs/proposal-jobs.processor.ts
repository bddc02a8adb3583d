import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { jobSchedules, QueueName } from '@chanxiao/core';
import { MatchOptimizerService } from '../matching/match-optimizer.service';
import { ProposalsService } from '../proposals.service';

/** Jobs on the proposals queue and their payloads. */
export type ProposalJob =
  | { name: 'expire'; data: { proposalId: string } }
  | { name: 'sweep'; data: Record<string, never> }
  | { name: 'optimize'; data: Record<string, never> };

/** Proposal deadlines in the matcher; each job is one service call, safe to run twice. */
@Processor(QueueName.Proposals)
export class ProposalJobsProcessor extends WorkerHost {
  constructor(
    private readonly proposals: ProposalsService,
    private readonly optimizer: MatchOptimizerService,
  ) {
    super();
  }

  async process(job: Job): Promise<unknown> {
    const { name, data } = job as unknown as ProposalJob;
    if (name === 'expire') return { expired: await this.proposals.expireIfDue(data.proposalId) };
    if (name === 'sweep') return { expired: await this.proposals.sweep() };
    if (name === 'optimize') return this.optimizer.optimize();
    throw new Error(`unknown proposals job ${job.name}`);
  }
}

/**
 * Keeps the expiry sweep scheduled (it catches proposals whose delayed expiry job was lost) and the global
 * re-optimisation every MATCH_OPTIMIZE_INTERVAL_MINUTES (0 removes it); the first re-optimisation runs at start-up.
 */
export const ProposalSweepScheduler = jobSchedules(QueueName.Proposals, (c) => [
  { id: 'sweep-proposals', job: 'sweep', repeat: { every: c.PROPOSAL_SWEEP_INTERVAL_SECONDS * 1000 } },
  { id: 'optimize-matching', job: 'optimize', repeat: c.MATCH_OPTIMIZE_INTERVAL_MINUTES > 0 ? { every: c.MATCH_OPTIMIZE_INTERVAL_MINUTES * 60_000 } : null },
]);
