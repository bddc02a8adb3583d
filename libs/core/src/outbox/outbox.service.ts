import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { OutboxEvent } from './outbox-event.entity';

export interface DomainEvent {
  type: string;
  aggregateType: string;
  aggregateId: string;
  payload: Record<string, unknown>;
}

/**
 * Writes domain events into the outbox. Always pass the `EntityManager` of the transaction that makes the
 * change, so the event exists exactly when the change does; Redis being down cannot lose it or fail the request.
 */
@Injectable()
export class OutboxService {
  async write(manager: EntityManager, event: DomainEvent): Promise<OutboxEvent> {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error(`outbox event ${event.type} must be written inside the transaction that makes the change`);
    }
    return manager.getRepository(OutboxEvent).save(manager.getRepository(OutboxEvent).create(event));
  }

  /**
   * The outbox INSERT as a data-modifying CTE body, for a caller whose whole write is one statement. `events` is
   * the SQL of a jsonb array of `{ type, aggregate_type, aggregate_id, payload }`; rows go in only when `guard` holds.
   */
  insertSql(events: string, guard = 'true'): string {
    return `INSERT INTO outbox_events (type, aggregate_type, aggregate_id, payload)
            SELECT type, aggregate_type, aggregate_id, payload
              FROM jsonb_to_recordset(${events}::jsonb) AS e(type text, aggregate_type text, aggregate_id text, payload jsonb)
             WHERE ${guard}`;
  }

  /** Writes many events in one INSERT (bulk operations such as a spreadsheet import). */
  async writeMany(manager: EntityManager, events: DomainEvent[]): Promise<void> {
    if (!manager.queryRunner?.isTransactionActive) throw new Error('outbox events must be written inside the transaction that makes the change');
    if (events.length) await manager.getRepository(OutboxEvent).insert(events as QueryDeepPartialEntity<OutboxEvent>[]);
  }
}
