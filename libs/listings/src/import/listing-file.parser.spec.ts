import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import * as iconv from 'iconv-lite';
import { IMPORT_COLUMNS, matchImportHeader } from './import-columns';
import { DEFAULT_PARSE_LIMITS, ImportFileError, parseListingFile, type ParseLimits } from './listing-file.parser';
import { makeXlsx, makeZip, pseudoRandomBytes, toCsv } from './__fixtures__/make-files';

const HEADER = ['品类代码', '标题', '数量(公斤)', '起订量(公斤)', '单价(元/公斤)', '采收日期', '最佳食用期至', '需冷链', '滞销'];
const APPLE = ['fruit.apple', '秦安花牛苹果 一级果', '25000', '500', '6.8', '2026-10-20', '2027-02-20', '否', '是'];
const FIELDS = [
  'categoryCode', 'title', 'quantityKg', 'minOrderKg', 'unitPriceYuan', 'harvestedOn', 'bestBefore', 'coldChain',
  'stalled',
];
const APPLE_VALUES = {
  categoryCode: 'fruit.apple', title: '秦安花牛苹果 一级果', quantityKg: '25000', minOrderKg: '500', unitPriceYuan: '6.8',
  harvestedOn: '2026-10-20', bestBefore: '2027-02-20', coldChain: '否', stalled: '是',
};

/** The ImportFileError a parse is refused with; fails the test when the file is accepted. */
async function refusal(file: Buffer, filename = 'lots.csv', limits?: Partial<ParseLimits>): Promise<ImportFileError> {
  const outcome = await parseListingFile(file, filename, limits).then(
    (rows) => new Error(`expected a refusal, got ${rows.length} rows`),
    (error: unknown) => error,
  );
  if (outcome instanceof ImportFileError) return outcome;
  throw outcome;
}

/** A node script that parses the XLSX on stdin with the TypeScript source (compiled by swc) and prints the rows. */
const PARSE_STDIN = `
  const swc = require(${JSON.stringify(require.resolve('@swc/core'))});
  const options = { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } };
  require.extensions['.ts'] = (m, f) => m._compile(swc.transformFileSync(f, options).code, f);
  const { parseListingFile } = require(${JSON.stringify(join(__dirname, 'listing-file.parser.ts'))});
  parseListingFile(require('fs').readFileSync(0), 'lots.xlsx').then((rows) => console.log(JSON.stringify(rows)));
`;

const csv = (rows: string[][]) => Buffer.from(toCsv(rows), 'utf8');

