import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { fromBuffer } from 'yauzl';
import { beijingTime, beijingTimeFormatter, type SoldLine, type Table } from '../report/report-tables';
import { columnLetter, writeXlsx } from '../report/xlsx-writer';

async function xlsx(tables: Table[], lines: SoldLine[][]): Promise<Buffer> {
  const output = new PassThrough();
  const bytes: Buffer[] = [];
  output.on('data', (b: Buffer) => bytes.push(b));
  await writeXlsx(output, Promise.resolve(tables), (async function* () { yield* lines; })());
  return Buffer.concat(bytes);
}

/** Reads every entry back with yauzl, which checks each entry's CRC-32 and sizes. */
function entries(zip: Buffer): Promise<string[]> {
  return new Promise((resolve, reject) => {
    fromBuffer(zip, { lazyEntries: true }, (error, file) => {
      if (error) return reject(error);
      const names: string[] = [];
      file.on('entry', (entry) => file.openReadStream(entry, (e, stream) => {
        if (e) return reject(e);
        stream.on('end', () => { names.push(entry.fileName); file.readEntry(); }).resume();
      }));
      file.on('end', () => resolve(names)).on('error', reject);
      file.readEntry();
    });
  });
}

const line = (order: string, buyerType: string | null): SoldLine =>
  [String(Date.UTC(2020, 2, 10, 2)), order, '1', '已付款', '530102', '五华区', '苹果', 'A & B <红富士>', '合作社', '食堂', buyerType, '12345', '650', '802443', 'buyer', 't'];

describe('writeXlsx', () => {
  it('writes a zip whose entries check out and a workbook exceljs reads back, tables first and the sold lines last', async () => {
    const zip = await xlsx([{ name: '汇总', columns: [{ header: '指标', kind: 'text' }, { header: '金额', kind: 'yuan' }], rows: [['销售额（元）', 975900], ['空', null]] }], [[line('o-1', '食堂'), line('o-2', null)]]);
    expect((await entries(zip)).sort()).toContain('xl/worksheets/sheet1.xml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(zip as never);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['汇总', '销售明细']);
    const summary = workbook.getWorksheet('汇总')!;
    expect(summary.getCell('B2').value).toBe(9759);
    expect(summary.getCell('B2').numFmt).toBe('#,##0.00');
    const lines = workbook.getWorksheet('销售明细')!;
    expect(lines.getRow(1).getCell(1).value).toBe('付款时间');
    expect((lines.getCell('A2').value as Date).toISOString()).toBe('2020-03-10T10:00:00.000Z');
    expect([lines.getCell('B2').value, lines.getCell('H2').value, lines.getCell('K2').value, lines.getCell('L2').value, lines.getCell('N2').value]).toEqual(['o-1', 'A & B <红富士>', '食堂', 12.345, 8024.43]);
    // An empty cell in the middle of a row: the cells after it keep their columns.
    expect([lines.getCell('J3').value, lines.getCell('K3').value, lines.getCell('L3').value, lines.getCell('N3').value]).toEqual(['食堂', null, 12.345, 8024.43]);
  });
});

describe('report cell helpers', () => {
  it('formats epoch milliseconds in Beijing time as beijingTime does', () => {
    const format = beijingTimeFormatter();
    for (const ms of [Date.UTC(2020, 2, 31, 15, 59, 59), Date.UTC(2020, 2, 31, 16, 0, 0), Date.UTC(2020, 1, 29, 3, 4, 5), 0]) expect(format(ms)).toBe(beijingTime(new Date(ms)));
  });

  it('names columns A…Z, AA…', () => {
    expect([0, 13, 25, 26, 27, 701, 702].map(columnLetter)).toEqual(['A', 'N', 'Z', 'AA', 'AB', 'ZZ', 'AAA']);
  });
});
