import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Organisation accounts (issue 13): roles become `admin` (was `owner`) and `staff` (was `member`); every user gets a
 * `token_version`, raised when the password changes so older access tokens stop working; and a seller's payout
 * account (收款账户), one row per organisation.
 */
export class OrganizationAccounts1764700000000 implements MigrationInterface {
  name = 'OrganizationAccounts1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "users" DROP CONSTRAINT "users_role_check"`);
    await q.query(`UPDATE "users" SET "role" = CASE "role" WHEN 'owner' THEN 'admin' WHEN 'member' THEN 'staff' ELSE "role" END`);
    await q.query(`ALTER TABLE "users" ADD CONSTRAINT "users_role_check" CHECK ("role" IN ('admin', 'staff', 'agency_staff'))`);
    await q.query(`ALTER TABLE "users" ADD "token_version" integer NOT NULL DEFAULT 0`);
    await q.query(`
      CREATE TABLE "payout_accounts" (
        "organization_id" uuid PRIMARY KEY CONSTRAINT "payout_accounts_organization_id_fkey" REFERENCES "organizations" ("id") ON DELETE CASCADE,
        "account_name" text NOT NULL,
        "bank_name" text NOT NULL,
        "account_no" text NOT NULL,
        "updated_by" uuid CONSTRAINT "payout_accounts_updated_by_fkey" REFERENCES "users" ("id") ON DELETE SET NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "payout_accounts_account_no_check" CHECK ("account_no" ~ '^[0-9]{8,30}$'),
        CONSTRAINT "payout_accounts_names_check" CHECK (char_length("account_name") BETWEEN 2 AND 100 AND char_length("bank_name") BETWEEN 2 AND 100)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "payout_accounts"`);
    await q.query(`ALTER TABLE "users" DROP COLUMN "token_version"`);
    await q.query(`ALTER TABLE "users" DROP CONSTRAINT "users_role_check"`);
    await q.query(`UPDATE "users" SET "role" = CASE "role" WHEN 'admin' THEN 'owner' WHEN 'staff' THEN 'member' ELSE "role" END`);
    await q.query(`ALTER TABLE "users" ADD CONSTRAINT "users_role_check" CHECK ("role" IN ('owner', 'member', 'agency_staff'))`);
  }
}
