import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Spreadsheet imports of listings, with their per-row reports and (while queued) the file. */
export class ListingImports1763971200001 implements MigrationInterface {
  name = 'ListingImports1763971200001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "listing_imports" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "organization_id" uuid NOT NULL,
        "user_id" uuid NOT NULL,
        "filename" text NOT NULL,
        "publish" boolean NOT NULL,
        "status" text NOT NULL,
        "total_rows" integer NOT NULL,
        "processed_rows" integer NOT NULL DEFAULT 0,
        "created_count" integer NOT NULL DEFAULT 0,
        "error_count" integer NOT NULL DEFAULT 0,
        "report" jsonb NOT NULL DEFAULT '[]',
        "file" bytea,
        "failure" text,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "finished_at" timestamptz,
        CONSTRAINT "listing_imports_status_check" CHECK ("status" IN ('queued', 'running', 'done', 'failed')),
        CONSTRAINT "listing_imports_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations" ("id")
      )`);
    await q.query(`CREATE INDEX "listing_imports_organization_idx" ON "listing_imports" ("organization_id", "created_at")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "listing_imports"`);
  }
}
