import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { chinaDate, drainLockedBatches } from '@chanxiao/core';
import type { DataSource } from 'typeorm';
import { Listing } from './listing.entity';
import { ListingsService } from './listings.service';

const BATCH = 200;

/**
 * Expires active lots whose best-before date has passed (China calendar): each becomes `expired`, its available
 * stock leaves the market, and a `listing.expired` event tells the matcher to release its holds. Rows are taken
 * with SKIP LOCKED in small batches, so two workers never expire the same lot and a lot being edited is simply
 * picked up by the next run.
 */
@Injectable()
export class ListingExpiryService {
  private readonly logger = new Logger(ListingExpiryService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly listings: ListingsService,
  ) {}

  async expireDue(now = new Date()): Promise<number> {
    const today = chinaDate(now);
    const expired = await drainLockedBatches(
      this.dataSource,
      BATCH,
      (manager, size) =>
        manager
          .getRepository(Listing)
          .createQueryBuilder('l')
          .where(`l.status = 'active' AND l.best_before < :today`, { today })
          .orderBy('l.best_before')
          .limit(size)
          .setLock('pessimistic_write')
          .setOnLocked('skip_locked')
          .getMany(),
      async (manager, lot) => {
        await this.listings.transition(manager, lot, 'expired', today);
      },
    );
    if (expired) this.logger.log(`expired ${expired} lots past their best-before date (today ${today})`);
    return expired;
  }
}
