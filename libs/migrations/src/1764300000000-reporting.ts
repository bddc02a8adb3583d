import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Agency reporting: an index for "sold in a period" (orders by payment time), and stored monthly reports with
 * their bytes in 1 MiB chunks, plus an append-only log of every generation.
 */
export class Reporting1764300000000 implements MigrationInterface {
  name = 'Reporting1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "orders_sold_paid_at_idx" ON "orders" ("paid_at") WHERE "status" IN ('paid', 'shipped', 'delivered', 'completed')`);
    await q.query(`CREATE INDEX "listings_published_at_idx" ON "listings" ("published_at") WHERE "published_at" IS NOT NULL`);
    await q.query(`
      CREATE TABLE "monthly_reports" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "region_code" char(6) NOT NULL CONSTRAINT "monthly_reports_region_code_fkey" REFERENCES "regions" ("code"),
        "month" char(7) NOT NULL,
        "format" text NOT NULL,
        "content_type" text NOT NULL,
        "byte_size" bigint NOT NULL,
        "sha256" text NOT NULL,
        "line_count" integer NOT NULL,
        "source" text NOT NULL,
        "generated_at" timestamptz(3) NOT NULL,
        "duration_ms" integer NOT NULL,
        CONSTRAINT "monthly_reports_key" UNIQUE ("region_code", "month", "format"),
        CONSTRAINT "monthly_reports_month_check" CHECK ("month" ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
        CONSTRAINT "monthly_reports_format_check" CHECK ("format" IN ('xlsx', 'csv', 'json')),
        CONSTRAINT "monthly_reports_source_check" CHECK ("source" IN ('scheduled', 'request'))
      )`);
    await q.query(`
      CREATE TABLE "monthly_report_chunks" (
        "report_id" uuid NOT NULL CONSTRAINT "monthly_report_chunks_report_id_fkey" REFERENCES "monthly_reports" ("id") ON DELETE CASCADE,
        "seq" integer NOT NULL,
        "data" bytea NOT NULL,
        PRIMARY KEY ("report_id", "seq")
      )`);
    // Report bytes are already compressed (XLSX) or read whole; don't let TOAST try to compress them again.
    await q.query(`ALTER TABLE "monthly_report_chunks" ALTER COLUMN "data" SET STORAGE EXTERNAL`);
    await q.query(`
      CREATE TABLE "monthly_report_generations" (
        "id" bigserial PRIMARY KEY,
        "region_code" char(6) NOT NULL,
        "month" char(7) NOT NULL,
        "format" text NOT NULL,
        "source" text NOT NULL,
        "generated_at" timestamptz(3) NOT NULL,
        "duration_ms" integer NOT NULL,
        "byte_size" bigint NOT NULL,
        "line_count" integer NOT NULL
      )`);
    await q.query(`CREATE INDEX "monthly_report_generations_key_idx" ON "monthly_report_generations" ("region_code", "month", "format", "source")`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['monthly_report_generations', 'monthly_report_chunks', 'monthly_reports']) await q.query(`DROP TABLE "${table}"`);
    await q.query(`DROP INDEX "listings_published_at_idx"`);
    await q.query(`DROP INDEX "orders_sold_paid_at_idx"`);
  }
}
