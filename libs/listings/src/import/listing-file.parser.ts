import { IMPORT_COLUMNS, matchImportHeader, type ImportField } from './import-columns';
import { decodeText, readCsv, readXlsx, SheetReadError, type SheetRow } from './sheet-readers';
import { inspectZip, ZIP_DEFAULTS, ZipRefusal } from './zip-guard';

/** One data row of an import file. */
export interface RawImportRow {
  /** The row number as the user sees it in Excel/WPS: the header is row 1 (when first), the first data row 2. */
  row: number;
  /** Trimmed cell strings by field; empty cells are omitted. Dates such as 2026/10/20 are written 2026-10-20. */
  values: Partial<Record<ImportField, string>>;
}

/** Why a whole file was refused (as opposed to a row's value being invalid). */
export type ImportFileProblem =
  | 'unsupported_type' | 'too_large' | 'too_many_rows' | 'missing_columns' | 'unknown_columns' | 'empty'
  | 'zip_bomb' | 'unreadable';

/** A file the import cannot take at all; `message` is English and names what is wrong. */
export class ImportFileError extends Error {
  constructor(readonly problem: ImportFileProblem, message: string) {
    super(message);
    this.name = 'ImportFileError';
  }
}

/** How much a single import file may hold. */
export interface ParseLimits {
  /** Size of the uploaded file. */
  maxBytes: number;
  /** Data rows, not counting the header and empty rows. */
  maxRows: number;
  /** Sum of the declared uncompressed sizes of an XLSX's zip entries. */
  maxUncompressedBytes: number;
}

const MIB = 1024 * 1024;

/** 10 MiB, 100,000 rows, 100 MiB unpacked. */
export const DEFAULT_PARSE_LIMITS: ParseLimits = Object.freeze({
  maxBytes: 10 * MIB,
  maxRows: 100_000,
  maxUncompressedBytes: 100 * MIB,
});

const SAVE_AS = 'save it as .xlsx (Excel workbook) or .csv and upload that';

/** Formats recognised by their first bytes that the import does not read. */
const SIGNATURES: readonly [magic: Buffer, what: string][] = [
  [Buffer.from('%PDF-'), 'a PDF document'],
  [Buffer.from([0x89, 0x50, 0x4e, 0x47]), 'a PNG image'],
  [Buffer.from([0xff, 0xd8, 0xff]), 'a JPEG image'],
  [Buffer.from('GIF8'), 'a GIF image'],
  // OLE2 compound file: .xls, .et, .doc, and also any password-protected .xlsx
  [Buffer.from('d0cf11e0a1b11ae1', 'hex'), 'an old-format .xls workbook (or a password-protected one)'],
  [Buffer.from([0x1f, 0x8b]), 'a gzip archive'],
  [Buffer.from('Rar!'), 'a RAR archive'],
  [Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]), 'a 7z archive'],
  [Buffer.from('{\\rtf'), 'an RTF document'],
];

const ZIP_MAGIC = [Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from([0x50, 0x4b, 0x05, 0x06])];
const WORKBOOK_PART = 'xl/workbook.xml';
const DATE_FIELDS: ReadonlySet<ImportField> = new Set(['harvestedOn', 'bestBefore']);

/**
 * Turns an uploaded CSV or XLSX into trimmed string rows keyed by field, refusing a file that is not one, is
 * too big, unpacks suspiciously, or lacks the required columns. Values are not validated here.
 *
 * The format is decided by content, whatever the file is called: a zip holding `xl/workbook.xml` is XLSX
 * (first checked with yauzl against zip bombs before exceljs inflates it); text is CSV (UTF-8 with or without
 * BOM, GBK/GB18030, or UTF-16 with BOM; comma, tab or semicolon separated). The header row is the first
 * non-empty row; headers match the template's Chinese headers or the English field names, tolerantly.
 */
export async function parseListingFile(
  file: Buffer,
  filename: string,
  limits: Partial<ParseLimits> = DEFAULT_PARSE_LIMITS,
): Promise<RawImportRow[]> {
  const { maxBytes, maxRows, maxUncompressedBytes } = { ...DEFAULT_PARSE_LIMITS, ...limits };
  const name = filename || 'The file';
  if (file.length > maxBytes) {
    const sizes = `${formatSize(file.length)}; at most ${formatSize(maxBytes)} is accepted`;
    throw new ImportFileError('too_large', `${name} is ${sizes}. Split it into smaller files.`);
  }
  if (file.length === 0) throw new ImportFileError('empty', `${name} is empty.`);
  let rows: SheetRow[];
  try {
    rows = await readRows(file, name, maxRows, maxUncompressedBytes);
  } catch (err) {
    throw asImportError(err, name, maxRows);
  }
  return toImportRows(rows, name, maxRows);
}

const unsupported = (name: string, what: string) =>
  new ImportFileError('unsupported_type', `${name} is ${what}, not a spreadsheet the import reads: ${SAVE_AS}.`);

