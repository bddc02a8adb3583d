import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Buyers' purchase demands; `filled_grams` is kept within the quantity by a CHECK constraint. */
export class Demands1764057600001 implements MigrationInterface {
  name = 'Demands1764057600001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "demands" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "organization_id" uuid NOT NULL,
        "status" text NOT NULL,
        "category_code" text NOT NULL,
        "quantity_grams" bigint NOT NULL,
        "filled_grams" bigint NOT NULL DEFAULT 0,
        "max_unit_price_fen" integer NOT NULL,
        "destination_region_code" char(6) NOT NULL,
        "deliver_by" date NOT NULL,
        "cold_chain_capable" boolean NOT NULL,
        "prefer_poverty" boolean NOT NULL,
        "note" text,
        "created_at" timestamptz(3) NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        "closed_at" timestamptz,
        CONSTRAINT "demands_status_check" CHECK ("status" IN ('open', 'partially_filled', 'filled', 'cancelled', 'expired')),
        CONSTRAINT "demands_quantity_check" CHECK ("quantity_grams" > 0),
        CONSTRAINT "demands_filled_check" CHECK ("filled_grams" >= 0 AND "filled_grams" <= "quantity_grams"),
        CONSTRAINT "demands_price_check" CHECK ("max_unit_price_fen" > 0),
        CONSTRAINT "demands_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations" ("id"),
        CONSTRAINT "demands_category_code_fkey" FOREIGN KEY ("category_code") REFERENCES "categories" ("code"),
        CONSTRAINT "demands_destination_region_code_fkey" FOREIGN KEY ("destination_region_code") REFERENCES "regions" ("code")
      )`);
    await q.query(`CREATE INDEX "demands_organization_created_idx" ON "demands" ("organization_id", "created_at", "id")`);
    // The matcher looks up live demands by category and deadline; expiry scans live demands by deadline.
    await q.query(`CREATE INDEX "demands_live_category_deliver_by_idx" ON "demands" ("category_code", "deliver_by") WHERE "status" IN ('open', 'partially_filled')`);
    await q.query(`CREATE INDEX "demands_live_deliver_by_idx" ON "demands" ("deliver_by") WHERE "status" IN ('open', 'partially_filled')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "demands"`);
  }
}
