/**
 * The columns of the listing spreadsheet import, in template order. Pure data: the template builder writes
 * them, the file parser maps a user's header row onto them, and the import service validates the values.
 */

/** A lot field a spreadsheet column carries. Prices are yuan per kg here (people write 6.8, not 680 fen). */
export type ImportField =
  | 'categoryCode' | 'title' | 'variety' | 'grade' | 'quantityKg' | 'minOrderKg' | 'unitPriceYuan'
  | 'harvestedOn' | 'bestBefore' | 'coldChain' | 'stalled' | 'certificateNo' | 'regionCode';

/** One column of the import file. */
export interface ImportColumn {
  field: ImportField;
  /** The Chinese header the template writes. */
  header: string;
  /** Whether the file must have this column (a required column may still hold an invalid value per row). */
  required: boolean;
  /** An example value, shown in the header cell's note and on the instructions sheet. */
  example: string;
  /** A Chinese hint shown in the template. */
  note: string;
  /** Other headers accepted for this column besides `header` and `field` (matched after normalising). */
  aliases: readonly string[];
}

/** The import columns in template order. */
export const IMPORT_COLUMNS: readonly ImportColumn[] = Object.freeze([
  {
    field: 'categoryCode', header: '品类代码', required: true, example: 'fruit.apple',
    note: '从下拉列表或「品类代码」工作表中选择细分品类代码，如 fruit.apple（苹果）',
    aliases: ['品类编码', '品类'],
  },
  {
    field: 'title', header: '标题', required: true, example: '秦安花牛苹果 80mm+ 一级果',
    note: '2-100 个字，写明产地、品种、规格', aliases: ['产品名称', '名称'],
  },
  { field: 'variety', header: '品种', required: false, example: '花牛', note: '选填，最多 50 个字', aliases: [] },
  { field: 'grade', header: '等级', required: false, example: '一级', note: '选填，最多 30 个字', aliases: ['规格等级'] },
  {
    field: 'quantityKg', header: '数量(公斤)', required: true, example: '25000',
    note: '本批可售总量，单位公斤，大于 0，最多 3 位小数（1 吨 = 1000 公斤）',
    aliases: ['数量', '数量(kg)', '数量(千克)'],
  },
  {
    field: 'minOrderKg', header: '起订量(公斤)', required: true, example: '500',
    note: '单笔订单最少公斤数，大于 0 且不超过数量', aliases: ['起订量', '起订量(kg)', '起订量(千克)'],
  },
  {
    field: 'unitPriceYuan', header: '单价(元/公斤)', required: true, example: '6.8',
    note: '每公斤价格，单位元（不是斤），最多 2 位小数',
    aliases: ['单价', '单价(元)', '单价(元/kg)', '单价(元/千克)'],
  },
  {
    field: 'harvestedOn', header: '采收日期', required: true, example: '2026-10-20',
    note: '日期格式 2026-10-20，不能晚于今天', aliases: ['采摘日期', '收获日期'],
  },
  {
    field: 'bestBefore', header: '最佳食用期至', required: true, example: '2027-02-20',
    note: '日期格式 2027-02-20，须晚于采收日期和今天', aliases: ['保质截止日期', '保质期至', '最佳食用期'],
  },
  {
    field: 'coldChain', header: '需冷链', required: false, example: '否',
    note: '运输是否需要冷链：填 是 或 否，留空为 否', aliases: ['冷链', '是否冷链', '是否需冷链'],
  },
  {
    field: 'stalled', header: '滞销', required: false, example: '否',
    note: '是否为滞销农产品（常规渠道卖不出去）：填 是 或 否，留空为 否', aliases: ['是否滞销'],
  },
  {
    field: 'certificateNo', header: '扶贫产品认定编号', required: false, example: 'FP2020-620522-0137',
    note: '选填，已认定扶贫产品的编号', aliases: ['扶贫产品编号', '认定编号'],
  },
  {
    field: 'regionCode', header: '产地县代码', required: false, example: '620522',
    note: '选填，6 位县级行政区划代码；留空则为本社所在县', aliases: ['产地代码', '县代码', '产地县'],
  },
] satisfies ImportColumn[]);

/**
 * The comparable form of a header: NFKC turns full-width （）／ and letters into ASCII, whitespace (including
 * the ideographic space) goes, a `*` marking a required column goes, and case is ignored for English names.
 */
export function normalizeHeader(header: string): string {
  return header.normalize('NFKC').replace(/[\s*]+/gu, '').toLowerCase();
}

const BY_HEADER: ReadonlyMap<string, ImportField> = new Map(
  IMPORT_COLUMNS.flatMap((column) =>
    [column.header, column.field, ...column.aliases].map((name) => [normalizeHeader(name), column.field] as const),
  ),
);

/** The field a header names (Chinese header, English field name or alias, tolerantly), or null. */
export function matchImportHeader(header: string): ImportField | null {
  return BY_HEADER.get(normalizeHeader(header)) ?? null;
}