async function readRows(file: Buffer, name: string, maxRows: number, maxUnpacked: number): Promise<SheetRow[]> {
  const known = SIGNATURES.find(([magic]) => startsWith(file, magic));
  if (known) throw unsupported(name, known[1]);
  if (ZIP_MAGIC.some((magic) => startsWith(file, magic))) {
    const limits = { ...ZIP_DEFAULTS, maxUncompressedBytes: maxUnpacked };
    const names = await inspectZip(file, limits, (entries) => entries.has(WORKBOOK_PART));
    if (!names.has(WORKBOOK_PART)) throw unsupported(name, 'a zip archive but not an Excel workbook (.docx? .ods?)');
    return readXlsx(file, maxRows);
  }
  const text = decodeText(file);
  if (text === null) throw unsupported(name, 'neither a spreadsheet nor text');
  // older systems export a web page or XML named .xls; as CSV it would only produce baffling column errors
  if (text.trimStart().startsWith('<')) throw unsupported(name, 'a web page or XML file (open it in Excel or WPS)');
  return readCsv(text, maxRows);
}

/** A reader's refusal as an ImportFileError; anything else (a bug) is passed on untouched. */
function asImportError(err: unknown, name: string, maxRows: number): unknown {
  if (!(err instanceof ZipRefusal || err instanceof SheetReadError)) return err;
  switch (err.reason) {
    case 'zip_bomb':
      return new ImportFileError('zip_bomb', `${name} was refused as a possible zip bomb: ${err.message}.`);
    case 'too_many_rows':
      return new ImportFileError('too_many_rows', `${name} has more than ${maxRows} data rows; split the file.`);
    default:
      return new ImportFileError('unreadable', `${name} cannot be read: ${err.message}.`);
  }
}

function toImportRows(rows: SheetRow[], name: string, maxRows: number): RawImportRow[] {
  const [header, ...data] = rows;
  if (!header) throw new ImportFileError('empty', `${name} contains no rows.`);
  const fields = mapHeader(header, name);
  const result: RawImportRow[] = [];
  for (const { row, cells } of data) {
    const values: Partial<Record<ImportField, string>> = {};
    cells.forEach((cell, i) => {
      const field = fields[i];
      if (field && cell !== '') values[field] = DATE_FIELDS.has(field) ? isoDate(cell) : cell;
    });
    // values only under columns without a header: nothing of the lot, so not a row
    if (Object.keys(values).length > 0) result.push({ row, values });
  }
  if (result.length === 0) {
    throw new ImportFileError('empty', `${name} has a header row (row ${header.row}) but no data rows.`);
  }
  if (result.length > maxRows) {
    throw new ImportFileError('too_many_rows', `${name} has ${result.length} data rows; at most ${maxRows} fit.`);
  }
  return result;
}

/** The field of each header cell (null for an empty one), or an error naming the missing and unknown columns. */
function mapHeader(header: SheetRow, name: string): (ImportField | null)[] {
  const unknown: string[] = [];
  const seen = new Map<ImportField, string[]>();
  const fields = header.cells.map((cell, i) => {
    if (cell === '') return null;
    const field = matchImportHeader(cell);
    if (!field) unknown.push(`"${cell}" (column ${columnLetter(i)})`);
    else seen.set(field, [...(seen.get(field) ?? []), columnLetter(i)]);
    return field;
  });
  const where = `in the header row (row ${header.row} of ${name})`;
  const missing = IMPORT_COLUMNS.filter((column) => column.required && !seen.has(column.field));
  const unknownText = unknown.length ? ` Unrecognised columns: ${unknown.join(', ')}.` : '';
  if (missing.length > 0) {
    const list = missing.map((column) => `${column.header} (${column.field})`).join(', ');
    throw new ImportFileError('missing_columns', `Required columns are missing ${where}: ${list}.${unknownText}`);
  }
  if (unknown.length > 0) {
    const expected = IMPORT_COLUMNS.map((column) => column.header).join(', ');
    throw new ImportFileError(
      'unknown_columns',
      `Unrecognised columns ${where}: ${unknown.join(', ')}. Remove them or use the template's headers: ${expected}.`,
    );
  }
  const twice = [...seen].filter(([, letters]) => letters.length > 1);
  if (twice.length > 0) {
    const list = twice.map(([field, letters]) => `${headerOf(field)} (${field}) in columns ${letters.join(', ')}`);
    throw new ImportFileError('unknown_columns', `Columns appear twice ${where}: ${list.join('; ')}. Keep one.`);
  }
  return fields;
}

const headerOf = (field: ImportField) => IMPORT_COLUMNS.find((column) => column.field === field)?.header ?? field;

const DATE_TEXT = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$/u;

/** 2026/10/20 (how Chinese-locale Excel saves a date cell to CSV), 2026年10月20日 or 2026.10.20 as 2026-10-20. */
function isoDate(text: string): string {
  const match = DATE_TEXT.exec(text);
  if (!match) return text;
  const [, year, month, day] = match;
  return `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
}

function startsWith(file: Buffer, magic: Buffer): boolean {
  return file.length >= magic.length && file.subarray(0, magic.length).equals(magic);
}

/** A spreadsheet column's letters for a 0-based index: 0 → A, 26 → AA. */
function columnLetter(index: number): string {
  let letters = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) {
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  }
  return letters;
}

function formatSize(bytes: number): string {
  return bytes >= MIB ? `${(bytes / MIB).toFixed(1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`;
}