describe('parseListingFile: CSV', () => {
  // Excel numbering: the blank line is row 3, the two-line quoted cell is all of row 4, ",,,,," is row 5.
  const text = [
    HEADER.join(','),
    APPLE.join(','),
    '',
    'fruit.kiwi,"周至猕猴桃\r\n徐香 ""特级""",1000.5,50,12,2026/9/5,2026年11月5日,是,否',
    ',,,,,,,,',
    '  fruit.pear ,砀山酥梨,3000,100,3.5,2026-09-01,2026-12-01,否,否  ',
  ].join('\r\n') + '\r\n';
  const expected = [
    { row: 2, values: APPLE_VALUES },
    {
      row: 4,
      values: {
        categoryCode: 'fruit.kiwi', title: '周至猕猴桃\r\n徐香 "特级"', quantityKg: '1000.5', minOrderKg: '50',
        unitPriceYuan: '12',
        harvestedOn: '2026-09-05', bestBefore: '2026-11-05', coldChain: '是', stalled: '否',
      },
    },
    {
      row: 6,
      values: {
        categoryCode: 'fruit.pear', title: '砀山酥梨', quantityKg: '3000', minOrderKg: '100', unitPriceYuan: '3.5',
        harvestedOn: '2026-09-01', bestBefore: '2026-12-01', coldChain: '否', stalled: '否',
      },
    },
  ];

  it('reads UTF-8 with spreadsheet row numbers across a blank line, a multi-line cell and an empty row', async () => {
    expect(await parseListingFile(Buffer.from(text, 'utf8'), 'lots.csv')).toEqual(expected);
  });

  it('reads the same rows from GBK (as Chinese Excel saves CSV) and from UTF-8 with a BOM', async () => {
    const gbk = iconv.encode(text, 'gbk');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(gbk)).toThrow(); // really exercises the fallback
    expect(await parseListingFile(gbk, 'lots.csv')).toEqual(expected);
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    expect(await parseListingFile(bom, 'lots.csv')).toEqual(expected);
  });

  it('reads tab-separated UTF-16LE with BOM (Excel "Unicode text") and semicolon-separated text', async () => {
    const tsv = [HEADER, APPLE].map((row) => row.join('\t')).join('\r\n');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(tsv, 'utf16le')]);
    expect(await parseListingFile(utf16, 'lots.txt')).toEqual([{ row: 2, values: APPLE_VALUES }]);
    const semicolons = Buffer.from(toCsv([HEADER, APPLE], ';'));
    expect(await parseListingFile(semicolons, 'lots.csv')).toEqual([{ row: 2, values: APPLE_VALUES }]);
  });

  it('matches English field names, padded headers, full-width parentheses and * marks', async () => {
    const header = ['categoryCode', ' 标题 ', '数量（公斤）', 'MinOrderKg', '单价 (元/公斤)', '*采收日期', '保质截止日期', 'coldchain', '滞销'];
    expect(await parseListingFile(csv([header, APPLE]), 'lots.csv')).toEqual([{ row: 2, values: APPLE_VALUES }]);
  });

  it('maps every header, field name and alias, padded or in full-width form, to its own column', () => {
    for (const column of IMPORT_COLUMNS) {
      for (const name of [column.header, column.field, ...column.aliases]) {
        expect(matchImportHeader(` ${name.replace(/\(/g, '（').replace(/\)/g, '）')}\u3000`)).toBe(column.field);
      }
    }
    expect(matchImportHeader('unitPriceFen')).toBeNull(); // fen is not yuan: never guess a 100x price
  });

  it('omits empty cells and keeps quoting, commas and Chinese text intact for any table', async () => {
    const unit = fc.constantFrom('a', 'Z', ' ', ',', '"', '\n', ';', '苹', '果', '，', '（', '）', '\u3000', '-');
    const cell = fc.string({ unit, maxLength: 8 });
    const row = fc.array(cell, { minLength: HEADER.length, maxLength: HEADER.length });
    // blank lines and delimiter-only rows are skipped yet still count in the row numbers
    const blank = fc.constant<string[]>([]);
    const table = fc.array(fc.oneof(row, blank, fc.constant(HEADER.map(() => ' '))), { maxLength: 8 });
    await fc.assert(
      fc.asyncProperty(table, async (rows) => {
        const expectedRows = rows
          .map((cells, i) => ({
            row: i + 2,
            values: Object.fromEntries(FIELDS.map((f, j) => [f, (cells[j] ?? '').trim()]).filter(([, v]) => v !== '')),
          }))
          .filter((r) => Object.keys(r.values).length > 0);
        const text = toCsv([HEADER, ...rows]);
        if (expectedRows.length === 0) {
          expect((await refusal(Buffer.from(text))).problem).toBe('empty');
          return;
        }
        expect(await parseListingFile(Buffer.from(text), 'a.csv')).toEqual(expectedRows);
        expect(await parseListingFile(iconv.encode(text, 'gbk'), 'a.csv')).toEqual(expectedRows);
      }),
      { numRuns: 150 },
    );
  });
});

