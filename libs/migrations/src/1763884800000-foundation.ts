import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Regions, categories, organisations, users and the outbox. */
export class Foundation1763884800000 implements MigrationInterface {
  name = 'Foundation1763884800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "regions" (
        "code" char(6) PRIMARY KEY,
        "name" text NOT NULL,
        "level" smallint NOT NULL CHECK ("level" IN (1, 2, 3)),
        "parent_code" char(6) REFERENCES "regions" ("code"),
        "province_code" char(6) NOT NULL,
        "lat" double precision NOT NULL,
        "lon" double precision NOT NULL,
        "centroid_source" text NOT NULL,
        "is_poverty_county" boolean NOT NULL DEFAULT false,
        "is_supervised_county" boolean NOT NULL DEFAULT false,
        "poverty_exit_year" smallint,
        CONSTRAINT "regions_supervised_is_poverty" CHECK (NOT "is_supervised_county" OR "is_poverty_county")
      )`);
    await q.query(`CREATE INDEX "regions_parent_idx" ON "regions" ("parent_code")`);
    await q.query(`
      CREATE TABLE "region_aliases" (
        "code" char(6) PRIMARY KEY,
        "current_code" char(6) NOT NULL REFERENCES "regions" ("code"),
        "name" text NOT NULL,
        "reason" text NOT NULL
      )`);
    await q.query(`
      CREATE TABLE "categories" (
        "code" text PRIMARY KEY,
        "parent_code" text REFERENCES "categories" ("code"),
        "name_zh" text NOT NULL,
        "name_en" text NOT NULL,
        "perishability" text NOT NULL CHECK ("perishability" IN ('high', 'medium', 'low')),
        "typical_shelf_life_days" integer NOT NULL CHECK ("typical_shelf_life_days" > 0),
        "cold_chain_required" boolean NOT NULL,
        "sort_order" integer NOT NULL
      )`);
    await q.query(`CREATE INDEX "categories_parent_idx" ON "categories" ("parent_code")`);
    await q.query(`
      CREATE TABLE "organizations" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "kind" text NOT NULL CHECK ("kind" IN ('seller', 'buyer', 'agency')),
        "name" text NOT NULL,
        "credit_code" char(18),
        "region_code" char(6) NOT NULL REFERENCES "regions" ("code"),
        "contact_phone" text NOT NULL,
        "buyer_type" text CHECK ("buyer_type" IN ('wholesale_market', 'ecommerce', 'public_welfare_market', 'logistics', 'consumption_assistance', 'retailer')),
        "poverty_households" integer CHECK ("poverty_households" >= 0),
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "organizations_credit_code_required" CHECK ("kind" = 'agency' OR "credit_code" IS NOT NULL),
        CONSTRAINT "organizations_buyer_type_for_buyers" CHECK (("kind" = 'buyer') = ("buyer_type" IS NOT NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX "organizations_credit_code_key" ON "organizations" ("credit_code")`);
    await q.query(`
      CREATE TABLE "users" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "organization_id" uuid NOT NULL REFERENCES "organizations" ("id") ON DELETE CASCADE,
        "phone" text NOT NULL,
        "password_hash" text NOT NULL,
        "name" text NOT NULL,
        "role" text NOT NULL CHECK ("role" IN ('owner', 'member', 'agency_staff')),
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "last_login_at" timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX "users_phone_key" ON "users" ("phone")`);
    await q.query(`CREATE INDEX "users_organization_idx" ON "users" ("organization_id")`);
    await q.query(`
      CREATE TABLE "outbox_events" (
        "id" bigserial PRIMARY KEY,
        "type" text NOT NULL,
        "aggregate_type" text NOT NULL,
        "aggregate_id" text NOT NULL,
        "payload" jsonb NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "published_at" timestamptz,
        "attempts" integer NOT NULL DEFAULT 0
      )`);
    await q.query(`CREATE INDEX "outbox_events_unpublished_idx" ON "outbox_events" ("id") WHERE "published_at" IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['outbox_events', 'users', 'organizations', 'categories', 'region_aliases', 'regions']) {
      await q.query(`DROP TABLE "${table}"`);
    }
  }
}
