import { once } from 'node:events';
import { fenToYuanText } from '../units.util';
import { beijingTime, type Cell, type ColumnKind, LINE_COLUMNS, SHEETS, type Table, typedCell } from './report-tables';

/** One CSV field: yuan as text with two decimals, rates as percentages, instants in Beijing time, 是/否, quoted when needed. */
export function csvField(kind: ColumnKind | undefined, value: Cell): string {
  let text: string;
  if (value === null || value === undefined) text = '';
  else if (value instanceof Date) text = beijingTime(value);
  else if (typeof value === 'boolean') text = value ? '是' : '否';
  else if (kind === 'yuan' && typeof value === 'number') text = fenToYuanText(value);
  else if (kind === 'rate' && typeof value === 'number') text = `${(value * 100).toFixed(2)}%`;
  else text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const line = (cells: string[]) => `${cells.join(',')}\r\n`;

/**
 * Writes the report as one UTF-8 CSV (with a BOM so Excel reads the Chinese): a section per sheet, each
 * starting with a `【sheet name】` line and its header row, separated by a blank line; the sold lines last.
 * Honours the stream's back-pressure, so memory stays flat. Returns the number of sold lines written.
 */
export async function writeCsv(output: NodeJS.WritableStream, tables: Table[], lines: AsyncIterable<Cell[][]>): Promise<number> {
  const write = async (text: string) => {
    if (!output.write(text)) await once(output, 'drain');
  };
  await write('\uFEFF');
  for (const table of tables) {
    await write(line([`【${table.name}】`]));
    await write(line(table.columns.map((c) => csvField('text', c.header))));
    for (const row of table.rows) {
      await write(line(row.map((cell, i) => {
        const typed = typedCell(cell);
        return csvField(typed.kind ?? table.columns[i]?.kind, typed.value);
      })));
    }
    await write('\r\n');
  }
  await write(line([`【${SHEETS.lines}】`]));
  await write(line(LINE_COLUMNS.map((c) => csvField('text', c.header))));
  const kinds = LINE_COLUMNS.map((c) => c.kind);
  let count = 0;
  for await (const batch of lines) {
    await write(batch.map((row) => line(row.map((value, i) => csvField(kinds[i], value)))).join(''));
    count += batch.length;
  }
  output.end();
  await once(output, 'finish');
  return count;
}
