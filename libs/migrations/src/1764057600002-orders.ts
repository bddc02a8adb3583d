import type { MigrationInterface, QueryRunner } from 'typeorm';

/** order groups, orders, lines and idempotency keys. */
export class Orders1764057600002 implements MigrationInterface {
  name = 'Orders1764057600002';

  async up(_q: QueryRunner): Promise<void> {}

  async down(_q: QueryRunner): Promise<void> {}
}
