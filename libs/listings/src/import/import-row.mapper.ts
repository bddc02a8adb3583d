import { yuanToFen } from '../quantity.util';
import type { ImportField } from './import-columns';

export interface RowProblem {
  field: string;
  message: string;
}

const YES = new Set(['是', '有', 'y', 'yes', 'true', '1', '√', '需要']);
const NO = new Set(['否', '无', 'n', 'no', 'false', '0', '×', '不需要']);

/**
 * Turns one spreadsheet row's text into the body the API would receive (`CreateListingDto`'s shape), so the
 * same validation runs on both. Only what needs reading is converted here: 元 to fen, 是/否 to booleans,
 * 2026/10/01 to 2026-10-01, kg text to numbers (keeping a bad one as text so validation names it).
 */
export function rowToListingInput(values: Partial<Record<ImportField, string>>): { input: Record<string, unknown>; problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const input: Record<string, unknown> = {};
  const copy = (field: ImportField) => {
    if (values[field] !== undefined) input[field] = values[field];
  };
  for (const field of ['categoryCode', 'title', 'variety', 'grade', 'certificateNo', 'regionCode'] as const) copy(field);
  for (const field of ['quantityKg', 'minOrderKg'] as const) {
    const text = values[field];
    if (text !== undefined) input[field] = /^\d+(\.\d+)?$/.test(text.replace(/,/g, '')) ? Number(text.replace(/,/g, '')) : text;
  }
  if (values.unitPriceYuan !== undefined) {
    const fen = yuanToFen(values.unitPriceYuan.replace(/[¥￥元,\s]/g, ''));
    if (fen === null || fen <= 0) problems.push({ field: 'unitPriceYuan', message: 'must be a price in yuan per kg with at most 2 decimals, e.g. 6.80' });
    else input.unitPriceFen = fen;
  } else {
    problems.push({ field: 'unitPriceYuan', message: 'is required' });
  }
  for (const field of ['harvestedOn', 'bestBefore'] as const) {
    const text = values[field];
    if (text !== undefined) input[field] = normaliseDate(text);
  }
  for (const field of ['coldChain', 'stalled'] as const) {
    const text = values[field]?.toLowerCase();
    if (text === undefined) input[field] = false;
    else if (YES.has(text)) input[field] = true;
    else if (NO.has(text)) input[field] = false;
    else problems.push({ field, message: 'must be 是 or 否' });
  }
  return { input, problems };
}

// Chinese spreadsheets write dates 2026/10/01, 2026.10.01 or 2026年10月1日.
function normaliseDate(text: string): string {
  const match = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(text);
  return match ? `${match[1]}-${match[2].padStart(2, '0')}-${match[3].padStart(2, '0')}` : text;
}
