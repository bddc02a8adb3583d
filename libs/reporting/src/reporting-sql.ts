/**
 * The SQL behind every dashboard figure and report sheet, in one place so the definitions are read once
 * (docs/reporting.md states them in words):
 * - **listed**: grams put on the market in the period: lots whose `published_at` falls in it, at their listed
 *   quantity (`total_grams + delisted_grams`, which is what the cooperative listed whatever happened since).
 * - **stalled**: the listed grams of lots flagged 滞销 (`stalled`).
 * - **sold**: order lines of orders that were paid (`paid`, `shipped`, `delivered`, `completed`) with
 *   `paid_at` in the period. Payment is when stock becomes sold (OrderLifecycleService.confirmPayment), so
 *   sold grams here add up to the lots' `sold_grams`. A line counts in the county and category of its lot.
 * - **stock**: `available_grams` of `active` lots now (not in the period: stock has no history).
 * Periods are [start, end) instants in China time. Scopes are lists of county codes (`$1`).
 */
export const SOLD_STATUSES = `('paid', 'shipped', 'delivered', 'completed')`;

/** Sold lines in scope ($1 county codes) paid in [$2, $3). */
const SOLD_LINES = `
  FROM orders o
  JOIN order_lines ol ON ol.order_id = o.id
  JOIN listings l ON l.id = ol.listing_id
  WHERE o.status IN ${SOLD_STATUSES} AND o.paid_at >= $2 AND o.paid_at < $3 AND l.region_code = ANY($1::bpchar[])`;

const LISTED_LOTS = `
  FROM listings l
  WHERE l.published_at >= $2 AND l.published_at < $3 AND l.region_code = ANY($1::bpchar[])`;

/** Sold lines with their buyer organisation as `b`. */
const SOLD_LINES_WITH_BUYER = SOLD_LINES.replace('JOIN listings l', 'JOIN organizations b ON b.id = o.buyer_organization_id\n  JOIN listings l');

/** The sold figures of a group of lines (with `coalesce` where a group may be empty: totals). */
const soldFigures = (zero = false) => {
  const sum = (expr: string) => (zero ? `coalesce(sum(${expr}), 0)` : `sum(${expr})`);
  return `${sum('ol.quantity_grams')}::bigint AS grams, ${sum('ol.amount_fen')}::bigint AS fen,
           count(DISTINCT o.id)::int AS orders, count(DISTINCT o.buyer_organization_id)::int AS buyers`;
};
const LISTED_FIGURES = `sum(l.total_grams + l.delisted_grams)::bigint AS grams,
           coalesce(sum(l.total_grams + l.delisted_grams) FILTER (WHERE l.stalled), 0)::bigint AS stalled_grams`;
const ACTIVE_STOCK = `FROM listings l WHERE l.status = 'active' AND l.region_code = ANY($1::bpchar[])`;

/** Sold, listed and stock figures grouped by `key` (a county, a category, a month). */
const soldBy = (key: string) => `
    SELECT ${key} AS key, ${soldFigures()}
    ${SOLD_LINES} GROUP BY 1`;
const listedBy = (key: string) => `
    SELECT ${key} AS key, ${LISTED_FIGURES}
    ${LISTED_LOTS} GROUP BY 1`;
const stockBy = (key: string) => `
    SELECT ${key} AS key, sum(l.available_grams)::bigint AS grams
    ${ACTIVE_STOCK} GROUP BY 1`;

