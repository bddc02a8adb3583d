import type { MigrationInterface, QueryRunner } from 'typeorm';
import { KeywordSegmenter } from '@chanxiao/listings/search/keywords';

const BATCH = 2000;

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
    const names = await q.query(`SELECT name_zh AS name FROM categories UNION ALL SELECT name FROM regions`);
    const segmenter = new KeywordSegmenter(names.map((r: { name: string }) => r.name));
    for (let after = '00000000-0000-0000-0000-000000000000'; ;) {
      const rows: { id: string; title: string; variety: string | null; grade: string | null; names: (string | null)[]; places: (string | null)[] }[] = await q.query(
        `SELECT l.id, l.title, l.variety, l.grade, ARRAY[c.name_zh, g.name_zh] AS names, ARRAY[r1.name, r2.name, r3.name] AS places
         FROM listings l
         LEFT JOIN categories c ON c.code = l.category_code LEFT JOIN categories g ON g.code = c.parent_code
         LEFT JOIN regions r1 ON r1.code = l.region_code LEFT JOIN regions r2 ON r2.code = r1.parent_code LEFT JOIN regions r3 ON r3.code = r2.parent_code
         WHERE l.id > $1 ORDER BY l.id LIMIT ${BATCH}`,
        [after],
      );
      if (rows.length === 0) break;
      const vectors = rows.map((row) => segmenter.vectorOf({
        title: row.title, variety: row.variety, grade: row.grade,
        categoryNames: row.names.filter((n): n is string => !!n), regionNames: row.places.filter((n): n is string => !!n),
      }));
      await q.query(
        `UPDATE listings l SET search_vector = v.vector::tsvector FROM unnest($1::uuid[], $2::text[]) AS v(id, vector) WHERE l.id = v.id`,
        [rows.map((row) => row.id), vectors],
      );
      after = rows[rows.length - 1].id;
    }
    await q.query(`CREATE INDEX "listings_search_vector_idx" ON "listings" USING gin ("search_vector")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "listings_search_vector_idx"`);
    await q.query(`ALTER TABLE "listings" DROP COLUMN "search_vector"`);
  }
}
