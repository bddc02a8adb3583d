import { KeywordSegmenter } from './keywords';

const BATCH = 2000;

/** Runs one statement: a migration's QueryRunner, a pg Pool, a DataSource. */
export type RunQuery = (sql: string, parameters: unknown[]) => Promise<unknown[]>;

/**
 * Writes `search_vector` for every lot (or those `WHERE` says, e.g. `l.search_vector = ''`), in id order and
 * batches of 2,000, with a segmenter whose dictionary is read from the database's own categories and regions: the
 * migration that adds the column, and benchmarks that seed lots by SQL. Returns how many lots it wrote.
 */
export async function fillSearchVectors(query: RunQuery, where = 'true'): Promise<number> {
  const names = (await query(`SELECT name_zh AS name FROM categories UNION ALL SELECT name FROM regions`, [])) as { name: string }[];
  const segmenter = new KeywordSegmenter(names.map((r) => r.name));
  let written = 0;
  for (let after = '00000000-0000-0000-0000-000000000000'; ;) {
    const rows = (await query(
      `SELECT l.id, l.title, l.variety, l.grade, ARRAY[c.name_zh, g.name_zh] AS names, ARRAY[r1.name, r2.name, r3.name] AS places
       FROM listings l
       LEFT JOIN categories c ON c.code = l.category_code LEFT JOIN categories g ON g.code = c.parent_code
       LEFT JOIN regions r1 ON r1.code = l.region_code LEFT JOIN regions r2 ON r2.code = r1.parent_code LEFT JOIN regions r3 ON r3.code = r2.parent_code
       WHERE l.id > $1 AND (${where}) ORDER BY l.id LIMIT ${BATCH}`,
      [after],
    )) as { id: string; title: string; variety: string | null; grade: string | null; names: (string | null)[]; places: (string | null)[] }[];
    if (rows.length === 0) return written;
    const present = (values: (string | null)[]) => values.filter((v): v is string => !!v);
    const vectors = rows.map((row) => segmenter.vectorOf({
      title: row.title, variety: row.variety, grade: row.grade, categoryNames: present(row.names), regionNames: present(row.places),
    }));
    await query(
      `UPDATE listings l SET search_vector = v.vector::tsvector FROM unnest($1::uuid[], $2::text[]) AS v(id, vector) WHERE l.id = v.id`,
      [rows.map((row) => row.id), vectors],
    );
    written += rows.length;
    after = rows[rows.length - 1].id;
  }
}
