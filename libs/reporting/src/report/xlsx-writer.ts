import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { ZipFile } from 'yazl';
import { fenToYuan } from '../units.util';
import { ByteChunks } from './byte-chunks';
import { type Cell, type Column, type ColumnKind, LINE_COLUMNS, SHEETS, type SoldLine, type Table, typedCell } from './report-tables';

/** Number formats by column kind; each gets a cell style (`STYLE`). */
const NUM_FMT: Partial<Record<ColumnKind, string>> = {
  kg: '#,##0.000',
  yuan: '#,##0.00',
  int: '#,##0',
  rate: '0.00%',
  days: '0.0',
  datetime: 'yyyy-mm-dd hh:mm:ss',
};
const FORMATTED_KINDS = Object.keys(NUM_FMT) as ColumnKind[];
/** Cell style ids (`cellXfs` in styles.xml): 0 plain, 1 bold header, then one per number format. */
const HEADER_STYLE = 1;
const STYLE: Partial<Record<ColumnKind, number>> = Object.fromEntries(FORMATTED_KINDS.map((kind, i) => [kind, i + 2]));

/**
 * Deflate level of the zip entries. Level 1 deflates the sheet XML several times faster than zlib's default 6
 * for a file about a fifth larger; deflating was the largest single cost of a big report on two cores.
 */
const COMPRESSION_LEVEL = 1;

const BEIJING_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;
const EXCEL_EPOCH_DAYS = 25569; // 1970-01-01 as an Excel serial date

/** Beyond this many distinct texts the detail sheet writes new ones inline, so memory stays bounded. */
const MAX_SHARED_STRINGS = 200_000;

/**
 * Writes the report as an XLSX (SpreadsheetML in a zip, assembled with yazl): one sheet per table in `tables`,
 * then the sold lines as the last sheet. The sold lines are serialised straight from the cursor's text rows
 * into buffers and onto the zip entry's deflate stream, honouring back-pressure, so memory stays flat however
 * many lines stream through `lines`. The detail sheet is the **first** entry of the zip (the workbook lists it
 * last): `tables`, which need the aggregates, are only awaited once the lines are written, so the aggregate
 * queries run while the lines stream. Texts are shared strings (a county, a seller, a buyer type repeats on
 * many lines), except columns marked `unique`. Returns the number of sold lines written.
 *
 * To add a sheet, add a table to `reportTables`: every table becomes a sheet, in order.
 */
export async function writeXlsx(output: NodeJS.WritableStream, tables: Table[] | Promise<Table[]>, lines: AsyncIterable<SoldLine[]>): Promise<number> {
  const zip = new ZipFile();
  const mtime = new Date();
  const entry = { mtime, compressionLevel: COMPRESSION_LEVEL };
  const done = new Promise<void>((resolve, reject) => {
    output.once('finish', resolve);
    output.once('error', reject);
  });
  done.catch(() => undefined); // awaited at the end; an early failure also ends the detail sheet's writes
  zip.outputStream.pipe(output);

  const strings = new SharedStrings();
  const sheet = new PassThrough({ highWaterMark: 1024 * 1024 });
  output.once('error', (error: Error) => sheet.destroy(error));
  zip.addReadStream(sheet, partName(0), entry);
  const count = await writeLines(sheet, strings, lines);

  const all = [...(await tables), { name: SHEETS.lines, columns: LINE_COLUMNS, rows: [] }];
  // Sheet parts: the detail sheet is part 1 (written first), the tables parts 2…n+1.
  const parts = all.map((_, i) => (i === all.length - 1 ? 0 : i + 1));
  all.slice(0, -1).forEach((table, i) => zip.addBuffer(Buffer.from(tableSheetXml(table, strings), 'utf8'), partName(i + 1), entry));
  zip.addBuffer(Buffer.from(strings.xml(), 'utf8'), 'xl/sharedStrings.xml', entry);
  zip.addBuffer(Buffer.from(STYLES_XML, 'utf8'), 'xl/styles.xml', entry);
  zip.addBuffer(Buffer.from(workbookXml(all.map((t) => t.name)), 'utf8'), 'xl/workbook.xml', entry);
  zip.addBuffer(Buffer.from(workbookRelsXml(parts), 'utf8'), 'xl/_rels/workbook.xml.rels', entry);
  zip.addBuffer(Buffer.from(contentTypesXml(all.length), 'utf8'), '[Content_Types].xml', entry);
  zip.addBuffer(Buffer.from(ROOT_RELS_XML, 'utf8'), '_rels/.rels', entry);
  zip.addBuffer(Buffer.from(coreXml(mtime), 'utf8'), 'docProps/core.xml', entry);
  zip.addBuffer(Buffer.from(APP_XML, 'utf8'), 'docProps/app.xml', entry);
  zip.end();
  await done;
  return count;
}

