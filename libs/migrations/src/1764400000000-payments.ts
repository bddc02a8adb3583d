import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Online payments (Stripe): one PaymentIntent per order group, the webhook events seen (once each), refunds and
 * the lines they pay back, sellers' Connect accounts, and one payout per online-paid order.
 */
export class Payments1764400000000 implements MigrationInterface {
  name = 'Payments1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "payment_intents" (
        "id" text PRIMARY KEY,
        "order_group_id" uuid NOT NULL CONSTRAINT "payment_intents_order_group_id_fkey" REFERENCES "order_groups" ("id"),
        "attempt" smallint NOT NULL,
        "status" text NOT NULL,
        "currency" text NOT NULL,
        "amount_fen" bigint NOT NULL,
        "amount_received_fen" bigint NOT NULL DEFAULT 0,
        "amount_refunded_fen" bigint NOT NULL DEFAULT 0,
        "client_secret" text NOT NULL,
        "latest_charge" text,
        "last_error" text,
        "created_at" timestamptz(3) NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "payment_intents_status_check" CHECK ("status" IN ('requires_payment', 'processing', 'succeeded', 'failed', 'canceled')),
        CONSTRAINT "payment_intents_amounts_check" CHECK ("amount_fen" > 0 AND "amount_received_fen" BETWEEN 0 AND "amount_fen" AND "amount_refunded_fen" BETWEEN 0 AND "amount_received_fen")
      )`);
    await q.query(`CREATE UNIQUE INDEX "payment_intents_group_attempt_key" ON "payment_intents" ("order_group_id", "attempt")`);
    await q.query(`
      CREATE TABLE "stripe_events" (
        "id" text PRIMARY KEY,
        "type" text NOT NULL,
        "object_id" text,
        "stripe_created_at" timestamptz NOT NULL,
        "outcome" text NOT NULL,
        "received_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE "refunds" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "payment_intent_id" text NOT NULL CONSTRAINT "refunds_payment_intent_id_fkey" REFERENCES "payment_intents" ("id"),
        "order_id" uuid NOT NULL CONSTRAINT "refunds_order_id_fkey" REFERENCES "orders" ("id"),
        "amount_fen" bigint NOT NULL,
        "reason" text NOT NULL,
        "status" text NOT NULL,
        "stripe_refund_id" text,
        "attempts" integer NOT NULL DEFAULT 0,
        "last_error" text,
        "created_at" timestamptz(3) NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "refunds_amount_check" CHECK ("amount_fen" > 0),
        CONSTRAINT "refunds_reason_check" CHECK ("reason" IN ('cancelled_lines', 'cancelled_order', 'paid_after_cancellation')),
        CONSTRAINT "refunds_status_check" CHECK ("status" IN ('unsent', 'pending', 'succeeded', 'failed', 'canceled'))
      )`);
    await q.query(`CREATE INDEX "refunds_order_idx" ON "refunds" ("order_id")`);
    await q.query(`CREATE INDEX "refunds_payment_intent_idx" ON "refunds" ("payment_intent_id")`);
    await q.query(`CREATE UNIQUE INDEX "refunds_stripe_refund_id_key" ON "refunds" ("stripe_refund_id")`);
    await q.query(`CREATE INDEX "refunds_unsent_idx" ON "refunds" ("created_at") WHERE "status" = 'unsent'`);
    await q.query(`
      CREATE TABLE "refund_lines" (
        "refund_id" uuid NOT NULL CONSTRAINT "refund_lines_refund_id_fkey" REFERENCES "refunds" ("id") ON DELETE CASCADE,
        "listing_id" uuid NOT NULL CONSTRAINT "refund_lines_listing_id_fkey" REFERENCES "listings" ("id"),
        "title" text NOT NULL,
        "quantity_grams" bigint NOT NULL,
        "unit_price_fen" integer NOT NULL,
        "amount_fen" bigint NOT NULL,
        PRIMARY KEY ("refund_id", "listing_id"),
        CONSTRAINT "refund_lines_quantity_check" CHECK ("quantity_grams" > 0),
        CONSTRAINT "refund_lines_amount_check" CHECK ("amount_fen" >= 0)
      )`);
    await q.query(`
      CREATE TABLE "stripe_accounts" (
        "organization_id" uuid PRIMARY KEY CONSTRAINT "stripe_accounts_organization_id_fkey" REFERENCES "organizations" ("id"),
        "stripe_account_id" text NOT NULL,
        "details_submitted" boolean NOT NULL DEFAULT false,
        "charges_enabled" boolean NOT NULL DEFAULT false,
        "payouts_enabled" boolean NOT NULL DEFAULT false,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX "stripe_accounts_stripe_account_id_key" ON "stripe_accounts" ("stripe_account_id")`);
    await q.query(`
      CREATE TABLE "payouts" (
        "order_id" uuid PRIMARY KEY CONSTRAINT "payouts_order_id_fkey" REFERENCES "orders" ("id"),
        "seller_organization_id" uuid NOT NULL CONSTRAINT "payouts_seller_organization_id_fkey" REFERENCES "organizations" ("id"),
        "payment_intent_id" text NOT NULL CONSTRAINT "payouts_payment_intent_id_fkey" REFERENCES "payment_intents" ("id"),
        "status" text NOT NULL,
        "order_total_fen" bigint,
        "platform_fee_fen" bigint,
        "amount_fen" bigint,
        "stripe_transfer_id" text,
        "attempts" integer NOT NULL DEFAULT 0,
        "last_error" text,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "sent_at" timestamptz,
        CONSTRAINT "payouts_status_check" CHECK ("status" IN ('held', 'sent', 'void')),
        CONSTRAINT "payouts_amount_check" CHECK ("amount_fen" IS NULL OR ("amount_fen" >= 0 AND "amount_fen" = "order_total_fen" - "platform_fee_fen"))
      )`);
    await q.query(`CREATE UNIQUE INDEX "payouts_stripe_transfer_id_key" ON "payouts" ("stripe_transfer_id")`);
    await q.query(`CREATE INDEX "payouts_held_idx" ON "payouts" ("seller_organization_id") WHERE "status" = 'held'`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['payouts', 'stripe_accounts', 'refund_lines', 'refunds', 'stripe_events', 'payment_intents']) await q.query(`DROP TABLE "${table}"`);
  }
}
