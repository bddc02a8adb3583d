import type { BuyerTypeRow, CategoryRow, CountyRow, Figures, SummaryView } from '../dashboard.views';
import type { Period } from '../period.util';
import { type AssistanceReportData, assistanceTables } from '../assistance/assistance-sheets';

/**
 * The monthly report as format-neutral tables (pure: no Nest, no TypeORM). Money is carried in fen; the
 * spreadsheet and CSV writers show it in yuan with two decimals, JSON keeps fen.
 */
export type ColumnKind = 'text' | 'kg' | 'yuan' | 'int' | 'rate' | 'days' | 'bool' | 'datetime';

export interface Column {
  header: string;
  kind: ColumnKind;
  width?: number;
}

export type Cell = string | number | boolean | null | Date;

export interface Table {
  /** Sheet name (≤ 31 characters) and CSV section title. */
  name: string;
  columns: Column[];
  rows: Cell[][];
}

/** Everything in a monthly report except its sold lines, which are streamed. */
export interface ReportData {
  month: string;
  period: Period;
  previousMonth: string;
  regionCode: string;
  regionName: string;
  generatedAt: Date;
  summary: { current: Figures; previous: Figures; stockKg: number };
  counties: CountyRow[];
  supervisedCounties: CountyRow[];
  categories: CategoryRow[];
  buyerTypes: BuyerTypeRow[];
  lineCount: number;
  /** 消费扶贫: pledges, campaigns, courier subsidies (issue 9); absent in reports built without them. */
  assistance?: AssistanceReportData;
}

export const SHEETS = {
  summary: '汇总',
  counties: '分县统计',
  supervised: '挂牌督战县',
  categories: '分品类统计',
  buyerTypes: '消费扶贫按采购方类型',
  lines: '销售明细',
} as const;

const FIGURE_COLUMNS: Column[] = [
  { header: '上架量（公斤）', kind: 'kg', width: 16 },
  { header: '其中滞销（公斤）', kind: 'kg', width: 16 },
  { header: '销售量（公斤）', kind: 'kg', width: 16 },
  { header: '销售额（元）', kind: 'yuan', width: 16 },
  { header: '订单数', kind: 'int', width: 10 },
  { header: '采购方数', kind: 'int', width: 10 },
  { header: '产销率', kind: 'rate', width: 10 },
  { header: '在售库存（公斤）', kind: 'kg', width: 16 },
  { header: '库存可售天数', kind: 'days', width: 14 },
];

const COUNTY_COLUMNS: Column[] = [
  { header: '县（区）代码', kind: 'text', width: 12 },
  { header: '县（区）', kind: 'text', width: 16 },
  { header: '所属市（州）', kind: 'text', width: 22 },
  { header: '国家扶贫开发工作重点县', kind: 'bool', width: 12 },
  { header: '挂牌督战县', kind: 'bool', width: 12 },
  ...FIGURE_COLUMNS,
];

/**
 * How a sold line's column comes from the cursor: every column is text (or null), in the units the database
 * keeps; the writers turn grams into kg, fen into yuan and epoch milliseconds into Beijing time.
 */
export type LineSource = 'text' | 'int' | 'grams' | 'fen' | 'epochMs';

export interface LineColumn extends Column {
  source: LineSource;
  /** Different on (almost) every line, such as the order number: written inline, not as a shared string. */
  unique?: boolean;
}

/** One sold line as streamed to the writers: text columns in `LINE_COLUMNS` order (see `SQL.soldLines`). */
export type SoldLine = (string | null)[];

export const LINE_COLUMNS: LineColumn[] = [
  { header: '付款时间', kind: 'datetime', source: 'epochMs', width: 20 },
  { header: '订单号', kind: 'text', source: 'text', unique: true, width: 38 },
  { header: '行号', kind: 'int', source: 'int', width: 6 },
  { header: '订单状态', kind: 'text', source: 'text', width: 10 },
  { header: '县（区）代码', kind: 'text', source: 'text', width: 12 },
  { header: '县（区）', kind: 'text', source: 'text', width: 14 },
  { header: '品类', kind: 'text', source: 'text', width: 12 },
  { header: '品名', kind: 'text', source: 'text', width: 28 },
  { header: '卖方', kind: 'text', source: 'text', width: 30 },
  { header: '买方', kind: 'text', source: 'text', width: 30 },
  { header: '采购方类型', kind: 'text', source: 'text', width: 18 },
  { header: '数量（公斤）', kind: 'kg', source: 'grams', width: 14 },
  { header: '单价（元/公斤）', kind: 'yuan', source: 'fen', width: 14 },
  { header: '金额（元）', kind: 'yuan', source: 'fen', width: 14 },
];

export const ORDER_STATUS_NAMES: Record<string, string> = { paid: '已付款', shipped: '已发货', delivered: '已收货', completed: '已完成' };

const figureCells = (f: Figures & { stockKg?: number; daysOfStockLeft?: number | null }): Cell[] => [
  f.listedKg, f.stalledKg, f.soldKg, f.soldFen, f.orders, f.buyers, f.sellThroughRate, f.stockKg ?? null, f.daysOfStockLeft ?? null,
];

