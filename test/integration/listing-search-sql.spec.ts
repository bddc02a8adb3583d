import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { postgresOptions } from '@chanxiao/core';
import { CATEGORY_GROUP_SQL, POSITION_SQL, unitVectorSql, URGENCY_KEY_SQL } from '@chanxiao/listings/search/search-sql';
import { createTestEnv, type TestEnv } from '../support/test-env';

// PostgreSQL uses an expression index only for the very expression it was built on. The migration spells the
// expressions out (migrations are frozen), search-sql.ts builds them from the urgency weights: if the two drift
// apart, search still answers correctly but sorts every active lot on every request. These plans catch it.
describe('buyer search SQL and its indexes', () => {
  let env: TestEnv;
  let db: DataSource;

  beforeAll(async () => {
    env = await createTestEnv();
    db = await new DataSource(postgresOptions(env.config)).initialize();
  });

  afterAll(async () => {
    await db?.destroy();
    await env?.destroy();
  });

  // With sequential scans and sorts priced out, an index is chosen whenever one matches the query at all.
  const plan = (sql: string): Promise<string> =>
    db.transaction(async (manager) => {
      await manager.query('SET LOCAL enable_seqscan = off');
      await manager.query('SET LOCAL enable_sort = off');
      const rows: { 'QUERY PLAN': string }[] = await manager.query(`EXPLAIN ${sql}`);
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    });
  const active = `FROM listings l WHERE l.status = 'active'`;

  it.each([
    ['urgency', `SELECT l.id ${active} ORDER BY ${URGENCY_KEY_SQL}, l.id LIMIT 21`, 'listings_search_urgency_idx'],
    ['urgency in a leaf', `SELECT l.id ${active} AND l.category_code = 'fruit.apple' ORDER BY ${URGENCY_KEY_SQL}, l.id LIMIT 21`, 'listings_search_category_urgency_idx'],
    ['urgency in a group', `SELECT l.id ${active} AND ${CATEGORY_GROUP_SQL} = 'fruit' ORDER BY ${URGENCY_KEY_SQL}, l.id LIMIT 21`, 'listings_search_group_urgency_idx'],
    ['price in a group', `SELECT l.id ${active} AND ${CATEGORY_GROUP_SQL} = 'veg' ORDER BY l.unit_price_fen, l.id LIMIT 21`, 'listings_search_group_price_idx'],
    ['distance', `SELECT l.id ${active} ORDER BY ${POSITION_SQL} <-> ${unitVectorSql('22.7', '114.2')} LIMIT 21`, 'listings_search_distance_idx'],
  ])('walks %s on its index', async (_, sql, index) => {
    expect(await plan(sql)).toContain(index);
  });
});