const partName = (part: number) => `xl/worksheets/sheet${part + 1}.xml`;

/** The detail sheet: its header, then every sold line as it comes. */
async function writeLines(sheet: PassThrough, strings: SharedStrings, lines: AsyncIterable<SoldLine[]>): Promise<number> {
  const chunks = new ByteChunks();
  chunks.write(sheetStart(LINE_COLUMNS));
  chunks.write(headerRowXml(LINE_COLUMNS, strings));
  const cellStart = LINE_COLUMNS.map((c, i) => {
    const style = STYLE[c.kind] ? ` s="${STYLE[c.kind]}"` : '';
    return { letter: columnLetter(i), style, source: c.source, unique: !!c.unique, lastText: '', lastIndex: -1 };
  });
  const columns = LINE_COLUMNS.length;
  let count = 0;
  for await (const batch of lines) {
    for (const line of batch) {
      const r = count + 2;
      count++;
      let xml = `<row r="${r}">`;
      let ascii = true;
      // A cell's reference is optional when it follows the previous column's cell (ECMA-376 §18.3.1.4), so
      // only the row's first cell and a cell after an empty one carry it: a quarter less XML to deflate.
      let ref = ` r="${cellStart[0].letter}${r}"`;
      for (let i = 0; i < columns; i++) {
        const value = line[i];
        const c = cellStart[i];
        if (value === null) {
          if (i + 1 < columns) ref = ` r="${cellStart[i + 1].letter}${r}"`;
          continue;
        }
        switch (c.source) {
          case 'epochMs':
            xml += `<c${ref}${c.style}><v>${(Number(value) + BEIJING_OFFSET_MS) / DAY_MS + EXCEL_EPOCH_DAYS}</v></c>`;
            break;
          case 'int':
            xml += `<c${ref}${c.style}><v>${value}</v></c>`;
            break;
          case 'grams':
            xml += `<c${ref}${c.style}><v>${Number(value) / 1000}</v></c>`;
            break;
          case 'fen':
            xml += `<c${ref}${c.style}><v>${Number(value) / 100}</v></c>`;
            break;
          default: {
            // Consecutive lines often repeat a text (an order's lines share its seller, buyer, county).
            let index = c.lastIndex;
            if (c.unique || value !== c.lastText) {
              index = c.unique ? -1 : strings.index(value);
              c.lastText = value;
              c.lastIndex = index;
            }
            if (index >= 0) xml += `<c${ref} t="s"><v>${index}</v></c>`;
            else {
              xml += `<c${ref} t="inlineStr"><is><t>${escapeXml(value)}</t></is></c>`;
              if (ascii && NON_ASCII.test(value)) ascii = false;
            }
          }
        }
        ref = '';
      }
      xml += '</row>';
      if (ascii) chunks.writeAscii(xml);
      else chunks.write(xml);
    }
    await writeAll(sheet, chunks.take());
  }
  chunks.write('</sheetData></worksheet>');
  await writeAll(sheet, chunks.take());
  sheet.end();
  return count;
}

async function writeAll(stream: PassThrough, buffers: Buffer[]): Promise<void> {
  for (const buffer of buffers) {
    if (!stream.write(buffer)) await once(stream, 'drain');
  }
}