describe('parseListingFile: XLSX', () => {
  const header = [...HEADER, '品种', '等级', '扶贫产品认定编号', '产地县代码'];

  async function workbook(): Promise<Buffer> {
    return makeXlsx([
      header,
      [
        { richText: [{ text: 'fruit.' }, { font: { bold: true }, text: 'apple ' }] },
        { text: '秦安花牛苹果', hyperlink: 'https://example.com/lot' },
        25000,
        { formula: 'C2/50', result: 500 },
        0.1 + 0.2,
        new Date(Date.UTC(2026, 9, 20)),
        new Date(Date.UTC(2027, 1, 20, 20, 30)), // 20:30 on the 20th: a UTC+8 reading would say the 21st
        true,
        '  否 ',
        { error: '#N/A' },
        null,
        { formula: '"FP2020-"&"0137"', result: 'FP2020-0137' },
        620522,
      ],
      [],
      ['fruit.kiwi', '猕猴桃', 1000.25, 50, 12, '2026/9/5', '2026-11-05', '是', '否'],
    ]);
  }

  const expected = [
    {
      row: 2,
      values: {
        categoryCode: 'fruit.apple', title: '秦安花牛苹果', quantityKg: '25000', minOrderKg: '500', unitPriceYuan: '0.3',
        harvestedOn: '2026-10-20', bestBefore: '2027-02-20', coldChain: 'TRUE', stalled: '否', variety: '#N/A',
        certificateNo: 'FP2020-0137', regionCode: '620522',
      },
    },
    {
      row: 4,
      values: {
        categoryCode: 'fruit.kiwi', title: '猕猴桃', quantityKg: '1000.25', minOrderKg: '50', unitPriceYuan: '12',
        harvestedOn: '2026-09-05', bestBefore: '2026-11-05', coldChain: '是', stalled: '否',
      },
    },
  ];

  it('turns numbers, dates, rich text, formulas, hyperlinks, booleans and errors into strings', async () => {
    expect(await parseListingFile(await workbook(), 'lots.xlsx')).toEqual(expected);
  });

  // Jest sandboxes process.env, so setting TZ here would change nothing: each zone gets its own node process.
  it('reads date cells as the same calendar date whatever the server time zone', async () => {
    const file = await workbook();
    for (const tz of ['America/Los_Angeles', 'Asia/Shanghai', 'Pacific/Kiritimati']) {
      const out = execFileSync(process.execPath, ['-e', PARSE_STDIN], { input: file, env: { ...process.env, TZ: tz } });
      expect(JSON.parse(out.toString())).toEqual(expected);
    }
  });

  it('goes by content, not by name: an XLSX called .csv and a CSV called .xlsx both parse', async () => {
    expect(await parseListingFile(await workbook(), 'lots.csv')).toEqual(expected);
    expect(await parseListingFile(csv([HEADER, APPLE]), 'lots.xlsx')).toEqual([{ row: 2, values: APPLE_VALUES }]);
  });

  it('reads the sheet named 产品清单 when the instructions sheet was moved in front of it', async () => {
    const book = new ExcelJS.Workbook();
    book.addWorksheet('填写说明').addRow(['说明']);
    const sheet = book.addWorksheet('产品清单');
    sheet.addRow(HEADER);
    sheet.addRow(APPLE);
    const file = Buffer.from(await book.xlsx.writeBuffer());
    expect(await parseListingFile(file, 'lots.xlsx')).toEqual([{ row: 2, values: APPLE_VALUES }]);
  });
});

describe('parseListingFile: refused files', () => {
  it.each([
    ['a PDF', Buffer.from('%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n', 'latin1'), 'PDF'],
    ['a PNG', Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex'), 'PNG'],
    ['an OLE .xls', Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(504)]), '.xls'],
    ['random bytes', pseudoRandomBytes(4096), 'neither a spreadsheet nor text'],
    ['a web page saved as .xls', Buffer.from('<html><table><tr><td>品类代码</td></tr></table></html>'), 'web page'],
    ['a .docx', makeZip([{ name: 'word/document.xml', data: Buffer.from('<w:document/>') }]), 'not an Excel workbook'],
  ])('refuses %s as unsupported_type, saying to save as .xlsx or .csv', async (_, file, says) => {
    const error = await refusal(file, 'lots.csv');
    expect(error.problem).toBe('unsupported_type');
    expect(error.message).toContain(says);
    expect(error.message).toMatch(/\.xlsx.*\.csv/);
  });

  it('names the missing required columns, and only those', async () => {
    const header = HEADER.filter((h) => h !== '标题' && h !== '单价(元/公斤)');
    const error = await refusal(csv([header, APPLE.slice(0, header.length)]));
    expect(error.problem).toBe('missing_columns');
    expect(error.message).toContain('标题 (title)');
    expect(error.message).toContain('单价(元/公斤) (unitPriceYuan)');
    expect(error.message).not.toContain('品类代码');
  });

  it('names unknown and repeated columns with their column letters', async () => {
    const unknown = await refusal(csv([[...HEADER, '备注'], [...APPLE, '早熟']]));
    expect(unknown.problem).toBe('unknown_columns');
    expect(unknown.message).toContain('"备注" (column J)');
    const twice = await refusal(csv([[...HEADER, '数量'], [...APPLE, '1']]));
    expect(twice.problem).toBe('unknown_columns');
    expect(twice.message).toContain('数量(公斤) (quantityKg) in columns C, J');
  });

  it.each([
    ['an empty file', Buffer.alloc(0)],
    ['blank lines only', Buffer.from('\r\n  \r\n,,,\r\n')],
    ['a header only', csv([HEADER])],
    ['a header and empty rows', Buffer.from(`${HEADER.join(',')}\r\n,,,,\r\n\r\n`)],
  ])('refuses %s as empty', async (_, file) => {
    expect((await refusal(file)).problem).toBe('empty');
  });

  it('refuses an XLSX with only a header as empty', async () => {
    expect((await refusal(await makeXlsx([HEADER]), 'lots.xlsx')).problem).toBe('empty');
  });

  it('counts data rows, not blank ones, against maxRows', async () => {
    const rows = [HEADER, APPLE, [], APPLE, APPLE, [], APPLE];
    const text = Buffer.from(toCsv(rows));
    expect(await parseListingFile(text, 'a.csv', { maxRows: 4 })).toHaveLength(4);
    const error = await refusal(text, 'a.csv', { maxRows: 3 });
    expect(error.problem).toBe('too_many_rows');
    expect(error.message).toContain('3');
    const xlsx = await makeXlsx(rows);
    expect(await parseListingFile(xlsx, 'a.xlsx', { maxRows: 4 })).toHaveLength(4);
    expect((await refusal(xlsx, 'a.xlsx', { maxRows: 3 })).problem).toBe('too_many_rows');
  });

  it('refuses a file over maxBytes before looking at it', async () => {
    const file = csv([HEADER, APPLE]);
    expect(await parseListingFile(file, 'a.csv', { maxBytes: file.length })).toHaveLength(1);
    expect((await refusal(file, 'a.csv', { maxBytes: file.length - 1 })).problem).toBe('too_large');
    const huge = Buffer.alloc(DEFAULT_PARSE_LIMITS.maxBytes + 1);
    const error = await refusal(huge, 'big.csv');
    expect(error.problem).toBe('too_large');
    expect(error.message).toContain('10.0 MiB');
  });

  it('refuses damaged files as unreadable', async () => {
    const xlsx = await makeXlsx([HEADER, APPLE]);
    expect((await refusal(xlsx.subarray(0, xlsx.length >> 1), 'cut.xlsx')).problem).toBe('unreadable');
    expect((await refusal(Buffer.from(`${HEADER.join(',')}\r\n"fruit.apple,abc\r\n`))).problem).toBe('unreadable');
  });
});

