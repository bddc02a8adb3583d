import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The matcher's proposals, and the grams of a demand that open proposals hold (`held_grams`): a demand can never
 * be promised more than it wants, `filled + held ≤ quantity`, the way a lot's CHECK keeps `available + reserved + sold = total`.
 * At most one live proposal per (demand, lot): two matchers racing on the same pair cannot both hold stock for it.
 */
export class Proposals1764230400000 implements MigrationInterface {
  name = 'Proposals1764230400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "demands" ADD "held_grams" bigint NOT NULL DEFAULT 0`);
    await q.query(`ALTER TABLE "demands" DROP CONSTRAINT "demands_filled_check"`);
    await q.query(`ALTER TABLE "demands" ADD CONSTRAINT "demands_filled_check" CHECK ("filled_grams" >= 0 AND "held_grams" >= 0 AND "filled_grams" + "held_grams" <= "quantity_grams")`);
    await q.query(`
      CREATE TABLE "proposals" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "status" text NOT NULL,
        "demand_id" uuid NOT NULL CONSTRAINT "proposals_demand_id_fkey" REFERENCES "demands" ("id"),
        "listing_id" uuid NOT NULL CONSTRAINT "proposals_listing_id_fkey" REFERENCES "listings" ("id"),
        "seller_organization_id" uuid NOT NULL CONSTRAINT "proposals_seller_organization_id_fkey" REFERENCES "organizations" ("id"),
        "buyer_organization_id" uuid NOT NULL CONSTRAINT "proposals_buyer_organization_id_fkey" REFERENCES "organizations" ("id"),
        "quantity_grams" bigint NOT NULL,
        "unit_price_fen" integer NOT NULL,
        "score" double precision NOT NULL,
        "source" text NOT NULL,
        "expires_at" timestamptz NOT NULL,
        "buyer_accepted_at" timestamptz,
        "seller_accepted_at" timestamptz,
        "order_id" uuid CONSTRAINT "proposals_order_id_fkey" REFERENCES "orders" ("id"),
        "close_reason" text,
        "created_at" timestamptz(3) NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        "closed_at" timestamptz,
        CONSTRAINT "proposals_status_check" CHECK ("status" IN ('proposed', 'accepted_by_buyer', 'accepted_by_seller', 'confirmed', 'declined', 'expired')),
        CONSTRAINT "proposals_source_check" CHECK ("source" IN ('incremental', 'optimizer')),
        CONSTRAINT "proposals_quantity_check" CHECK ("quantity_grams" > 0),
        CONSTRAINT "proposals_confirmed_order_check" CHECK (("status" = 'confirmed') = ("order_id" IS NOT NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX "proposals_live_pair_idx" ON "proposals" ("demand_id", "listing_id") WHERE "status" IN ('proposed', 'accepted_by_buyer', 'accepted_by_seller')`);
    await q.query(`CREATE INDEX "proposals_listing_idx" ON "proposals" ("listing_id", "status")`);
    await q.query(`CREATE INDEX "proposals_demand_idx" ON "proposals" ("demand_id", "status")`);
    await q.query(`CREATE INDEX "proposals_seller_created_idx" ON "proposals" ("seller_organization_id", "created_at", "id")`);
    await q.query(`CREATE INDEX "proposals_buyer_created_idx" ON "proposals" ("buyer_organization_id", "created_at", "id")`);
    await q.query(`CREATE INDEX "proposals_live_expires_idx" ON "proposals" ("expires_at") WHERE "status" IN ('proposed', 'accepted_by_buyer', 'accepted_by_seller')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "proposals"`);
    await q.query(`ALTER TABLE "demands" DROP CONSTRAINT "demands_filled_check"`);
    await q.query(`ALTER TABLE "demands" ADD CONSTRAINT "demands_filled_check" CHECK ("filled_grams" >= 0 AND "filled_grams" <= "quantity_grams")`);
    await q.query(`ALTER TABLE "demands" DROP COLUMN "held_grams"`);
  }
}
