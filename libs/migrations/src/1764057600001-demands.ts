import type { MigrationInterface, QueryRunner } from 'typeorm';

/** purchase demands (filled by the demands work). */
export class Demands1764057600001 implements MigrationInterface {
  name = 'Demands1764057600001';

  async up(_q: QueryRunner): Promise<void> {}

  async down(_q: QueryRunner): Promise<void> {}
}