describe('parseListingFile: zip bombs', () => {
  let load: jest.SpyInstance;
  beforeEach(() => {
    load = jest.spyOn(ExcelJS.Workbook.prototype, 'xlsx', 'get');
  });
  afterEach(() => load.mockRestore());

  const WORKBOOK = { name: 'xl/workbook.xml', data: Buffer.from('<workbook/>') };
  const SHEET = 'xl/worksheets/sheet1.xml';
  const ZEROS = Buffer.alloc(2 ** 20);
  const NONE = Buffer.alloc(0);

  it('lets an honest workbook through to exceljs (so the spy can see it)', async () => {
    const xlsx = await makeXlsx([HEADER, APPLE]);
    load.mockClear();
    await parseListingFile(xlsx, 'ok.xlsx');
    expect(load).toHaveBeenCalled();
  });

  it.each([
    ['declares 3 GiB unpacked', [WORKBOOK, { name: SHEET, data: Buffer.alloc(1000), declaredSize: 3 * 2 ** 30 }]],
    ['compresses 2 MiB of zeros about 1000:1', [WORKBOOK, { name: SHEET, data: Buffer.alloc(2 * 2 ** 20) }]],
    ['lies: declares 1000 bytes that inflate to 1 MiB', [WORKBOOK, { name: SHEET, data: ZEROS, declaredSize: 1000 }]],
    ['has 10,001 entries', [WORKBOOK, ...Array.from({ length: 10_000 }, (_, i) => ({ name: `e${i}`, data: NONE }))]],
  ])('refuses a zip that %s before exceljs sees it', async (_, entries) => {
    const error = await refusal(makeZip(entries), 'bomb.xlsx');
    expect(error.problem).toBe('zip_bomb');
    expect(load).not.toHaveBeenCalled();
  });

  it('refuses a real workbook that unpacks to more than maxUncompressedBytes', async () => {
    const xlsx = await makeXlsx([HEADER, APPLE]);
    load.mockClear();
    const error = await refusal(xlsx, 'a.xlsx', { maxUncompressedBytes: 2000 });
    expect(error.problem).toBe('zip_bomb');
    expect(error.message).toContain('more than 2000 bytes');
    expect(load).not.toHaveBeenCalled();
  });
});
