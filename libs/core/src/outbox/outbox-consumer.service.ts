import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

/** What the relay puts in an `events` job: the outbox row. `id` is the outbox id as a decimal string. */
export interface RelayedEvent {
  id: string;
  type: string;
  aggregateType: string;
  aggregateId: string;
  payload: Record<string, unknown>;
  /** ISO 8601. */
  createdAt: string;
}

/**
 * Makes an event consumer idempotent: BullMQ delivers at least once (a worker can die after its work committed
 * but before the job was acknowledged), so each consumer records the events it processed.
 */
@Injectable()
export class OutboxConsumerService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Runs `work` and records `(consumer, eventId)` in one transaction, unless that pair is already recorded.
   * Returns whether `work` ran. `work` must do its writes through the given manager.
   */
  async processOnce(consumer: string, eventId: string | number, work: (manager: EntityManager) => Promise<void>): Promise<boolean> {
    return (await this.processMany(consumer, [eventId], (manager) => work(manager))).size === 1;
  }

  /**
   * {@link processOnce} for several events in one transaction: claims the ones not yet recorded, runs `work` with
   * just those, and records them, all or nothing. Returns the ids that were claimed. Claiming comes first: a
   * concurrent redelivery waits on the primary key until this transaction ends, then sees the row (skips) or, if
   * this one rolled back, does the work itself.
   */
  processMany(consumer: string, eventIds: (string | number)[], work: (manager: EntityManager, claimed: Set<string>) => Promise<void>): Promise<Set<string>> {
    return this.dataSource.transaction(async (manager) => {
      const rows: { event_id: string }[] = await manager.query(
        `INSERT INTO processed_events (consumer, event_id) SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING RETURNING event_id::text`,
        // In id order, so two overlapping batches wait on each other instead of deadlocking.
        [consumer, [...new Set(eventIds.map(String))].sort((a, b) => Number(a) - Number(b))],
      );
      const claimed = new Set(rows.map((r) => r.event_id));
      if (claimed.size) await work(manager, claimed);
      return claimed;
    });
  }
}
