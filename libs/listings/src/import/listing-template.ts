import ExcelJS from 'exceljs';
import { IMPORT_COLUMNS, type ImportColumn, type ImportField } from './import-columns';

/** A category as the template lists it. */
export interface TemplateCategory {
  code: string;
  nameZh: string;
  parentCode: string | null;
}

/** Sheet names, fixed because the category drop-down refers to its sheet by name. */
export const TEMPLATE_SHEETS = { listings: '产品清单', categories: '品类代码', instructions: '填写说明' } as const;

/** Data validation covers this many data rows (rows 2..10001); larger imports are still read, just unchecked. */
export const TEMPLATE_VALIDATED_ROWS = 10_000;

const LAST_ROW = TEMPLATE_VALIDATED_ROWS + 1;
const GREY = 'FF808080';
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8F0E0' } };
// typed codes such as 620522 stay text (a number would lose leading zeros in certificate numbers)
const TEXT_FIELDS: ReadonlySet<ImportField> = new Set([
  'categoryCode', 'certificateNo', 'regionCode', 'title', 'variety', 'grade',
]);
const DATE_FIELDS: ReadonlySet<ImportField> = new Set(['harvestedOn', 'bestBefore']);
const DECIMAL_FIELDS: ReadonlySet<ImportField> = new Set(['quantityKg', 'minOrderKg', 'unitPriceYuan']);
const YES_NO_FIELDS: ReadonlySet<ImportField> = new Set(['coldChain', 'stalled']);

/** exceljs has range validations (`sqref`) but its typings leave `Worksheet.dataValidations` out. */
type WithValidations = ExcelJS.Worksheet & {
  dataValidations: { add(range: string, validation: ExcelJS.DataValidation): void };
};

/** Display width in Excel's character units: a CJK character is two. */
function displayWidth(text: string): number {
  return [...text].reduce((width, ch) => width + (/[\u2E80-\uFFEF]/u.test(ch) ? 2 : 1), 0);
}

/** Leaves are the categories a lot may name: those with a parent and no children. */
function leafCategories(categories: readonly TemplateCategory[]): TemplateCategory[] {
  const parents = new Set(categories.map((category) => category.parentCode));
  return categories.filter((category) => category.parentCode !== null && !parents.has(category.code));
}

/** The column's hint, naming the organisation's county on the county-code column. */
function hintFor(column: ImportColumn, regionHint: string | undefined): string {
  return column.field === 'regionCode' && regionHint ? `${column.note}（${regionHint}）` : column.note;
}

function validationFor(field: ImportField, categoryCount: number): ExcelJS.DataValidation | null {
  const common = { allowBlank: true, showErrorMessage: true, errorStyle: 'stop' as const, errorTitle: '输入有误' };
  if (field === 'categoryCode') {
    if (categoryCount === 0) return null;
    const range = `'${TEMPLATE_SHEETS.categories}'!$A$2:$A$${categoryCount + 1}`;
    return { ...common, type: 'list', formulae: [range], error: '请从下拉列表选择品类代码（见「品类代码」工作表）' };
  }
  if (YES_NO_FIELDS.has(field)) return { ...common, type: 'list', formulae: ['"是,否"'], error: '请填 是 或 否' };
  if (DECIMAL_FIELDS.has(field)) {
    return { ...common, type: 'decimal', operator: 'greaterThan', formulae: [0], error: '请填大于 0 的数字' };
  }
  if (DATE_FIELDS.has(field)) {
    return {
      ...common, type: 'date', operator: 'greaterThan', formulae: [new Date(Date.UTC(2000, 0, 1))],
      error: '请填日期，如 2026-10-20',
    };
  }
  return null;
}

