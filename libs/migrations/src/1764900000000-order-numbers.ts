import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Order numbers (issue 14, SPEC §8): `CX` + the order's creation date in Beijing time (yyyymmdd) + a sequence
 * number of at least 6 digits, e.g. `CX20261204000123`, what a buyer writes on a bank slip as the remittance note.
 * One PostgreSQL sequence for all orders, so concurrent checkouts never collide (gaps are fine; it never resets,
 * and past 999999 the number simply grows a digit). `chanxiao_order_number(created_at)` takes the next number; the
 * statement that inserts an order calls it, so the number is written with the order. Existing orders are numbered
 * in creation order.
 */
export class OrderNumbers1764900000000 implements MigrationInterface {
  name = 'OrderNumbers1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SEQUENCE "order_number_seq" AS bigint START 1`);
    await q.query(`
      CREATE FUNCTION chanxiao_format_order_number(created timestamptz, n bigint) RETURNS text LANGUAGE sql IMMUTABLE AS $$
        SELECT 'CX' || to_char(created AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD') || lpad(n::text, greatest(6, length(n::text)), '0')
      $$`);
    await q.query(`
      CREATE FUNCTION chanxiao_order_number(created timestamptz) RETURNS text LANGUAGE sql VOLATILE AS $$
        SELECT chanxiao_format_order_number(created, nextval('order_number_seq'))
      $$`);
    await q.query(`ALTER TABLE "orders" ADD "number" text`);
    await q.query(`
      UPDATE "orders" o SET "number" = chanxiao_format_order_number(n.created_at, n.seq)
        FROM (SELECT id, created_at, row_number() OVER (ORDER BY created_at, id) AS seq FROM "orders") n
       WHERE n.id = o.id`);
    await q.query(`SELECT setval('order_number_seq', greatest(count(*), 1), count(*) > 0) FROM "orders"`);
    await q.query(`ALTER TABLE "orders" ALTER "number" SET NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX "orders_number_key" ON "orders" ("number")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "orders_number_key"`);
    await q.query(`ALTER TABLE "orders" DROP COLUMN "number"`);
    await q.query(`DROP FUNCTION chanxiao_order_number(timestamptz)`);
    await q.query(`DROP FUNCTION chanxiao_format_order_number(timestamptz, bigint)`);
    await q.query(`DROP SEQUENCE "order_number_seq"`);
  }
}
