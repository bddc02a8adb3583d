import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Produce lots with the stock invariant enforced by a CHECK constraint. */
export class Listings1763971200000 implements MigrationInterface {
  name = 'Listings1763971200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "listings" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "organization_id" uuid NOT NULL,
        "status" text NOT NULL,
        "category_code" text NOT NULL,
        "title" text NOT NULL,
        "variety" text,
        "grade" text,
        "total_grams" bigint NOT NULL,
        "available_grams" bigint NOT NULL,
        "reserved_grams" bigint NOT NULL DEFAULT 0,
        "sold_grams" bigint NOT NULL DEFAULT 0,
        "delisted_grams" bigint NOT NULL DEFAULT 0,
        "min_order_grams" bigint NOT NULL,
        "unit_price_fen" integer NOT NULL,
        "harvested_on" date NOT NULL,
        "best_before" date NOT NULL,
        "cold_chain" boolean NOT NULL,
        "stalled" boolean NOT NULL,
        "certificate_no" text,
        "region_code" char(6) NOT NULL,
        "is_poverty_county" boolean NOT NULL,
        "is_supervised_county" boolean NOT NULL,
        "created_at" timestamptz(3) NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        "published_at" timestamptz,
        "closed_at" timestamptz,
        CONSTRAINT "listings_quantities_check" CHECK ("available_grams" >= 0 AND "reserved_grams" >= 0 AND "sold_grams" >= 0 AND "delisted_grams" >= 0 AND "available_grams" + "reserved_grams" + "sold_grams" = "total_grams"),
        CONSTRAINT "listings_status_check" CHECK ("status" IN ('draft', 'active', 'sold_out', 'withdrawn', 'expired')),
        CONSTRAINT "listings_price_check" CHECK ("unit_price_fen" > 0),
        CONSTRAINT "listings_min_order_check" CHECK ("min_order_grams" > 0),
        CONSTRAINT "listings_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations" ("id"),
        CONSTRAINT "listings_category_code_fkey" FOREIGN KEY ("category_code") REFERENCES "categories" ("code"),
        CONSTRAINT "listings_region_code_fkey" FOREIGN KEY ("region_code") REFERENCES "regions" ("code")
      )`);
    await q.query(`CREATE INDEX "listings_organization_created_idx" ON "listings" ("organization_id", "created_at", "id")`);
    await q.query(`CREATE INDEX "listings_active_best_before_idx" ON "listings" ("best_before") WHERE "status" = 'active'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "listings"`);
  }
}
