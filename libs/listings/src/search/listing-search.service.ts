import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  addDays, chinaDate, decodeCursor, DomainError, type FieldProblem, isIsoDate, type Page, pgPool, preparedQuery, type Principal, toPage, uuidOrNone,
} from '@chanxiao/core';
import { CategoriesService } from '@chanxiao/categories';
import { haversineKm, RegionsService } from '@chanxiao/regions';
import type { Pool, PoolClient, QueryResultRow } from 'pg';
import type { DataSource } from 'typeorm';
import type { ListingStatus } from '../listing.state-machine';
import { ListingPhotoViews } from '../photos/listing-photo-views.service';
import type { ListingPhotoView } from '../photos/listing-photo.view';
import { gramsToKg, kgToGrams } from '../quantity.util';
import type { ListingSearchDetailQuery, ListingSearchQuery, ListingSearchView, SearchSort } from './dto/listing-search.dto';
import {
  CATEGORY_GROUP_SQL, exactTimestampSql, LISTING_COLUMNS_SQL, POSITION_SQL, SqlParams, unitVectorSql, URGENCY_KEY_SQL, urgencySql,
} from './search-sql';
import { KeywordSegmenter } from './keywords';
import { ListingKeywords } from './listing-keywords.service';
import { URGENCY_WEIGHTS } from './urgency.util';

/** Where distances are measured from: a region's centroid. */
interface Origin {
  code: string;
  lat: number;
  lon: number;
}

/** A row of the search queries: the lot's columns, its urgency, and its sort key (what the cursor stores). */
interface SearchRow {
  id: string;
  organization_id: string;
  status: ListingStatus;
  category_code: string;
  title: string;
  variety: string | null;
  grade: string | null;
  total_grams: string;
  available_grams: string;
  reserved_grams: string;
  sold_grams: string;
  min_order_grams: string;
  unit_price_fen: number;
  harvested_on: string;
  best_before: string;
  cold_chain: boolean;
  stalled: boolean;
  certificate_no: string | null;
  region_code: string;
  is_poverty_county: boolean;
  is_supervised_county: boolean;
  lat: number;
  lon: number;
  created_at: string;
  updated_at: string;
  published_at: string | null;
  urgency: number;
  sort_key: string | number;
}

/** A keyset order over `listings l`: the key the cursor stores, the ORDER BY, and "after this key". */
interface KeysetOrder {
  key: string;
  orderBy: string;
  after(sql: SqlParams, key: string | number, id: string): string;
  isKey(key: unknown): boolean;
}

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

const ORDERS: Record<Exclude<SearchSort, 'distance' | 'relevance'>, KeysetOrder> = {
  urgency: {
    key: `to_char(${URGENCY_KEY_SQL}, 'YYYY-MM-DD')`,
    orderBy: `${URGENCY_KEY_SQL}, l.id`,
    after: (sql, key, id) => `(${URGENCY_KEY_SQL}, l.id) > (${sql.p(key)}::date, ${sql.p(id)}::uuid)`,
    isKey: (key) => typeof key === 'string' && isIsoDate(key),
  },
  price: {
    key: 'l.unit_price_fen',
    orderBy: 'l.unit_price_fen, l.id',
    after: (sql, key, id) => `(l.unit_price_fen, l.id) > (${sql.p(key)}::int, ${sql.p(id)}::uuid)`,
    isKey: (key) => Number.isSafeInteger(key),
  },
  newest: {
    key: exactTimestampSql('l.published_at'),
    orderBy: 'l.published_at DESC, l.id DESC',
    after: (sql, key, id) => `(l.published_at, l.id) < (${sql.p(key)}::timestamptz, ${sql.p(id)}::uuid)`,
    isKey: (key) => typeof key === 'string' && ISO_TIMESTAMP.test(key),
  },
};

const RELEVANCE_KEY = /^\d+(\.\d+)?(e-?\d+)?\|\d{4}-\d{2}-\d{2}$/;