/** A small sheet (a table of the report) as one string: header row, then each row with its kinds' formats. */
function tableSheetXml(table: Table, strings: SharedStrings): string {
  const rows = table.rows.map((row, index) => {
    const r = index + 2;
    const cells = row.map((cell, i) => {
      const typed = typedCell(cell);
      return valueCellXml(`${columnLetter(i)}${r}`, typed.kind ?? table.columns[i]?.kind, typed.value, strings);
    });
    return `<row r="${r}">${cells.join('')}</row>`;
  });
  return `${sheetStart(table.columns)}${headerRowXml(table.columns, strings)}${rows.join('')}</sheetData></worksheet>`;
}

/** One cell of a small sheet: as exceljs would store it (yuan from fen, Beijing serial dates, 是/否, shared text). */
function valueCellXml(ref: string, kind: ColumnKind | undefined, value: Cell, strings: SharedStrings): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return `<c r="${ref}" s="${STYLE.datetime}"><v>${(value.getTime() + BEIJING_OFFSET_MS) / DAY_MS + EXCEL_EPOCH_DAYS}</v></c>`;
  if (typeof value === 'boolean') return textCellXml(ref, value ? '是' : '否', strings, false);
  if (typeof value === 'number') {
    const style = kind && STYLE[kind] ? ` s="${STYLE[kind]}"` : '';
    return `<c r="${ref}"${style}><v>${kind === 'yuan' ? fenToYuan(value) : value}</v></c>`;
  }
  return textCellXml(ref, value, strings, false);
}

function textCellXml(ref: string, text: string, strings: SharedStrings, unique: boolean, style = ''): string {
  const index = unique ? -1 : strings.index(text);
  if (index >= 0) return `<c r="${ref}"${style} t="s"><v>${index}</v></c>`;
  return `<c r="${ref}"${style} t="inlineStr"><is><t>${escapeXml(text)}</t></is></c>`;
}

/** The shared string table: each distinct text once, cells refer to it by index. */
class SharedStrings {
  private readonly indexes = new Map<string, number>();

  /** The text's index, adding it; -1 once the table is full (the caller writes the text inline). */
  index(text: string): number {
    let index = this.indexes.get(text);
    if (index === undefined) {
      if (this.indexes.size >= MAX_SHARED_STRINGS) return -1;
      index = this.indexes.size;
      this.indexes.set(text, index);
    }
    return index;
  }

  xml(): string {
    const items = [...this.indexes.keys()].map((text) => `<si><t xml:space="preserve">${escapeXml(text)}</t></si>`);
    return `${XML_DECLARATION}<sst xmlns="${MAIN_NS}" uniqueCount="${items.length}">${items.join('')}</sst>`;
  }
}

