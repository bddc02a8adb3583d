import type { MigrationInterface, QueryRunner } from 'typeorm';
import { fillSearchVectors } from '@chanxiao/listings/search/search-vector-backfill';

/**
 * Keyword search (issue 14): `listings.search_vector`, a `tsvector` of each lot's words cut by jieba (PostgreSQL
 * cannot cut Chinese), with a GIN index. The application writes it with every change of the title, variety,
 * grade, category or county; existing lots are filled here, in batches, with the same segmenter. A row inserted
 * by other means gets an empty vector: it is found by filters, not by keywords, until its next edit.
 */
export class ListingSearch1764800000000 implements MigrationInterface {
  name = 'ListingSearch1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "listings" ADD "search_vector" tsvector NOT NULL DEFAULT ''::tsvector`);
    await fillSearchVectors((sql, parameters) => q.query(sql, parameters));
    await q.query(`CREATE INDEX "listings_search_vector_idx" ON "listings" USING gin ("search_vector")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "listings_search_vector_idx"`);
    await q.query(`ALTER TABLE "listings" DROP COLUMN "search_vector"`);
  }
}
