import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import * as iconv from 'iconv-lite';

/** One non-empty row of a sheet: its row number as a spreadsheet shows it, and its trimmed cells (0-based). */
export interface SheetRow {
  row: number;
  cells: string[];
}

/** Thrown by a reader for a file it cannot turn into rows; the parser maps it to an ImportFileError. */
export class SheetReadError extends Error {
  constructor(readonly reason: 'unreadable' | 'too_many_rows', message: string) {
    super(message);
  }
}

const isEmpty = (cells: string[]) => cells.every((cell) => cell === '');

// Text never holds C0 controls other than tab, CR and LF; binaries (PNG, random bytes) nearly always do.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/u;

/**
 * The text of a CSV/TSV file, or null when it is not text. UTF-16 is recognised by its BOM (Excel's
 * "Unicode text"); otherwise UTF-8 if the bytes are valid UTF-8, else GB18030, the superset of the GBK that
 * Chinese-locale Excel and WPS write.
 */
export function decodeText(bytes: Buffer): string | null {
  let text: string;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) text = new TextDecoder('utf-16le').decode(bytes);
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) text = new TextDecoder('utf-16be').decode(bytes);
  else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      text = iconv.decode(bytes, 'gb18030');
    }
  }
  text = text.replace(/^\uFEFF/u, '');
  return CONTROL.test(text) ? null : text;
}

/** The delimiter the header line uses most: comma, tab or semicolon, counting outside quotes. */
export function sniffDelimiter(text: string): string {
  const counts: Record<string, number> = { ',': 0, '\t': 0, ';': 0 };
  let quoted = false;
  let seenContent = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) {
      if (seenContent) break;
    } else if (!quoted && ch in counts) counts[ch] += 1;
    if (ch.trim() !== '') seenContent = true;
  }
  return Object.entries(counts).reduce((best, next) => (next[1] > best[1] ? next : best))[0];
}

/**
 * The non-empty rows of a CSV text. Rows are numbered the way Excel or WPS shows the file, since that is where
 * the user will look for a row the report names: one row per record, counting blank lines (each is an empty
 * row there) and a quoted cell spanning several lines as one row.
 */
export function readCsv(text: string, maxRows: number): SheetRow[] {
  const rows: SheetRow[] = [];
  let records = 0;
  try {
    parse(text, {
      delimiter: sniffDelimiter(text),
      relax_column_count: true,
      relax_quotes: true,
      on_record: (record: string[]) => {
        records += 1;
        const cells = record.map((cell) => cell.trim());
        if (isEmpty(cells)) return null;
        // the header row plus maxRows data rows; one more and the file is refused without parsing the rest
        if (rows.length > maxRows) throw new SheetReadError('too_many_rows', `more than ${maxRows} data rows`);
        rows.push({ row: records, cells });
        return null;
      },
    });
  } catch (err) {
    if (err instanceof SheetReadError) throw err;
    throw new SheetReadError('unreadable', `the CSV text cannot be parsed (${(err as Error).message})`);
  }
  return rows;
}

/** A number without binary float artefacts: 0.1 + 0.2 is written 0.3, as Excel shows it. */
export function formatNumber(value: number): string {
  return Number.isFinite(value) ? Number(value.toPrecision(15)).toString() : String(value);
}

/**
 * A date cell as YYYY-MM-DD. An Excel date is a zone-less wall-clock serial and exceljs turns it into the Date
 * of that wall-clock time in UTC, so the UTC calendar date is what the cell shows. Reading it in UTC+8 (or the
 * server's zone) would move a cell holding an evening time, or every cell on a server west of Greenwich, to
 * another day.
 */
export function formatDate(value: Date): string {
  if (Number.isNaN(value.getTime())) return '';
  return value.toISOString().slice(0, 10);
}

/** Any exceljs cell value as a trimmed string. */
export function cellText(value: ExcelJS.CellValue | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE'; // what Excel writes when saving as CSV
  if (value instanceof Date) return formatDate(value);
  if ('richText' in value) return value.richText.map((run) => run.text).join('').trim();
  if ('error' in value) return String(value.error);
  if ('hyperlink' in value) return cellText(value.text as ExcelJS.CellValue);
  // a formula (also shared or array formula): its cached result; none was saved when nothing ever calculated it
  if ('result' in value || 'formula' in value || 'sharedFormula' in value) {
    return cellText((value as { result?: ExcelJS.CellValue }).result);
  }
  return '';
}

const LISTING_SHEET = '产品清单';

/**
 * The non-empty rows of a workbook's listing sheet: the sheet named 产品清单 (the template's), else the first
 * one, so a user who drags the instructions sheet to the front still imports the lots.
 */
export async function readXlsx(bytes: Buffer, maxRows: number): Promise<SheetRow[]> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  } catch (err) {
    throw new SheetReadError('unreadable', `the workbook cannot be read (${(err as Error).message})`);
  }
  const sheet = workbook.getWorksheet(LISTING_SHEET) ?? workbook.worksheets[0];
  if (!sheet) return [];
  const rows: SheetRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: false }, (cell, col) => {
      // a merged cell repeats its master's value in every cell it covers; only the master holds it
      cells[col - 1] = cell.isMerged && cell.master !== cell ? '' : cellText(cell.value);
    });
    const dense = Array.from(cells, (cell) => cell ?? '');
    if (!isEmpty(dense)) rows.push({ row: rowNumber, cells: dense });
  });
  // exceljs reads a whole sheet at once, so unlike CSV the row limit can only be checked afterwards
  if (rows.length > maxRows + 1) throw new SheetReadError('too_many_rows', `more than ${maxRows} data rows`);
  return rows;
}