// eslint-disable-next-line no-control-regex
const XML_UNSAFE = /[<>&"\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;
// eslint-disable-next-line no-control-regex
const XML_UNSAFE_ALL = /[<>&"\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;
// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\u0000-\u007f]/;
const ENTITIES: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' };

/** Text as XML character data; characters XML cannot carry (control characters) are dropped. */
export function escapeXml(text: string): string {
  return XML_UNSAFE.test(text) ? text.replace(XML_UNSAFE_ALL, (c) => ENTITIES[c] ?? '') : text;
}

/** A1-style column letters: 0 → A, 25 → Z, 26 → AA. */
export function columnLetter(index: number): string {
  let letters = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';

/** A worksheet up to its `<sheetData>`: the header row frozen, column widths. */
function sheetStart(columns: Column[]): string {
  const cols = columns.map((c, i) => `<col min="${i + 1}" max="${i + 1}" width="${c.width ?? 14}" customWidth="1"/>`).join('');
  return (
    `${XML_DECLARATION}<worksheet xmlns="${MAIN_NS}" xmlns:r="${REL_NS}">` +
    '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>' +
    '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>' +
    `<sheetFormatPr defaultRowHeight="15"/><cols>${cols}</cols><sheetData>`
  );
}

function headerRowXml(columns: Column[], strings: SharedStrings): string {
  return `<row r="1">${columns.map((c, i) => textCellXml(`${columnLetter(i)}1`, c.header, strings, false, ` s="${HEADER_STYLE}"`)).join('')}</row>`;
}

function workbookXml(names: string[]): string {
  const sheets = names.map((name, i) => `<sheet name="${escapeXml(name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('');
  return `${XML_DECLARATION}<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><bookViews><workbookView/></bookViews><sheets>${sheets}</sheets></workbook>`;
}

/** Sheet `i` of the workbook (relationship `rId{i+1}`) is part `parts[i]`; then styles and shared strings. */
function workbookRelsXml(parts: number[]): string {
  const n = parts.length;
  const sheets = parts.map((part, i) => `<Relationship Id="rId${i + 1}" Type="${REL_NS}/worksheet" Target="worksheets/sheet${part + 1}.xml"/>`).join('');
  return (
    `${XML_DECLARATION}<Relationships xmlns="${PKG_REL_NS}">${sheets}` +
    `<Relationship Id="rId${n + 1}" Type="${REL_NS}/styles" Target="styles.xml"/>` +
    `<Relationship Id="rId${n + 2}" Type="${REL_NS}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`
  );
}

function contentTypesXml(sheets: number): string {
  const ct = 'application/vnd.openxmlformats-officedocument';
  const overrides = Array.from({ length: sheets }, (_, i) => `<Override PartName="/${partName(i)}" ContentType="${ct}.spreadsheetml.worksheet+xml"/>`).join('');
  return (
    `${XML_DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
    `<Override PartName="/xl/workbook.xml" ContentType="${ct}.spreadsheetml.sheet.main+xml"/>${overrides}` +
    `<Override PartName="/xl/styles.xml" ContentType="${ct}.spreadsheetml.styles+xml"/>` +
    `<Override PartName="/xl/sharedStrings.xml" ContentType="${ct}.spreadsheetml.sharedStrings+xml"/>` +
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>' +
    `<Override PartName="/docProps/app.xml" ContentType="${ct}.extended-properties+xml"/></Types>`
  );
}

const ROOT_RELS_XML =
  `${XML_DECLARATION}<Relationships xmlns="${PKG_REL_NS}">` +
  `<Relationship Id="rId1" Type="${REL_NS}/officeDocument" Target="xl/workbook.xml"/>` +
  `<Relationship Id="rId2" Type="${PKG_REL_NS}/metadata/core-properties" Target="docProps/core.xml"/>` +
  `<Relationship Id="rId3" Type="${REL_NS}/extended-properties" Target="docProps/app.xml"/></Relationships>`;

const APP_XML = `${XML_DECLARATION}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>Chanxiao</Application></Properties>`;

function coreXml(at: Date): string {
  const time = `${at.toISOString().slice(0, 19)}Z`;
  return (
    `${XML_DECLARATION}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" ` +
    'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<dc:creator>产销通 Chanxiao</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">${time}</dcterms:created>` +
    `<dcterms:modified xsi:type="dcterms:W3CDTF">${time}</dcterms:modified></cp:coreProperties>`
  );
}

const STYLES_XML = (() => {
  const numFmts = FORMATTED_KINDS.map((kind, i) => `<numFmt numFmtId="${164 + i}" formatCode="${escapeXml(NUM_FMT[kind]!)}"/>`).join('');
  const xfs = FORMATTED_KINDS.map((_, i) => `<xf numFmtId="${164 + i}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>`).join('');
  return (
    `${XML_DECLARATION}<styleSheet xmlns="${MAIN_NS}"><numFmts count="${FORMATTED_KINDS.length}">${numFmts}</numFmts>` +
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>' +
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
    `<cellXfs count="${FORMATTED_KINDS.length + 2}"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>` +
    `<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>${xfs}</cellXfs>` +
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
  );
})();
