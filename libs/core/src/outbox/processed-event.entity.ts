import { CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** One event a consumer has already processed; its primary key is what makes a redelivery a no-op. */
@Entity({ name: 'processed_events' })
export class ProcessedEvent {
  /** The consumer's stable name, e.g. `matching.incremental`. */
  @PrimaryColumn({ type: 'text' })
  consumer: string;

  /** `outbox_events.id` of the processed event. */
  @PrimaryColumn({ name: 'event_id', type: 'bigint' })
  eventId: string;

  @CreateDateColumn({ name: 'processed_at', type: 'timestamptz' })
  processedAt: Date;
}
