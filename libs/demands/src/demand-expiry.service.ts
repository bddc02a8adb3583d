import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { chinaDate, drainLockedBatches } from '@chanxiao/core';
import type { DataSource } from 'typeorm';
import { Demand } from './demand.entity';
import { LIVE_DEMAND_STATUSES } from './demand.state-machine';
import { DemandsService } from './demands.service';

const BATCH = 200;

/**
 * Expires open and partially filled demands whose deliver-by date has passed (China calendar), writing
 * `demand.expired` so the matcher drops their proposals. Rows are taken with SKIP LOCKED in small batches, so
 * two workers never expire the same demand and one being cancelled or filled is left to the next run.
 */
@Injectable()
export class DemandExpiryService {
  private readonly logger = new Logger(DemandExpiryService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly demands: DemandsService,
  ) {}

  async expireDue(now = new Date()): Promise<number> {
    const today = chinaDate(now);
    const expired = await drainLockedBatches(
      this.dataSource,
      BATCH,
      (manager, size) =>
        manager
          .getRepository(Demand)
          .createQueryBuilder('d')
          .where('d.status IN (:...live) AND d.deliver_by < :today', { live: LIVE_DEMAND_STATUSES, today })
          .orderBy('d.deliver_by')
          .limit(size)
          .setLock('pessimistic_write')
          .setOnLocked('skip_locked')
          .getMany(),
      async (manager, demand) => {
        await this.demands.transition(manager, demand, 'expired', today);
      },
    );
    if (expired) this.logger.log(`expired ${expired} demands past their deliver-by date (today ${today})`);
    return expired;
  }
}