export const SQL = {
  soldTotals: `
    SELECT ${soldFigures(true)}
    ${SOLD_LINES}`,
  listedTotals: `
    SELECT coalesce(sum(l.total_grams + l.delisted_grams), 0)::bigint AS grams,
           coalesce(sum(l.total_grams + l.delisted_grams) FILTER (WHERE l.stalled), 0)::bigint AS stalled_grams
    ${LISTED_LOTS}`,
  soldLineCount: `SELECT count(*)::int AS lines ${SOLD_LINES}`,
  stockTotals: `
    SELECT coalesce(sum(l.available_grams), 0)::bigint AS grams
    ${ACTIVE_STOCK}`,

  soldByCounty: soldBy('l.region_code'),
  listedByCounty: listedBy('l.region_code'),
  stockByCounty: stockBy('l.region_code'),

  soldByCategory: soldBy('ol.category_code'),
  listedByCategory: listedBy('l.category_code'),
  stockByCategory: stockBy('l.category_code'),

  soldByMonth: soldBy(`to_char(o.paid_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM')`),
  listedByMonth: listedBy(`to_char(l.published_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM')`),

  /** 消费扶贫 purchases by the buyer's type; `poverty_fen` is what was bought from poverty counties. */
  soldByBuyerType: `
    SELECT b.buyer_type AS key, ${soldFigures()},
           coalesce(sum(ol.amount_fen) FILTER (WHERE l.is_poverty_county), 0)::bigint AS poverty_fen
    ${SOLD_LINES_WITH_BUYER} GROUP BY 1`,

  /**
   * The monthly report's sold figures in one scan: `GROUPING SETS` by county, by category, by buyer type and
   * for the whole scope (`g`: 3 county, 5 category, 6 buyer type, 7 total), each with the same sums and distinct
   * counts as the per-key queries above, plus the number of lines.
   */
  soldBreakdown: `
    SELECT GROUPING(l.region_code, ol.category_code, b.buyer_type)::int AS g, l.region_code AS county, ol.category_code AS category, b.buyer_type,
           ${soldFigures(true)},
           coalesce(sum(ol.amount_fen) FILTER (WHERE l.is_poverty_county), 0)::bigint AS poverty_fen, count(*)::int AS lines
    ${SOLD_LINES_WITH_BUYER}
    GROUP BY GROUPING SETS ((), (l.region_code), (ol.category_code), (b.buyer_type))`,
  /** Listed lots of the period by county, by category and in total (`g`: 1 county, 2 category, 3 total). */
  listedBreakdown: `
    SELECT GROUPING(l.region_code, l.category_code)::int AS g, l.region_code AS county, l.category_code AS category,
           coalesce(sum(l.total_grams + l.delisted_grams), 0)::bigint AS grams,
           coalesce(sum(l.total_grams + l.delisted_grams) FILTER (WHERE l.stalled), 0)::bigint AS stalled_grams
    ${LISTED_LOTS} GROUP BY GROUPING SETS ((), (l.region_code), (l.category_code))`,
  /** Stock now by county, by category and in total (`g` as in listedBreakdown). */
  stockBreakdown: `
    SELECT GROUPING(l.region_code, l.category_code)::int AS g, l.region_code AS county, l.category_code AS category, coalesce(sum(l.available_grams), 0)::bigint AS grams
    ${ACTIVE_STOCK} GROUP BY GROUPING SETS ((), (l.region_code), (l.category_code))`,

  /**
   * Every sold line of the period, for the report's detail sheet, in its columns' order (`LINE_COLUMNS`; the
   * county code twice, the report names it; payment time as epoch ms), then what the report's totals need
   * (`SoldLineTotals`: the buyer and whether the lot is in a poverty county); read through a cursor.
   */
  soldLines: `
    SELECT floor(extract(epoch FROM o.paid_at) * 1000)::bigint AS paid_ms, o.id AS order_id, ol.line_no, o.status, l.region_code, l.region_code AS county,
           ol.category_code, ol.title, s.name AS seller_name, b.name AS buyer_name, b.buyer_type, ol.quantity_grams, ol.unit_price_fen, ol.amount_fen,
           o.buyer_organization_id, l.is_poverty_county
    FROM orders o
    JOIN order_lines ol ON ol.order_id = o.id
    JOIN listings l ON l.id = ol.listing_id
    JOIN organizations s ON s.id = o.seller_organization_id
    JOIN organizations b ON b.id = o.buyer_organization_id
    WHERE o.status IN ${SOLD_STATUSES} AND o.paid_at >= $2 AND o.paid_at < $3 AND l.region_code = ANY($1::bpchar[])
    ORDER BY o.paid_at, o.id, ol.line_no`,

  /** Active lots with stock that are stalled or reach best-before by $3 (today = $2), supervised counties first. */
  atRisk: `
    SELECT l.id, l.title, l.category_code, c.name_zh AS category_name, l.region_code, l.organization_id, s.name AS seller_name,
           l.is_poverty_county, l.is_supervised_county, l.stalled, l.available_grams, l.unit_price_fen,
           to_char(l.best_before, 'YYYY-MM-DD') AS best_before, (l.best_before - $2::date) AS days_left
    FROM listings l
    JOIN categories c ON c.code = l.category_code
    JOIN organizations s ON s.id = l.organization_id
    WHERE l.status = 'active' AND l.available_grams > 0 AND l.region_code = ANY($1::bpchar[])
      AND (l.stalled OR l.best_before <= $3::date)
    ORDER BY l.is_supervised_county DESC, l.best_before ASC, l.stalled DESC, l.available_grams DESC, l.id
    LIMIT $4 OFFSET $5`,

  categoryNames: `SELECT code, name_zh, parent_code FROM categories`,
} as const;