/**
 * `sort=relevance`: best keyword match first (`ts_rank` of the lot's vector for the query, a `real`), then most
 * urgent, then id. The key is `rank|effective best-before`: a real's text form round-trips exactly.
 */
function relevanceOrder(tsquery: string): KeysetOrder {
  const rank = `ts_rank(l.search_vector, ${tsquery})`;
  return {
    key: `${rank}::text || '|' || to_char(${URGENCY_KEY_SQL}, 'YYYY-MM-DD')`,
    orderBy: `${rank} DESC, ${URGENCY_KEY_SQL}, l.id`,
    after: (sql, key, id) => {
      const [r, date] = String(key).split('|');
      const rankParam = sql.p(Number(r), '::real');
      return `(${rank} < ${rankParam} OR (${rank} = ${rankParam} AND (${URGENCY_KEY_SQL}, l.id) > (${sql.p(date)}::date, ${sql.p(id)}::uuid)))`;
    },
    isKey: (key) => typeof key === 'string' && RELEVANCE_KEY.test(key) && isIsoDate(key.split('|')[1]),
  };
}

const MAX_BOOST_DAYS = URGENCY_WEIGHTS.stalledDays + URGENCY_WEIGHTS.povertyCountyDays + URGENCY_WEIGHTS.supervisedCountyDays;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ORGANIZATION_CACHE_SIZE = 10_000;
const PREPARED_SHAPES = 128;
const DAY = 86_400_000;
const UTC_PLUS_8 = 8 * 3_600_000;

/**
 * Buyer search over every seller's lots on the market: status `active` and best-before not yet passed (China
 * calendar; the expiry job may not have run yet). Filters, four sorts, opaque keyset cursors.
 *
 * Each sort is a total order with the lot id as the last key, and a cursor is the last row's key: a page starts
 * strictly after it, whatever changed in between. A lot whose own key changes between two pages (its price for
 * `sort=price`, its best-before or stalled flag for `sort=urgency`) moves: if it moved behind the cursor it is not
 * shown again in this walk, if it moved ahead it may be shown twice; no other lot repeats or is skipped.
 * Urgency does not depend on the date (see urgency.util.ts), so a walk across midnight stays in order too.
 *
 * Distance is great-circle, between county centroids: the origin is `nearRegionCode` or the buyer organisation's
 * region. `sort=distance` walks a GiST index nearest-first (or sorts the few lots of one region or leaf category);
 * a page costs in proportion to the lots before it.
 */
