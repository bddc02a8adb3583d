import { once } from 'node:events';
import ExcelJS from 'exceljs';
import { fenToYuan } from '../units.util';
import { type Cell, type Column, type ColumnKind, LINE_COLUMNS, SHEETS, type Table, typedCell } from './report-tables';

const NUM_FMT: Partial<Record<ColumnKind, string>> = {
  kg: '#,##0.000',
  yuan: '#,##0.00',
  int: '#,##0',
  rate: '0.00%',
  days: '0.0',
  datetime: 'yyyy-mm-dd hh:mm:ss',
};

const BEIJING_OFFSET_MS = 8 * 3600_000;

/** A cell's value as the spreadsheet stores it: yuan from fen, Beijing wall time for instants, 是/否. */
export function xlsxValue(kind: ColumnKind | undefined, value: Cell): ExcelJS.CellValue {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return new Date(value.getTime() + BEIJING_OFFSET_MS);
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (kind === 'yuan' && typeof value === 'number') return fenToYuan(value);
  return value;
}

/**
 * Writes the report with exceljs's streaming WorkbookWriter: each row is committed (serialised into the zip)
 * as soon as it is added, so memory stays flat however many sold lines stream through `lines`.
 * Returns the number of sold lines written.
 */
export async function writeXlsx(output: NodeJS.WritableStream, tables: Table[], lines: AsyncIterable<Cell[][]>): Promise<number> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output as never, useStyles: true, useSharedStrings: false });
  workbook.creator = '产销通 Chanxiao';
  for (const table of tables) {
    const sheet = addSheet(workbook, table.name, table.columns);
    for (const row of table.rows) {
      const added = sheet.addRow([]);
      row.forEach((cell, i) => {
        const typed = typedCell(cell);
        const kind = typed.kind ?? table.columns[i]?.kind;
        const target = added.getCell(i + 1);
        target.value = xlsxValue(kind, typed.value);
        // The summary sheet mixes kinds in one column: give such cells their own format.
        if (typed.kind && NUM_FMT[typed.kind]) target.numFmt = NUM_FMT[typed.kind]!;
        if (typed.value instanceof Date) target.numFmt = NUM_FMT.datetime!;
      });
      added.commit();
    }
    sheet.commit();
  }
  // The sold lines (up to millions): exceljs builds a model object per cell, about 40 µs a row, so these rows
  // are serialised here, straight into the worksheet's own stream, with styles registered in the workbook.
  const sheet = addSheet(workbook, SHEETS.lines, LINE_COLUMNS);
  const styles = (workbook as unknown as { styles: { addStyleModel(model: object, type: string): number } }).styles;
  const styleIds = LINE_COLUMNS.map((c) => (NUM_FMT[c.kind] ? styles.addStyleModel({ numFmt: NUM_FMT[c.kind] }, c.kind === 'datetime' ? 'date' : 'n') : 0));
  const stream = (sheet as unknown as { stream: NodeJS.WritableStream }).stream;
  const kinds = LINE_COLUMNS.map((c) => c.kind);
  const letters = LINE_COLUMNS.map((_, i) => String.fromCharCode(65 + i));
  let count = 0;
  for await (const batch of lines) {
    let xml = '';
    for (const row of batch) {
      const r = count + 2;
      count++;
      xml += `<row r="${r}">`;
      for (let i = 0; i < row.length; i++) xml += cellXml(`${letters[i]}${r}`, kinds[i], styleIds[i], row[i]);
      xml += '</row>';
    }
    stream.write(Buffer.from(xml, 'utf8'));
    await drained(stream as unknown as SheetStream);
  }
  sheet.commit();
  await workbook.commit();
  return count;
}

/** exceljs's in-memory sheet stream (`StreamBuf`): 64 KiB buffers, passed to `pipes` (the zip entry's deflate stream). */
interface SheetStream { pipes: NodeJS.WritableStream[]; buffers: unknown[] }

/** Bytes a sheet stream may hold before its zip entry starts reading it. */
const UNPIPED_LIMIT_BUFFERS = 64; // × 64 KiB = 4 MiB

/**
 * Waits until the sheet's bytes can move on. exceljs's `StreamBuf.write()` always answers true and passes its
 * buffers to the deflate stream whatever that says, so without this wait a million rows pile up in memory while
 * zlib and the file catch up: wait for the deflate stream's 'drain' (it fills when the zip or the file behind
 * it is slow), and, until the zip entry is started, keep no more than a few MiB.
 */
async function drained(stream: SheetStream): Promise<void> {
  while (!stream.pipes.length && stream.buffers.length > UNPIPED_LIMIT_BUFFERS) await new Promise((resolve) => setTimeout(resolve, 2));
  // archiver wraps the sheet stream in a readable-stream 2 PassThrough, which predates `writableNeedDrain`.
  const sink = stream.pipes[0] as (NodeJS.WritableStream & { _writableState?: { needDrain?: boolean } }) | undefined;
  if (sink?._writableState?.needDrain) await once(sink, 'drain');
}

const EXCEL_EPOCH_DAYS = 25569; // 1970-01-01 as an Excel serial date

// eslint-disable-next-line no-control-regex
const XML_UNSAFE = /[<>&"\u0000-\u0008\u000b\u000c\u000e-\u001f]/g;
const escapeXml = (text: string) => text.replace(XML_UNSAFE, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : c === '"' ? '&quot;' : ''));

/** One `<c>` element of SpreadsheetML: numbers (yuan from fen, Beijing serial dates) with their style, or inline text. */
export function cellXml(ref: string, kind: ColumnKind, styleId: number, value: Cell): string {
  if (value === null || value === undefined) return '';
  const style = styleId ? ` s="${styleId}"` : '';
  if (value instanceof Date) return `<c r="${ref}"${style}><v>${(value.getTime() + BEIJING_OFFSET_MS) / 86_400_000 + EXCEL_EPOCH_DAYS}</v></c>`;
  if (typeof value === 'number') return `<c r="${ref}"${style}><v>${kind === 'yuan' ? fenToYuan(value) : value}</v></c>`;
  const text = typeof value === 'boolean' ? (value ? '是' : '否') : String(value);
  return `<c r="${ref}" t="inlineStr"><is><t>${escapeXml(text)}</t></is></c>`;
}

function addSheet(workbook: ExcelJS.stream.xlsx.WorkbookWriter, name: string, columns: Column[]): ExcelJS.Worksheet {
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c) => ({ header: c.header, width: c.width ?? 14, style: NUM_FMT[c.kind] ? { numFmt: NUM_FMT[c.kind] } : {} }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  return sheet;
}
