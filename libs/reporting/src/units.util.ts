/** Grams (database) to kg (API), exact to the gram: at most three decimals. */
export function gramsToKg(grams: number): number {
  return Math.round(grams) / 1000;
}

/** Fen to yuan text with two decimals and no float arithmetic: 123456 → "1234.56". */
export function fenToYuanText(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(Math.round(fen));
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Fen as a yuan number for a spreadsheet cell (shown with two decimals by the cell's number format). */
export function fenToYuan(fen: number): number {
  return Number(fenToYuanText(fen));
}

/** `sold / listed` rounded to 4 decimals, or null when nothing was listed. */
export function ratio(numerator: number, denominator: number): number | null {
  return denominator > 0 ? Math.round((numerator / denominator) * 10_000) / 10_000 : null;
}

/**
 * Days the county's stock lasts at the period's sales rate: available ÷ (sold ÷ days), one decimal.
 * 0 when there is no stock; null when there is stock but nothing sold (it would last forever at that rate).
 */
export function daysOfStockLeft(availableGrams: number, soldGrams: number, days: number): number | null {
  if (availableGrams <= 0) return 0;
  if (soldGrams <= 0 || days <= 0) return null;
  return Math.round((availableGrams / (soldGrams / days)) * 10) / 10;
}
