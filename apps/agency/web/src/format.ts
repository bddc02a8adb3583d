/**
 * How the dashboard writes numbers (shared with the browser test, which checks the page against the API).
 * Money arrives in fen and is shown in yuan with two decimals, computed on integers (no float rounding).
 */
const group = (digits: string) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');

export function formatYuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(Math.round(fen));
  return `${sign}${group(String(Math.trunc(abs / 100)))}.${String(abs % 100).padStart(2, '0')}`;
}

export function formatKg(kg: number): string {
  const grams = Math.round(kg * 1000);
  const whole = group(String(Math.trunc(grams / 1000)));
  const rest = String(grams % 1000).padStart(3, '0').replace(/0+$/, '');
  return rest ? `${whole}.${rest}` : whole;
}

export function formatInt(n: number): string {
  return group(String(n));
}

export function formatRate(rate: number | null): string {
  return rate === null ? '—' : `${(rate * 100).toFixed(1)}%`;
}

/** The month before `today`'s (YYYY-MM-DD) as YYYY-MM. */
export function previousMonthOf(today: string): string {
  const [y, m] = today.split('-').map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}
