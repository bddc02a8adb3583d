import type { DataSource } from 'typeorm';
import { ASSISTANCE_CONSUMER, ASSISTANCE_EVENT_TYPES } from '@chanxiao/assistance';
import { waitFor } from './wait';

/** Waits until the matcher's assistance worker has processed every outbox event it is routed (pledge and subsidy ledgers). */
export function assistanceSettled(db: DataSource, ms = 20_000): Promise<void> {
  return waitFor(
    'the assistance worker to process every routed outbox event',
    async () =>
      Number(
        (await db.query(`SELECT count(*) AS n FROM outbox_events o WHERE o.type = ANY($1) AND NOT EXISTS (SELECT 1 FROM processed_events p WHERE p.consumer = $2 AND p.event_id = o.id)`, [ASSISTANCE_EVENT_TYPES, ASSISTANCE_CONSUMER]))[0].n,
      ) === 0,
    ms,
  );
}

