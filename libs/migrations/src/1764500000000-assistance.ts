import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 消费扶贫 (issue 9): purchasers' yearly pledges and the ledger of what counts toward them, agency campaigns,
 * courier subsidy programmes with their budget rows and ledger, and pooled demand (group buying).
 */
export class Assistance1764500000000 implements MigrationInterface {
  name = 'Assistance1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "pledges" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "organization_id" uuid NOT NULL CONSTRAINT "pledges_organization_id_fkey" REFERENCES "organizations" ("id"),
        "year" smallint NOT NULL,
        "amount_fen" bigint NOT NULL,
        "procurement_budget_fen" bigint,
        "reserved_share_bps" integer,
        "created_at" timestamptz(3) NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pledges_amount_check" CHECK ("amount_fen" > 0),
        CONSTRAINT "pledges_year_check" CHECK ("year" BETWEEN 2000 AND 2100),
        CONSTRAINT "pledges_budget_check" CHECK ("procurement_budget_fen" IS NULL OR "procurement_budget_fen" > 0),
        CONSTRAINT "pledges_share_check" CHECK ("reserved_share_bps" IS NULL OR "reserved_share_bps" BETWEEN 0 AND 10000)
      )`);
    await q.query(`CREATE UNIQUE INDEX "pledges_organization_year_key" ON "pledges" ("organization_id", "year")`);
    await q.query(`
      CREATE TABLE "pledge_entries" (
        "order_id" uuid NOT NULL CONSTRAINT "pledge_entries_order_id_fkey" REFERENCES "orders" ("id"),
        "event_id" bigint NOT NULL,
        "organization_id" uuid NOT NULL CONSTRAINT "pledge_entries_organization_id_fkey" REFERENCES "organizations" ("id"),
        "event_type" text NOT NULL,
        "occurred_at" timestamptz(3) NOT NULL,
        "amount_fen" bigint NOT NULL,
        "supervised_fen" bigint NOT NULL,
        "grams" bigint NOT NULL,
        "balance_fen" bigint NOT NULL,
        "balance_supervised_fen" bigint NOT NULL,
        "balance_grams" bigint NOT NULL,
        CONSTRAINT "pledge_entries_pkey" PRIMARY KEY ("order_id", "event_id"),
        CONSTRAINT "pledge_entries_balance_check" CHECK ("balance_fen" >= 0 AND "balance_supervised_fen" BETWEEN 0 AND "balance_fen" AND "balance_grams" >= 0)
      )`);
    await q.query(`CREATE INDEX "pledge_entries_organization_occurred_idx" ON "pledge_entries" ("organization_id", "occurred_at")`);
    await q.query(`
      CREATE TABLE "campaigns" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "name" text NOT NULL,
        "description" text,
        "owner_region_code" char(6) NOT NULL CONSTRAINT "campaigns_owner_region_code_fkey" REFERENCES "regions" ("code"),
        "created_by" uuid NOT NULL CONSTRAINT "campaigns_created_by_fkey" REFERENCES "users" ("id"),
        "starts_on" date NOT NULL,
        "ends_on" date NOT NULL,
        "region_codes" text[] NOT NULL,
        "category_codes" text[] NOT NULL,
        "created_at" timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT "campaigns_period_check" CHECK ("ends_on" >= "starts_on"),
        CONSTRAINT "campaigns_regions_check" CHECK (cardinality("region_codes") > 0)
      )`);
    await q.query(`CREATE INDEX "campaigns_ends_on_idx" ON "campaigns" ("ends_on")`);
    await q.query(`
      CREATE TABLE "subsidy_programmes" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "name" text NOT NULL,
        "owner_region_code" char(6) NOT NULL CONSTRAINT "subsidy_programmes_owner_region_code_fkey" REFERENCES "regions" ("code"),
        "created_by" uuid NOT NULL CONSTRAINT "subsidy_programmes_created_by_fkey" REFERENCES "users" ("id"),
        "per_order_fen" integer NOT NULL,
        "per_seller_cap_fen" bigint NOT NULL,
        "budget_fen" bigint NOT NULL,
        "spent_fen" bigint NOT NULL DEFAULT 0,
        "region_codes" text[] NOT NULL,
        "starts_on" date NOT NULL,
        "ends_on" date NOT NULL,
        "created_at" timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT "subsidy_programmes_amounts_check" CHECK ("per_order_fen" > 0 AND "per_order_fen" <= "per_seller_cap_fen" AND "per_seller_cap_fen" <= "budget_fen"),
        CONSTRAINT "subsidy_programmes_spent_check" CHECK ("spent_fen" >= 0 AND "spent_fen" <= "budget_fen"),
        CONSTRAINT "subsidy_programmes_period_check" CHECK ("ends_on" >= "starts_on"),
        CONSTRAINT "subsidy_programmes_regions_check" CHECK (cardinality("region_codes") > 0)
      )`);
    await q.query(`
      CREATE TABLE "subsidy_seller_totals" (
        "programme_id" uuid NOT NULL CONSTRAINT "subsidy_seller_totals_programme_id_fkey" REFERENCES "subsidy_programmes" ("id"),
        "seller_organization_id" uuid NOT NULL CONSTRAINT "subsidy_seller_totals_seller_organization_id_fkey" REFERENCES "organizations" ("id"),
        "spent_fen" bigint NOT NULL,
        "cap_fen" bigint NOT NULL,
        CONSTRAINT "subsidy_seller_totals_pkey" PRIMARY KEY ("programme_id", "seller_organization_id"),
        CONSTRAINT "subsidy_seller_totals_spent_check" CHECK ("spent_fen" >= 0 AND "spent_fen" <= "cap_fen")
      )`);
    await q.query(`
      CREATE TABLE "subsidy_entries" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "programme_id" uuid NOT NULL CONSTRAINT "subsidy_entries_programme_id_fkey" REFERENCES "subsidy_programmes" ("id"),
        "order_id" uuid NOT NULL CONSTRAINT "subsidy_entries_order_id_fkey" REFERENCES "orders" ("id"),
        "seller_organization_id" uuid NOT NULL CONSTRAINT "subsidy_entries_seller_organization_id_fkey" REFERENCES "organizations" ("id"),
        "kind" text NOT NULL,
        "amount_fen" bigint NOT NULL,
        "event_id" bigint NOT NULL,
        "created_at" timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT "subsidy_entries_kind_check" CHECK (("kind" = 'earned' AND "amount_fen" > 0) OR ("kind" = 'reversed' AND "amount_fen" < 0))
      )`);
    await q.query(`CREATE UNIQUE INDEX "subsidy_entries_programme_order_kind_key" ON "subsidy_entries" ("programme_id", "order_id", "kind")`);
    await q.query(`CREATE INDEX "subsidy_entries_seller_created_idx" ON "subsidy_entries" ("seller_organization_id", "created_at", "id")`);
    await q.query(`CREATE INDEX "subsidy_entries_order_idx" ON "subsidy_entries" ("order_id")`);
    await q.query(`
      CREATE TABLE "demand_pools" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "organizer_organization_id" uuid NOT NULL CONSTRAINT "demand_pools_organizer_organization_id_fkey" REFERENCES "organizations" ("id"),
        "status" text NOT NULL,
        "category_code" text NOT NULL CONSTRAINT "demand_pools_category_code_fkey" REFERENCES "categories" ("code"),
        "destination_region_code" char(6) NOT NULL CONSTRAINT "demand_pools_destination_region_code_fkey" REFERENCES "regions" ("code"),
        "max_unit_price_fen" integer NOT NULL,
        "deliver_by" date NOT NULL,
        "join_by" timestamptz NOT NULL,
        "cold_chain_capable" boolean NOT NULL,
        "prefer_poverty" boolean NOT NULL,
        "target_grams" bigint NOT NULL,
        "joined_grams" bigint NOT NULL DEFAULT 0,
        "demand_id" uuid CONSTRAINT "demand_pools_demand_id_fkey" REFERENCES "demands" ("id"),
        "created_at" timestamptz(3) NOT NULL DEFAULT now(),
        "closed_at" timestamptz,
        CONSTRAINT "demand_pools_status_check" CHECK ("status" IN ('open', 'filled', 'failed')),
        CONSTRAINT "demand_pools_price_check" CHECK ("max_unit_price_fen" > 0),
        CONSTRAINT "demand_pools_grams_check" CHECK ("target_grams" > 0 AND "joined_grams" BETWEEN 0 AND "target_grams")
      )`);
    await q.query(`CREATE UNIQUE INDEX "demand_pools_demand_key" ON "demand_pools" ("demand_id")`);
    await q.query(`CREATE INDEX "demand_pools_open_join_by_idx" ON "demand_pools" ("join_by") WHERE "status" = 'open'`);
    await q.query(`CREATE INDEX "demand_pools_open_category_idx" ON "demand_pools" ("category_code", "destination_region_code") WHERE "status" = 'open'`);
    await q.query(`
      CREATE TABLE "demand_pool_members" (
        "pool_id" uuid NOT NULL CONSTRAINT "demand_pool_members_pool_id_fkey" REFERENCES "demand_pools" ("id"),
        "organization_id" uuid NOT NULL CONSTRAINT "demand_pool_members_organization_id_fkey" REFERENCES "organizations" ("id"),
        "status" text NOT NULL,
        "quantity_grams" bigint NOT NULL,
        "allocated_grams" bigint NOT NULL DEFAULT 0,
        "joined_at" timestamptz(3) NOT NULL DEFAULT now(),
        "released_at" timestamptz,
        CONSTRAINT "demand_pool_members_pkey" PRIMARY KEY ("pool_id", "organization_id"),
        CONSTRAINT "demand_pool_members_status_check" CHECK ("status" IN ('joined', 'released')),
        CONSTRAINT "demand_pool_members_grams_check" CHECK ("quantity_grams" > 0 AND "allocated_grams" BETWEEN 0 AND "quantity_grams")
      )`);
    await q.query(`CREATE INDEX "demand_pool_members_organization_idx" ON "demand_pool_members" ("organization_id", "joined_at")`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['demand_pool_members', 'demand_pools', 'subsidy_entries', 'subsidy_seller_totals', 'subsidy_programmes', 'campaigns', 'pledge_entries', 'pledges']) {
      await q.query(`DROP TABLE "${table}"`);
    }
  }
}
