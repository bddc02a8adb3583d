import { once } from 'node:events';
import { fenToYuanText } from '../units.util';
import { ByteChunks } from './byte-chunks';
import { beijingTime, beijingTimeFormatter, type Cell, type ColumnKind, LINE_COLUMNS, SHEETS, type SoldLine, type Table, typedCell } from './report-tables';

const NEEDS_QUOTES = /[",\r\n]/;
const quoted = (text: string) => (NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

/** One CSV field: yuan as text with two decimals, rates as percentages, instants in Beijing time, 是/否, quoted when needed. */
export function csvField(kind: ColumnKind | undefined, value: Cell): string {
  let text: string;
  if (value === null || value === undefined) text = '';
  else if (value instanceof Date) text = beijingTime(value);
  else if (typeof value === 'boolean') text = value ? '是' : '否';
  else if (kind === 'yuan' && typeof value === 'number') text = fenToYuanText(value);
  else if (kind === 'rate' && typeof value === 'number') text = `${(value * 100).toFixed(2)}%`;
  else text = String(value);
  return quoted(text);
}

const line = (cells: string[]) => `${cells.join(',')}\r\n`;

/**
 * Writes the report as one UTF-8 CSV (with a BOM so Excel reads the Chinese): a section per sheet, each
 * starting with a `【sheet name】` line and its header row, separated by a blank line; the sold lines last,
 * encoded from the cursor's text rows straight into buffers. Honours the stream's back-pressure, so memory
 * stays flat. Returns the number of sold lines written.
 */
export async function writeCsv(output: NodeJS.WritableStream, tables: Table[], lines: AsyncIterable<SoldLine[]>): Promise<number> {
  const chunks = new ByteChunks();
  const flush = async () => {
    for (const buffer of chunks.take()) if (!output.write(buffer)) await once(output, 'drain');
  };
  chunks.write('\uFEFF');
  for (const table of tables) {
    chunks.write(line([`【${table.name}】`]));
    chunks.write(line(table.columns.map((c) => csvField('text', c.header))));
    for (const row of table.rows) {
      chunks.write(line(row.map((cell, i) => {
        const typed = typedCell(cell);
        return csvField(typed.kind ?? table.columns[i]?.kind, typed.value);
      })));
    }
    chunks.write('\r\n');
  }
  chunks.write(line([`【${SHEETS.lines}】`]));
  chunks.write(line(LINE_COLUMNS.map((c) => csvField('text', c.header))));
  const sources = LINE_COLUMNS.map((c) => c.source);
  const time = beijingTimeFormatter();
  const columns = LINE_COLUMNS.length;
  let count = 0;
  for await (const batch of lines) {
    for (const row of batch) {
      let text = '';
      for (let i = 0; i < columns; i++) {
        const value = row[i];
        if (i) text += ',';
        if (value === null) continue;
        switch (sources[i]) {
          case 'epochMs':
            text += time(Number(value));
            break;
          case 'grams':
            text += Number(value) / 1000;
            break;
          case 'fen':
            text += fenToYuanText(Number(value));
            break;
          default:
            text += quoted(value);
        }
      }
      chunks.write(`${text}\r\n`);
    }
    count += batch.length;
    await flush();
  }
  await flush();
  output.end();
  await once(output, 'finish');
  return count;
}