const countyRow = (c: CountyRow): Cell[] => [c.regionCode, c.name, c.cityName ?? '', c.isPovertyCounty, c.isSupervisedCounty, ...figureCells(c)];

/** The report's tables in sheet order; the sold lines follow as the last sheet. */
export function reportTables(data: ReportData): Table[] {
  const { current, previous } = data.summary;
  const summaryRows: [string, keyof Figures, ColumnKind][] = [
    ['上架量（公斤）', 'listedKg', 'kg'],
    ['其中滞销（公斤）', 'stalledKg', 'kg'],
    ['销售量（公斤）', 'soldKg', 'kg'],
    ['销售额（元）', 'soldFen', 'yuan'],
    ['订单数', 'orders', 'int'],
    ['采购方数', 'buyers', 'int'],
    ['产销率（销售量÷上架量）', 'sellThroughRate', 'rate'],
  ];
  const buyerTotal = data.buyerTypes.reduce((t, r) => ({ orders: t.orders + r.orders, soldKg: t.soldKg + r.soldKg, soldFen: t.soldFen + r.soldFen, poverty: t.poverty + r.povertyCountyFen }), { orders: 0, soldKg: 0, soldFen: 0, poverty: 0 });
  return [
    {
      name: SHEETS.summary,
      columns: [
        { header: '指标', kind: 'text', width: 28 },
        { header: `本月（${data.month}）`, kind: 'text', width: 20 },
        { header: `上月（${data.previousMonth}）`, kind: 'text', width: 20 },
      ],
      rows: [
        ['报告月份', data.month, ''],
        ['地区', `${data.regionName}（${data.regionCode}）`, ''],
        ['生成时间（北京时间）', data.generatedAt, ''],
        ...summaryRows.map(([label, key, kind]) => [label, { kind, value: current[key] }, { kind, value: previous[key] }] as unknown as Cell[]),
        ['月末在售库存（公斤）', { kind: 'kg', value: data.summary.stockKg } as unknown as Cell, ''],
        ['销售明细行数', { kind: 'int', value: data.lineCount } as unknown as Cell, ''],
        ['口径', '销售按付款时间计入当月（已付款、已发货、已收货、已完成的订单）；上架量按发布时间计入', ''],
      ],
    },
    { name: SHEETS.counties, columns: COUNTY_COLUMNS, rows: data.counties.map(countyRow) },
    { name: SHEETS.supervised, columns: COUNTY_COLUMNS, rows: data.supervisedCounties.map(countyRow) },
    {
      name: SHEETS.categories,
      columns: [{ header: '品类代码', kind: 'text', width: 20 }, { header: '品类', kind: 'text', width: 14 }, { header: '大类', kind: 'text', width: 10 }, ...FIGURE_COLUMNS],
      rows: data.categories.map((c) => [c.categoryCode, c.nameZh, c.parentNameZh ?? '', ...figureCells(c)]),
    },
    {
      name: SHEETS.buyerTypes,
      columns: [
        { header: '采购方类型代码', kind: 'text', width: 24 },
        { header: '采购方类型', kind: 'text', width: 40 },
        { header: '采购方数', kind: 'int', width: 10 },
        { header: '订单数', kind: 'int', width: 10 },
        { header: '采购量（公斤）', kind: 'kg', width: 16 },
        { header: '采购额（元）', kind: 'yuan', width: 16 },
        { header: '其中购自贫困县（元）', kind: 'yuan', width: 20 },
      ],
      rows: [
        ...data.buyerTypes.map((b) => [b.buyerType, b.nameZh, b.buyers, b.orders, b.soldKg, b.soldFen, b.povertyCountyFen]),
        ['total', '合计', null, buyerTotal.orders, Math.round(buyerTotal.soldKg * 1000) / 1000, buyerTotal.soldFen, buyerTotal.poverty],
      ],
    },
    ...(data.assistance ? assistanceTables(data.assistance) : []),
  ];
}

/** A summary cell whose kind differs from its column's (the summary sheet mixes kinds in one column). */
export function typedCell(cell: Cell): { kind?: ColumnKind; value: Cell } {
  if (cell && typeof cell === 'object' && !(cell instanceof Date) && 'kind' in cell) return cell as { kind: ColumnKind; value: Cell };
  return { value: cell };
}

/** Beijing time as `YYYY-MM-DD HH:mm:ss`. */
export function beijingTime(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().replace('T', ' ').slice(0, 19);
}

const DAY_MS = 86_400_000;
const two = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/**
 * `beijingTime` for epoch milliseconds, without a `Date` per call: the sold lines are in payment order, so the
 * day's `YYYY-MM-DD ` is computed once per day and the time of day by arithmetic.
 */
export function beijingTimeFormatter(): (epochMs: number) => string {
  let day = NaN;
  let prefix = '';
  return (epochMs) => {
    const local = epochMs + 8 * 3600_000;
    const d = Math.floor(local / DAY_MS);
    if (d !== day) {
      day = d;
      prefix = new Date(d * DAY_MS).toISOString().slice(0, 11).replace('T', ' ');
    }
    const s = Math.floor((local - d * DAY_MS) / 1000);
    return `${prefix}${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}`;
  };
}
