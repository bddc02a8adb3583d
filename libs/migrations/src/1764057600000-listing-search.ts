import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Buyer search: each lot's county centroid (`lat`, `lon`, copied from `regions` like the poverty flags) and
 * partial indexes over active lots, one per sort order, so that a page is an index walk rather than a sort of
 * every active lot. The expressions below must stay identical to those in `libs/listings/src/search/search-sql.ts`:
 * PostgreSQL uses an expression index only for the very same expression.
 *
 * - urgency: the lot's effective best-before (best-before moved earlier by 14 days when stalled, 7 in a poverty
 *   county, 14 more in a supervised one); ascending effective best-before is descending urgency on any date.
 * - price, newest: plain columns, with `id` as the tie-break of the keyset.
 * - urgency and price also behind a leaf category, and behind a top-level one (`fruit` of `fruit.apple`): a
 *   category's lots are far from evenly spread over either order (grain is rarely urgent, tea never cheap), so
 *   walking the global index and filtering can read most of the table.
 * - region: county and prefix (province, city) filters.
 * - distance: the centroid as a point on the unit sphere (`cube` extension), whose GiST index answers
 *   nearest-first (`<->`, chord length, which orders exactly like great-circle distance).
 */
export class ListingSearch1764057600000 implements MigrationInterface {
  name = 'ListingSearch1764057600000';

  async up(q: QueryRunner): Promise<void> {
    // `cube` is a trusted contrib extension (PostgreSQL ≥ 13): a database owner may create it.
    await q.query(`CREATE EXTENSION IF NOT EXISTS cube`);
    await q.query(`ALTER TABLE "listings" ADD "lat" double precision, ADD "lon" double precision`);
    await q.query(`UPDATE "listings" l SET "lat" = r."lat", "lon" = r."lon" FROM "regions" r WHERE r."code" = l."region_code"`);
    await q.query(`ALTER TABLE "listings" ALTER "lat" SET NOT NULL, ALTER "lon" SET NOT NULL`);
    const active = `WHERE "status" = 'active'`;
    const urgencyKey = `("best_before" - ("stalled"::int * 14 + "is_poverty_county"::int * 7 + "is_supervised_county"::int * 14))`;
    const group = `split_part("category_code", '.', 1)`;
    const position = `cube(ARRAY[cos(radians("lat")) * cos(radians("lon")), cos(radians("lat")) * sin(radians("lon")), sin(radians("lat"))])`;
    const indexes: [string, string][] = [
      ['urgency', `(${urgencyKey}, "id")`],
      ['category_urgency', `("category_code", ${urgencyKey}, "id")`],
      ['group_urgency', `((${group}), ${urgencyKey}, "id")`],
      ['price', `("unit_price_fen", "id")`],
      ['category_price', `("category_code", "unit_price_fen", "id")`],
      ['group_price', `((${group}), "unit_price_fen", "id")`],
      ['newest', `("published_at", "id")`],
      ['region', `("region_code")`],
      ['distance', `USING gist ((${position}))`],
    ];
    for (const [name, definition] of indexes) {
      await q.query(`CREATE INDEX "listings_search_${name}_idx" ON "listings" ${definition} ${active}`);
    }
    // The planner takes no statistics from partial indexes: without these it guesses a third of the table for any
    // range of the urgency key (and sorts 20,000 lots for a second page instead of walking the index).
    await q.query(`CREATE STATISTICS "listings_search_urgency_stats" ON (${urgencyKey}) FROM "listings"`);
    await q.query(`CREATE STATISTICS "listings_search_group_stats" ON ((${group})) FROM "listings"`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP STATISTICS "listings_search_group_stats", "listings_search_urgency_stats"`);
    for (const name of ['urgency', 'category_urgency', 'group_urgency', 'price', 'category_price', 'group_price', 'newest', 'region', 'distance']) {
      await q.query(`DROP INDEX "listings_search_${name}_idx"`);
    }
    await q.query(`ALTER TABLE "listings" DROP "lat", DROP "lon"`);
    await q.query(`DROP EXTENSION IF EXISTS cube`);
  }
}
