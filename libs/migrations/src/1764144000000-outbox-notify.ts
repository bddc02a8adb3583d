import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Wakes the outbox relay on every outbox INSERT, and records which events each consumer has processed. */
export class OutboxNotify1764144000000 implements MigrationInterface {
  name = 'OutboxNotify1764144000000';

  async up(q: QueryRunner): Promise<void> {
    // Per statement, not per row: a 500-row import chunk sends one notification; the payload is empty because
    // the relay reads the table anyway. NOTIFY is delivered only on commit, so the relay never sees uncommitted rows.
    await q.query(`
      CREATE FUNCTION chanxiao_outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('outbox_events', '');
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER "outbox_events_notify" AFTER INSERT ON "outbox_events" FOR EACH STATEMENT EXECUTE FUNCTION chanxiao_outbox_notify()`);
    await q.query(`
      CREATE TABLE "processed_events" (
        "consumer" text NOT NULL,
        "event_id" bigint NOT NULL,
        "processed_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "processed_events_pkey" PRIMARY KEY ("consumer", "event_id")
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "processed_events"`);
    await q.query(`DROP TRIGGER "outbox_events_notify" ON "outbox_events"`);
    await q.query(`DROP FUNCTION chanxiao_outbox_notify()`);
  }
}