@Injectable()
export class ListingSearchService {
  // Organisations never change region (there is no such API), so this is a plain bounded memo.
  private readonly organizationRegions = new Map<string, string>();
  private readonly statementNames = new Map<string, string>();
  private todayCache = { date: '', until: 0 };

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly categories: CategoriesService,
    private readonly regions: RegionsService,
    private readonly photos: ListingPhotoViews,
    private readonly keywords: ListingKeywords,
  ) {}

  async search(principal: Principal, query: ListingSearchQuery): Promise<Page<ListingSearchView>> {
    const problems: FieldProblem[] = [];
    const sort = query.sort ?? 'urgency';
    const limit = query.limit ?? 20;
    const today = this.today();
    const sql = new SqlParams();
    const todayParam = sql.p(today, '::date');
    const where = this.filters(query, sql, todayParam, today, problems);
    const tsquery = this.keywordFilter(query, sort, sql, where, problems);
    const origin = await this.origin(principal, query.nearRegionCode, problems);
    if (problems.length) throw DomainError.validation('listing.bad_search', problems);
    const order = sort === 'distance' ? undefined : sort === 'relevance' ? relevanceOrder(tsquery!) : ORDERS[sort];
    const cursor = query.cursor ? decodeSearchCursor(query.cursor, sort, origin!.code, order) : undefined;
    const keyOf = (row: SearchRow) => [sort, sort === 'distance' ? origin!.code : null, row.sort_key, row.id];
    // The page's photos in one more query (by the shown lots' ids), not in the search statement: its plans stay as they are.
    const page = async (rows: SearchRow[]) => {
      const shown = rows.slice(0, limit);
      const [photos, sellers] = await Promise.all([this.photos.forListings(shown.map((row) => row.id)), this.sellerNames(shown)]);
      return toPage(rows, limit, (row) => toSearchView(row, origin!, photos.get(row.id) ?? [], sellers.get(row.organization_id) ?? ''), keyOf);
    };
    if (sort === 'distance') {
      // A region or a single leaf holds a few hundred to a few thousand lots, often far from the origin; sorting
      // them beats walking the nearest-first index past every nearer lot of the country.
      const few = query.regionCode !== undefined || (query.categoryCode?.includes('.') ?? false);
      return page(await this.nearest(sql, where, todayParam, origin!, limit, few, cursor));
    }

    if (!order) throw new Error('unreachable: distance is handled above');
    if (sort === 'urgency') {
      // Redundant with the best-before bounds (the flags move the key at most MAX_BOOST_DAYS earlier), but on the
      // index's own key, so the walk starts and stops there instead of filtering row by row.
      where.push(`${URGENCY_KEY_SQL} >= ${sql.p(addDays(today, -MAX_BOOST_DAYS))}::date`);
      if (query.expiringWithinDays !== undefined) {
        where.push(`${URGENCY_KEY_SQL} <= ${sql.p(addDays(today, query.expiringWithinDays))}::date`);
      }
    }
    // Publishing sets published_at; without it a lot could not take part in the keyset.
    if (sort === 'newest') where.push('l.published_at IS NOT NULL');
    if (cursor) where.push(order.after(sql, cursor.key, cursor.id));
    const rows = await this.run<SearchRow>(
      `SELECT ${LISTING_COLUMNS_SQL}, ${urgencySql(todayParam)} AS urgency, ${order.key} AS sort_key
       FROM listings l WHERE ${where.join(' AND ')} ORDER BY ${order.orderBy} LIMIT ${limit + 1}`,
      sql.values,
    );
    return page(rows);
  }

  /** One lot on the market, with its distance and urgency; 404 for any other lot (draft, closed, expired, unknown). */
  async get(principal: Principal, id: string, query: ListingSearchDetailQuery): Promise<ListingSearchView> {
    const problems: FieldProblem[] = [];
    const origin = await this.origin(principal, query.nearRegionCode, problems);
    if (problems.length) throw DomainError.validation('listing.bad_search', problems);
    const sql = new SqlParams();
    const todayParam = sql.p(this.today(), '::date');
    const [row] = await this.run<SearchRow>(
      `SELECT ${LISTING_COLUMNS_SQL}, ${urgencySql(todayParam)} AS urgency, NULL AS sort_key
       FROM listings l WHERE l.id = ${sql.p(uuidOrNone(id))}::uuid AND l.status = 'active' AND l.best_before >= ${todayParam}`,
      sql.values,
    );
    if (!row) throw DomainError.notFound('listing', id);
    const [photos, sellers] = await Promise.all([this.photos.forListing(row.id), this.sellerNames([row])]);
    return toSearchView(row, origin!, photos, sellers.get(row.organization_id) ?? '');
  }

  /** The names of the shown lots' sellers, in one more query by primary key (not in the search statement: its plans stay). */
  private async sellerNames(rows: SearchRow[]): Promise<Map<string, string>> {
    const ids = [...new Set(rows.map((row) => row.organization_id))];
    if (ids.length === 0) return new Map();
    const names = await preparedQuery<{ id: string; name: string }>(this.pool(), 'search_seller_names', 'SELECT id, name FROM organizations WHERE id = ANY($1::uuid[])', [ids]);
    return new Map(names.map((o) => [o.id, o.name]));
  }

  /**
   * `q`: the condition that the lot's vector matches every word of the query (GIN index), and the `tsquery`
   * parameter for `sort=relevance`. A `q` with nothing to search for (only punctuation) is a problem naming `q`.
   */
  private keywordFilter(query: ListingSearchQuery, sort: SearchSort, sql: SqlParams, where: string[], problems: FieldProblem[]): string | undefined {
    if (query.q === undefined) {
      if (sort === 'relevance') problems.push({ field: 'sort', message: 'relevance needs keywords: give q' });
      return undefined;
    }
    const terms = this.keywords.keywords.queryTerms(query.q);
    if (terms.length === 0) {
      problems.push({ field: 'q', message: 'must contain a Chinese character, a letter or a digit' });
      return undefined;
    }
    const tsquery = sql.p(KeywordSegmenter.tsquery(terms), '::tsquery');
    where.push(`l.search_vector @@ ${tsquery}`);
    return tsquery;
  }

  /** The WHERE conditions of the query's filters; unknown categories and regions are added to `problems`. */
  private filters(query: ListingSearchQuery, sql: SqlParams, todayParam: string, today: string, problems: FieldProblem[]): string[] {
    const where = [`l.status = 'active'`, `l.best_before >= ${todayParam}`];
    if (query.categoryCode !== undefined) {
      const category = this.categories.find(query.categoryCode);
      if (!category) problems.push({ field: 'categoryCode', message: `${query.categoryCode} is not a category code` });
      else if (category.parentCode !== null) where.push(`l.category_code = ${sql.p(category.code)}`);
      else {
        const leaves = this.categories.expand(category.code);
        // The group's own index needs the hierarchical codes the taxonomy promises; the leaf list is the fallback.
        const hierarchical = leaves.every((code) => code === category.code || code.startsWith(`${category.code}.`));
        if (hierarchical) where.push(`${CATEGORY_GROUP_SQL} = ${sql.p(category.code)}`);
        else where.push(`l.category_code = ANY(${sql.p(leaves)}::text[])`);
      }
    }
    if (query.regionCode !== undefined) {
      const region = this.regions.find(query.regionCode);
      if (!region) problems.push({ field: 'regionCode', message: `${query.regionCode} is not a GB/T 2260 region code` });
      else if (region.level === 'county') where.push(`l.region_code = ${sql.p(region.code)}`);
      else {
        // Counties carry their province's and city's digits: 5326xx lies in 532600 文山州, which lies in 53xxxx.
        const prefix = region.code.slice(0, region.level === 'province' ? 2 : 4);
        where.push(`l.region_code BETWEEN ${sql.p(prefix.padEnd(6, '0'))} AND ${sql.p(prefix.padEnd(6, '9'))}`);
      }
    }
    if (query.maxPriceFen !== undefined) where.push(`l.unit_price_fen <= ${sql.p(query.maxPriceFen)}`);
    if (query.minKg !== undefined) where.push(`l.available_grams >= ${sql.p(kgToGrams(query.minKg))}`);
    if (query.coldChain !== undefined) where.push(`l.cold_chain = ${sql.p(query.coldChain)}`);
    if (query.povertyOnly) where.push('l.is_poverty_county');
    if (query.supervisedOnly) where.push('l.is_supervised_county');
    if (query.expiringWithinDays !== undefined) where.push(`l.best_before <= ${sql.p(addDays(today, query.expiringWithinDays))}::date`);
    return where;
  }

  /**
   * The next `limit + 1` lots nearest first, ties by id. With `few` candidates, a plain sort of them. Otherwise
   * the GiST index yields lots by distance but cannot add the id tie-break, and every lot of a county shares its
   * centroid, so ties are the rule: take `limit + 1` by distance alone, keep those strictly nearer than the last
   * one, and fill up with the lots at exactly the last one's distance, in id order.
   *
   * Lots sit on county centroids and origins are region centroids, and from no region are two distinct county
   * centroids at exactly the same distance (checked for all 9.7M pairs, see docs/architecture.md): the lots at the
   * edge distance are the lots at the edge point, which the index finds in a box around that point alone. Should
   * the edge rows ever sit at two points, the box grows to every lot within the edge distance, which is exact.
   */
  private async nearest(
    sql: SqlParams, where: string[], todayParam: string, origin: Origin, limit: number, few: boolean, cursor?: SearchCursor,
  ): Promise<SearchRow[]> {
    const from = unitVectorSql(sql.p(origin.lat, '::float8'), sql.p(origin.lon, '::float8'));
    const distance = `(${POSITION_SQL} <-> ${from})`;
    const conditions = [...where];
    if (cursor) conditions.push(`(${distance}, l.id) > (${sql.p(cursor.key)}::float8, ${sql.p(cursor.id)}::uuid)`);
    const select = `SELECT ${LISTING_COLUMNS_SQL}, ${urgencySql(todayParam)} AS urgency, ${distance} AS sort_key FROM listings l`;
    const statement = (extra: string[], orderBy: string, n: number) =>
      `${select} WHERE ${[...conditions, ...extra].join(' AND ')} ORDER BY ${orderBy} LIMIT ${n}`;
    if (few) return this.run<SearchRow>(statement([], `${distance}, l.id`, limit + 1), sql.values);

    const connection = await this.pool().connect();
    try {
      const query = (extra: string[], orderBy: string, n: number) => this.run<SearchRow>(statement(extra, orderBy, n), sql.values, connection);
      const sorted = (await query([], distance, limit + 1)).sort(byKeyThenId);
      if (sorted.length <= limit) return sorted;
      const edge = sorted[sorted.length - 1];
      const nearer = sorted.filter((row) => row.sort_key < edge.sort_key);
      // A full page strictly nearer: the edge row only says that a next page exists.
      if (nearer.length === limit) return sorted;
      const edgeParam = sql.p(edge.sort_key, '::float8');
      const onePoint = sorted.every((row) => row.sort_key !== edge.sort_key || (row.lat === edge.lat && row.lon === edge.lon));
      const box = onePoint
        ? `${POSITION_SQL} <@ ${unitVectorSql(sql.p(edge.lat, '::float8'), sql.p(edge.lon, '::float8'))}`
        : `${POSITION_SQL} <@ cube_enlarge(${from}, ${edgeParam}, 3)`;
      const atEdge = await query([box, `${distance} = ${edgeParam}`], 'l.id', limit + 1 - nearer.length);
      return [...nearer, ...atEdge];
    } finally {
      connection.release();
    }
  }

  /**
   * Runs a search statement as a named prepared statement: PostgreSQL then parses it once per connection and, for
   * a shape whose best plan does not depend on the values (most of them), plans it once too. That took a third off
   * the database's time per search at 100k lots. Shapes (which filters, which sort) are bounded in number but not
   * small, so past PREPARED_SHAPES the rest run unnamed rather than pile up plans. `on` keeps two statements on one
   * connection: under load, waiting for a pooled connection costs more than the statement.
   */
  private async run<T>(text: string, values: unknown[], on: Pool | PoolClient = this.pool()): Promise<T[]> {
    let name = this.statementNames.get(text);
    if (!name && this.statementNames.size < PREPARED_SHAPES) {
      name = `search_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
      this.statementNames.set(text, name);
    }
    if (!name) return (await on.query<T & QueryResultRow>({ text, values: [...values] })).rows;
    return preparedQuery<T & QueryResultRow>(on, name, text, [...values]);
  }

  /** TypeORM's own pg pool (the same connections): its query() cannot name a statement or hold a connection. */
  private pool(): Pool {
    return pgPool(this.dataSource);
  }

  /** chinaDate(), formatted once a day rather than on every request (Intl formatting is not cheap). */
  private today(): string {
    const now = Date.now();
    if (now >= this.todayCache.until) {
      // China has kept UTC+8 without daylight saving since 1991: its date changes at 16:00 UTC.
      this.todayCache = { date: chinaDate(new Date(now)), until: (Math.floor((now + UTC_PLUS_8) / DAY) + 1) * DAY - UTC_PLUS_8 };
    }
    return this.todayCache.date;
  }

  private async origin(principal: Principal, nearRegionCode: string | undefined, problems: FieldProblem[]): Promise<Origin | undefined> {
    const code = nearRegionCode ?? (await this.organizationRegion(principal.organizationId));
    const region = this.regions.find(code);
    if (!region) {
      problems.push({ field: 'nearRegionCode', message: `${code} is not a GB/T 2260 region code` });
      return undefined;
    }
    return { code: region.code, lat: region.centroid.lat, lon: region.centroid.lon };
  }

  private async organizationRegion(organizationId: string): Promise<string> {
    const cached = this.organizationRegions.get(organizationId);
    if (cached) return cached;
    const [row] = await this.dataSource.query<{ region_code: string }[]>(
      `SELECT region_code FROM organizations WHERE id = $1`,
      [organizationId],
    );
    if (!row) throw DomainError.notFound('organization', organizationId);
    if (this.organizationRegions.size >= ORGANIZATION_CACHE_SIZE) this.organizationRegions.clear();
    this.organizationRegions.set(organizationId, row.region_code);
    return row.region_code;
  }
}

interface SearchCursor {
  key: string | number;
  id: string;
}

/**
 * A cursor is `[sort, origin, key, id]`: the sort it was made for, the origin of a distance walk (else null),
 * the last row's sort key and its id. Anything else is a 400 naming `cursor`, never a query PostgreSQL rejects.
 */
function decodeSearchCursor(cursor: string, sort: SearchSort, originCode: string, order: KeysetOrder | undefined): SearchCursor {
  const [madeFor, origin, key, id] = decodeCursor(cursor, 4);
  const isKey = order ? order.isKey : (k: unknown) => typeof k === 'number' && Number.isFinite(k);
  const problem = (message: string) => DomainError.validation('request.bad_cursor', [{ field: 'cursor', message }]);
  if (madeFor !== sort) throw problem(`was made for sort=${String(madeFor)}, not sort=${sort}`);
  if (sort === 'distance' && origin !== originCode) throw problem(`was made for distances from ${String(origin)}, not from ${originCode}`);
  if (!isKey(key) || typeof id !== 'string' || !UUID.test(id)) throw problem('is not a cursor returned by this collection');
  return { key: key as string | number, id };
}

function byKeyThenId(a: SearchRow, b: SearchRow): number {
  return (a.sort_key as number) - (b.sort_key as number) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

// The seller's toListingView goes through an entity and Dates; search builds the same view straight from the row,
// which is most of what a search request costs in this process (ListingSearchView's type keeps the fields in step).
function toSearchView(row: SearchRow, origin: Origin, photos: ListingPhotoView[], sellerName: string): ListingSearchView {
  return {
    id: row.id,
    organizationId: row.organization_id,
    status: row.status,
    categoryCode: row.category_code,
    title: row.title,
    variety: row.variety,
    grade: row.grade,
    quantityKg: gramsToKg(Number(row.total_grams)),
    availableKg: gramsToKg(Number(row.available_grams)),
    reservedKg: gramsToKg(Number(row.reserved_grams)),
    soldKg: gramsToKg(Number(row.sold_grams)),
    minOrderKg: gramsToKg(Number(row.min_order_grams)),
    unitPriceFen: row.unit_price_fen,
    harvestedOn: row.harvested_on,
    bestBefore: row.best_before,
    coldChain: row.cold_chain,
    stalled: row.stalled,
    certified: row.certificate_no !== null,
    certificateNo: row.certificate_no,
    regionCode: row.region_code,
    isPovertyCounty: row.is_poverty_county,
    isSupervisedCounty: row.is_supervised_county,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    publishedAt: row.published_at,
    distanceKm: Math.round(haversineKm(origin, row) * 10) / 10,
    urgency: row.urgency,
    sellerName,
    photos,
  };
}
