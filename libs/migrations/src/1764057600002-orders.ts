import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Order groups, orders (one per seller), their lines with snapshotted prices, and idempotency keys. */
export class Orders1764057600002 implements MigrationInterface {
  name = 'Orders1764057600002';

  async up(q: QueryRunner): Promise<void> {
    // Lets a single-statement write abort itself (a checkout that could not reserve every line).
    await q.query(`
      CREATE FUNCTION chanxiao_raise_if(condition boolean, message text) RETURNS boolean LANGUAGE plpgsql AS $$
      BEGIN
        IF condition THEN RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = message; END IF;
        RETURN true;
      END $$`);
    await q.query(`
      CREATE TABLE "order_groups" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "buyer_organization_id" uuid NOT NULL CONSTRAINT "order_groups_buyer_organization_id_fkey" REFERENCES "organizations" ("id"),
        "idempotency_key" text NOT NULL,
        "payment_method" text NOT NULL,
        "total_fen" bigint NOT NULL,
        "created_at" timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX "order_groups_buyer_idx" ON "order_groups" ("buyer_organization_id", "created_at")`);
    await q.query(`
      CREATE TABLE "orders" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "order_group_id" uuid NOT NULL CONSTRAINT "orders_order_group_id_fkey" REFERENCES "order_groups" ("id"),
        "buyer_organization_id" uuid NOT NULL CONSTRAINT "orders_buyer_organization_id_fkey" REFERENCES "organizations" ("id"),
        "seller_organization_id" uuid NOT NULL CONSTRAINT "orders_seller_organization_id_fkey" REFERENCES "organizations" ("id"),
        "status" text NOT NULL,
        "payment_method" text NOT NULL,
        "total_fen" bigint NOT NULL,
        "pay_by" timestamptz NOT NULL,
        "paid_at" timestamptz,
        "shipped_at" timestamptz,
        "carrier" text,
        "tracking_no" text,
        "delivered_at" timestamptz,
        "completed_at" timestamptz,
        "cancelled_at" timestamptz,
        "cancel_reason" text,
        "created_at" timestamptz(3) NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "orders_status_check" CHECK ("status" IN ('pending_payment', 'paid', 'shipped', 'delivered', 'completed', 'cancelled')),
        CONSTRAINT "orders_payment_method_check" CHECK ("payment_method" IN ('bank_transfer', 'stripe')),
        CONSTRAINT "orders_total_check" CHECK ("total_fen" > 0)
      )`);
    await q.query(`CREATE INDEX "orders_buyer_created_idx" ON "orders" ("buyer_organization_id", "created_at", "id")`);
    await q.query(`CREATE INDEX "orders_seller_created_idx" ON "orders" ("seller_organization_id", "created_at", "id")`);
    await q.query(`CREATE INDEX "orders_group_idx" ON "orders" ("order_group_id")`);
    await q.query(`CREATE INDEX "orders_pending_pay_by_idx" ON "orders" ("pay_by") WHERE "status" = 'pending_payment'`);
    await q.query(`CREATE INDEX "orders_delivered_at_idx" ON "orders" ("delivered_at") WHERE "status" = 'delivered'`);
    await q.query(`
      CREATE TABLE "order_lines" (
        "order_id" uuid NOT NULL CONSTRAINT "order_lines_order_id_fkey" REFERENCES "orders" ("id") ON DELETE CASCADE,
        "line_no" smallint NOT NULL,
        "listing_id" uuid NOT NULL CONSTRAINT "order_lines_listing_id_fkey" REFERENCES "listings" ("id"),
        "title" text NOT NULL,
        "category_code" text NOT NULL,
        "quantity_grams" bigint NOT NULL,
        "unit_price_fen" integer NOT NULL,
        "amount_fen" bigint NOT NULL,
        PRIMARY KEY ("order_id", "line_no"),
        CONSTRAINT "order_lines_quantity_check" CHECK ("quantity_grams" > 0),
        CONSTRAINT "order_lines_amount_check" CHECK ("amount_fen" >= 0)
      )`);
    await q.query(`CREATE INDEX "order_lines_listing_idx" ON "order_lines" ("listing_id")`);
    await q.query(`
      CREATE TABLE "idempotency_keys" (
        "organization_id" uuid NOT NULL,
        "key" text NOT NULL,
        "request_hash" text NOT NULL,
        "status_code" smallint,
        "response" jsonb,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY ("organization_id", "key")
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['idempotency_keys', 'order_lines', 'orders', 'order_groups']) await q.query(`DROP TABLE "${table}"`);
    await q.query(`DROP FUNCTION chanxiao_raise_if(boolean, text)`);
  }
}
