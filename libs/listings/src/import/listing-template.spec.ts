import ExcelJS from 'exceljs';
import { IMPORT_COLUMNS } from './import-columns';
import { ImportFileError, parseListingFile } from './listing-file.parser';
import { buildListingTemplate, TEMPLATE_SHEETS } from './listing-template';

const CATEGORIES = [
  { code: 'fruit', nameZh: '水果', parentCode: null },
  { code: 'fruit.apple', nameZh: '苹果', parentCode: 'fruit' },
  { code: 'fruit.kiwi', nameZh: '猕猴桃', parentCode: 'fruit' },
  { code: 'grain', nameZh: '粮油', parentCode: null }, // a group without leaves: nothing to pick
  { code: 'veg', nameZh: '蔬菜', parentCode: null },
  { code: 'veg.cabbage', nameZh: '白菜', parentCode: 'veg' },
];

type Validation = ExcelJS.DataValidation | undefined;
const validations = (sheet: ExcelJS.Worksheet) =>
  (sheet as unknown as { dataValidations: { find(address: string): Validation } }).dataValidations;

async function load(file: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(file as unknown as ExcelJS.Buffer);
  return workbook;
}

/** The column letter of a field in the template. */
const letterOf = (field: string) => String.fromCharCode(65 + IMPORT_COLUMNS.findIndex((c) => c.field === field));

