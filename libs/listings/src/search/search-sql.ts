import { URGENCY_WEIGHTS } from './urgency.util';

// SQL over `listings l` for buyer search. The index expressions of migration 1764057600000 are these very
// expressions (PostgreSQL uses an expression index only for the same expression), so change both or neither.

const W = URGENCY_WEIGHTS;

/**
 * The effective best-before (a date) of urgency.util.ts: the sort key of `sort=urgency`, ascending, and
 * the leading key of `listings_search_urgency_idx` and its per-category variants.
 */
export const URGENCY_KEY_SQL = `(l.best_before - (l.stalled::int * ${W.stalledDays} + l.is_poverty_county::int * ${W.povertyCountyDays}`
  + ` + l.is_supervised_county::int * ${W.supervisedCountyDays}))`;

/** `urgency` on the date given as a parameter: 365 + today − effective best-before. */
export const urgencySql = (todayParam: string): string => `(${W.horizonDays} - (${URGENCY_KEY_SQL} - ${todayParam}))`;

/** The top-level category of a leaf (`fruit` of `fruit.apple`): codes are hierarchical (see the taxonomy). */
export const CATEGORY_GROUP_SQL = `split_part(l.category_code, '.', 1)`;

/** A point on the unit sphere, as a `cube`, from degrees of latitude and longitude. */
export const unitVectorSql = (lat: string, lon: string): string =>
  `cube(ARRAY[cos(radians(${lat})) * cos(radians(${lon})), cos(radians(${lat})) * sin(radians(${lon})), sin(radians(${lat}))])`;

/** The lot's centroid on the unit sphere: `listings_search_distance_idx` (GiST) indexes it. */
export const POSITION_SQL = unitVectorSql('l.lat', 'l.lon');

/** The timestamp as UTC text with microseconds, so a keyset cursor round-trips `timestamptz` exactly. */
export const exactTimestampSql = (column: string): string => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** A timestamp as `Date.prototype.toISOString()` writes it (milliseconds, UTC), without a Date on the way. */
export const isoTimestampSql = (column: string): string => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * Every column a listing view needs. Dates and timestamps come as the text the API shows: node-postgres would
 * otherwise build a Date for each (local midnight for a `date`), only for it to be formatted again.
 */
export const LISTING_COLUMNS_SQL = [
  'l.id', 'l.organization_id', 'l.status', 'l.category_code', 'l.title', 'l.variety', 'l.grade', 'l.total_grams',
  'l.available_grams', 'l.reserved_grams', 'l.sold_grams', 'l.min_order_grams', 'l.unit_price_fen',
  `to_char(l.harvested_on, 'YYYY-MM-DD') AS harvested_on`, `to_char(l.best_before, 'YYYY-MM-DD') AS best_before`,
  'l.cold_chain', 'l.stalled', 'l.certificate_no', 'l.region_code', 'l.is_poverty_county', 'l.is_supervised_county',
  'l.lat', 'l.lon', `${isoTimestampSql('l.created_at')} AS created_at`, `${isoTimestampSql('l.updated_at')} AS updated_at`,
  `${isoTimestampSql('l.published_at')} AS published_at`,
].join(', ');

/** Positional parameters for one statement: `sql.p(value)` adds a value and returns its `$n`. */
export class SqlParams {
  readonly values: unknown[] = [];

  p(value: unknown, cast = ''): string {
    this.values.push(value);
    return `$${this.values.length}${cast}`;
  }
}
