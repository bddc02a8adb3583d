import type { MigrationInterface, QueryRunner } from 'typeorm';

/** search columns and indexes for buyer search (filled by the search work). */
export class ListingSearch1764057600000 implements MigrationInterface {
  name = 'ListingSearch1764057600000';

  async up(_q: QueryRunner): Promise<void> {}

  async down(_q: QueryRunner): Promise<void> {}
}