describe('buildListingTemplate', () => {
  let file: Buffer;
  let workbook: ExcelJS.Workbook;
  beforeAll(async () => {
    file = await buildListingTemplate(CATEGORIES, '620522 秦安县');
    workbook = await load(file);
  });

  it('has the three sheets in order and the workbook metadata', () => {
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['产品清单', '品类代码', '填写说明']);
    expect(workbook.creator).toBe('Chanxiao 产销通');
  });

  it('writes the import headers in order, bold, in a frozen row, with an empty data area', () => {
    const sheet = workbook.getWorksheet(TEMPLATE_SHEETS.listings)!;
    const header = sheet.getRow(1);
    expect(IMPORT_COLUMNS.map((_, i) => header.getCell(i + 1).value)).toEqual(IMPORT_COLUMNS.map((c) => c.header));
    expect(IMPORT_COLUMNS.every((_, i) => header.getCell(i + 1).font?.bold)).toBe(true);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.actualRowCount).toBe(1);
    IMPORT_COLUMNS.forEach((column, i) => {
      expect(sheet.getColumn(i + 1).width).toBeGreaterThanOrEqual(column.header.length * 2);
    });
  });

  it('puts each example in the header cell note, with the region hint on the county column', () => {
    const header = workbook.getWorksheet(TEMPLATE_SHEETS.listings)!.getRow(1);
    const noteText = (i: number) => {
      const note = header.getCell(i + 1).note;
      return typeof note === 'string' ? note : (note?.texts ?? []).map((t) => t.text).join('');
    };
    IMPORT_COLUMNS.forEach((column, i) => expect(noteText(i)).toContain(`示例：${column.example}`));
    expect(noteText(IMPORT_COLUMNS.findIndex((c) => c.field === 'regionCode'))).toContain('620522 秦安县');
  });

  it('lists the leaf categories, with their group, on the category sheet', () => {
    const sheet = workbook.getWorksheet(TEMPLATE_SHEETS.categories)!;
    const rows = sheet.getSheetValues().slice(1).map((row) => (row as ExcelJS.CellValue[]).slice(1));
    expect(rows).toEqual([
      ['品类代码', '中文名', '大类'],
      ['fruit.apple', '苹果', '水果'],
      ['fruit.kiwi', '猕猴桃', '水果'],
      ['veg.cabbage', '白菜', '蔬菜'],
    ]);
  });

  it('explains every column on the instructions sheet', () => {
    const sheet = workbook.getWorksheet(TEMPLATE_SHEETS.instructions)!;
    IMPORT_COLUMNS.forEach((column, i) => {
      const row = sheet.getRow(i + 2);
      expect([row.getCell(1).value, row.getCell(2).value, row.getCell(3).value]).toEqual([
        column.header, column.required ? '是' : '否', expect.stringContaining(column.note),
      ]);
    });
  });

  it('validates rows 2 to 10001: category drop-down, 是/否 lists, positive numbers and dates', () => {
    const dv = validations(workbook.getWorksheet(TEMPLATE_SHEETS.listings)!);
    const at = (field: string, row: number) => dv.find(`${letterOf(field)}${row}`);
    expect(at('categoryCode', 2)).toMatchObject({ type: 'list', formulae: ["'品类代码'!$A$2:$A$4"] });
    expect(at('categoryCode', 10001)).toBeDefined();
    expect(at('categoryCode', 10002)).toBeUndefined();
    expect(at('categoryCode', 1)).toBeUndefined();
    for (const field of ['coldChain', 'stalled']) {
      expect(at(field, 500)).toMatchObject({ type: 'list', formulae: ['"是,否"'] });
    }
    for (const field of ['quantityKg', 'minOrderKg', 'unitPriceYuan']) {
      expect(at(field, 2)).toMatchObject({ type: 'decimal', operator: 'greaterThan', formulae: [0] });
    }
    for (const field of ['harvestedOn', 'bestBefore']) expect(at(field, 2)).toMatchObject({ type: 'date' });
    expect(at('title', 2)).toBeUndefined();
  });

  it('is refused as empty when uploaded untouched, rather than importing an example lot', async () => {
    const error = await parseListingFile(file, 'template.xlsx').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportFileError);
    expect((error as ImportFileError).problem).toBe('empty');
  });

  it('round-trips two filled rows through the parser', async () => {
    const filled = await load(file);
    const sheet = filled.getWorksheet(TEMPLATE_SHEETS.listings)!;
    const put = (row: number, values: Record<string, ExcelJS.CellValue>) => {
      for (const [field, value] of Object.entries(values)) sheet.getCell(`${letterOf(field)}${row}`).value = value;
    };
    put(2, {
      categoryCode: 'fruit.apple', title: '秦安花牛苹果 80mm+', variety: '花牛', grade: '一级', quantityKg: 25000.5,
      minOrderKg: 500, unitPriceYuan: 6.8, harvestedOn: new Date(Date.UTC(2026, 9, 20)),
      bestBefore: new Date(Date.UTC(2027, 1, 20)),
      coldChain: '否', stalled: '是', certificateNo: 'FP2020-620522-0137', regionCode: '620522',
    });
    put(3, {
      categoryCode: 'veg.cabbage', title: '高山白菜', quantityKg: 8000, minOrderKg: 1000, unitPriceYuan: 1.2,
      harvestedOn: '2026-11-01', bestBefore: '2026-12-15', coldChain: '是', stalled: '否',
    });
    const rows = await parseListingFile(Buffer.from(await filled.xlsx.writeBuffer()), 'filled.xlsx');
    expect(rows).toEqual([
      {
        row: 2,
        values: {
          categoryCode: 'fruit.apple', title: '秦安花牛苹果 80mm+', variety: '花牛', grade: '一级', quantityKg: '25000.5',
          minOrderKg: '500', unitPriceYuan: '6.8', harvestedOn: '2026-10-20', bestBefore: '2027-02-20', coldChain: '否',
          stalled: '是', certificateNo: 'FP2020-620522-0137', regionCode: '620522',
        },
      },
      {
        row: 3,
        values: {
          categoryCode: 'veg.cabbage', title: '高山白菜', quantityKg: '8000', minOrderKg: '1000', unitPriceYuan: '1.2',
          harvestedOn: '2026-11-01', bestBefore: '2026-12-15', coldChain: '是', stalled: '否',
        },
      },
    ]);
  });

  it('still builds, without a category drop-down, when there are no leaf categories', async () => {
    const empty = await load(await buildListingTemplate([{ code: 'grain', nameZh: '粮油', parentCode: null }]));
    const dv = validations(empty.getWorksheet(TEMPLATE_SHEETS.listings)!);
    expect(dv.find(`${letterOf('categoryCode')}2`)).toBeUndefined();
    expect(dv.find(`${letterOf('coldChain')}2`)).toMatchObject({ type: 'list' });
  });
});