function addListingSheet(workbook: ExcelJS.Workbook, categoryCount: number, regionHint: string | undefined): void {
  const sheet = workbook.addWorksheet(TEMPLATE_SHEETS.listings, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = IMPORT_COLUMNS.map((column) => ({
    key: column.field,
    width: Math.min(40, Math.max(12, displayWidth(column.header), displayWidth(column.example)) + 4),
    style: { numFmt: DATE_FIELDS.has(column.field) ? 'yyyy-mm-dd' : TEXT_FIELDS.has(column.field) ? '@' : 'General' },
  }));
  const header = sheet.getRow(1);
  IMPORT_COLUMNS.forEach((column, i) => {
    const cell = header.getCell(i + 1);
    cell.value = column.header;
    cell.numFmt = 'General';
    cell.font = { bold: true, color: { argb: column.required ? 'FFC00000' : 'FF000000' } };
    cell.fill = HEADER_FILL;
    cell.alignment = { vertical: 'middle', horizontal: 'center' };
    // the example lives in a note, not in row 2: an untouched template then imports as "empty", not as a lot
    cell.note = `${column.required ? '必填' : '选填'}：${hintFor(column, regionHint)}\n示例：${column.example}`;
    const validation = validationFor(column.field, categoryCount);
    const letter = sheet.getColumn(i + 1).letter;
    // one range rule, not 10,000 cell rules: per-cell validations would create (and save) every empty cell
    if (validation) (sheet as WithValidations).dataValidations.add(`${letter}2:${letter}${LAST_ROW}`, validation);
  });
  header.height = 22;
}

function addCategorySheet(workbook: ExcelJS.Workbook, categories: readonly TemplateCategory[]): number {
  const sheet = workbook.addWorksheet(TEMPLATE_SHEETS.categories, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = [
    { header: '品类代码', key: 'code', width: 24 },
    { header: '中文名', key: 'nameZh', width: 16 },
    { header: '大类', key: 'group', width: 12 },
  ];
  sheet.getRow(1).font = { bold: true };
  const names = new Map(categories.map((category) => [category.code, category.nameZh]));
  const leaves = leafCategories(categories);
  for (const leaf of leaves) {
    sheet.addRow({ code: leaf.code, nameZh: leaf.nameZh, group: names.get(leaf.parentCode ?? '') ?? leaf.parentCode });
  }
  return leaves.length;
}

function addInstructionsSheet(workbook: ExcelJS.Workbook, regionHint: string | undefined): void {
  const sheet = workbook.addWorksheet(TEMPLATE_SHEETS.instructions);
  sheet.columns = [
    { header: '列名', key: 'header', width: 18 },
    { header: '是否必填', key: 'required', width: 10 },
    { header: '说明', key: 'note', width: 60 },
    { header: '示例', key: 'example', width: 28 },
  ];
  sheet.getRow(1).font = { bold: true };
  for (const column of IMPORT_COLUMNS) {
    const required = column.required ? '是' : '否';
    sheet.addRow({ header: column.header, required, note: hintFor(column, regionHint), example: column.example });
  }
  sheet.addRow([]);
  const tips = [
    '在「产品清单」工作表第 2 行起每行填写一批产品；第 1 行表头请勿修改。表头单元格的批注里有填写示例。',
    '上传本 .xlsx 文件，或另存为 .csv（UTF-8 或 GBK 编码均可）上传；数据很多时请拆分为多个文件。',
    '导入后的产品为草稿，核对无误后再发布。',
  ];
  for (const tip of tips) sheet.addRow([tip]).getCell(1).font = { italic: true, color: { argb: GREY } };
}

/**
 * The XLSX template for the listing import: sheet 1 产品清单 with the import columns (required headers in
 * red; each header cell carries a note with its hint and an example), drop-downs and checks on rows 2..10001;
 * sheet 2 品类代码 listing the leaf categories; sheet 3 填写说明 with a line per column.
 *
 * No example row is written into the data area, so a template uploaded untouched is refused as empty instead
 * of creating a lot from the example.
 *
 * @param regionHint shown with the county-code column, e.g. the organisation's county `620522 秦安县`.
 */
export async function buildListingTemplate(
  categories: readonly TemplateCategory[],
  regionHint?: string,
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Chanxiao 产销通';
  workbook.lastModifiedBy = 'Chanxiao 产销通';
  workbook.title = '产销通 产品批量导入模板';
  workbook.company = 'Chanxiao 产销通';
  workbook.created = new Date();
  workbook.modified = workbook.created;
  // sheets are added in display order; the category count is needed by sheet 1's drop-down first
  const leafCount = leafCategories(categories).length;
  addListingSheet(workbook, leafCount, regionHint);
  addCategorySheet(workbook, categories);
  addInstructionsSheet(workbook, regionHint);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
