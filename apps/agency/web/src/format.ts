/** How the dashboard writes numbers: the formatters every web app shares, and the dashboard's own. */
export { formatInt, formatKg, formatYuan } from '../../../../libs/web/src/format';

export function formatRate(rate: number | null): string {
  return rate === null ? '—' : `${(rate * 100).toFixed(1)}%`;
}

/** The month before `today`'s (YYYY-MM-DD) as YYYY-MM. */
export function previousMonthOf(today: string): string {
  const [y, m] = today.split('-').map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}
