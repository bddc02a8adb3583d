/**
 * How every web app writes money, weights and dates (shared with the browser tests, which check pages against
 * the API). Money arrives in fen and is shown in 元 with two decimals, computed on integers (no float rounding);
 * dates are Beijing time whatever the device's zone.
 */
const group = (digits: string) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** 123456 fen → `1,234.56` */
export function formatYuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(Math.round(fen));
  return `${sign}${group(String(Math.trunc(abs / 100)))}.${String(abs % 100).padStart(2, '0')}`;
}

/** 1234.5 kg → `1,234.5` (at most three decimals: whole grams) */
export function formatKg(kg: number): string {
  const grams = Math.round(kg * 1000);
  const whole = group(String(Math.trunc(grams / 1000)));
  const rest = String(grams % 1000).padStart(3, '0').replace(/0+$/, '');
  return rest ? `${whole}.${rest}` : whole;
}

export function formatInt(n: number): string {
  return group(String(n));
}

/** A weight with its unit, in 吨 from 10 t up (`12.5 吨`), else in 公斤 (`850 公斤`); `units` are the i18n words. */
export function formatWeight(kg: number, units: { kg: string; t: string }): string {
  return kg >= 10_000 ? `${formatKg(Math.round(kg) / 1000)} ${units.t}` : `${formatKg(kg)} ${units.kg}`;
}

const BEIJING = 'Asia/Shanghai';
const dateParts = (iso: string | Date, withTime: boolean) =>
  Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: BEIJING, year: 'numeric', month: '2-digit', day: '2-digit', ...(withTime ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } : {}),
    }).formatToParts(typeof iso === 'string' ? new Date(iso) : iso).map((p) => [p.type, p.value]),
  );

/** `2026-12-04T06:30:00Z` → `2026-12-04 14:30` (Beijing time) */
export function formatDateTime(iso: string | Date): string {
  const p = dateParts(iso, true);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** A calendar date as the API sends it (`2026-12-04`) stays as it is; an instant is shown as its Beijing date. */
export function formatDate(value: string | Date): string {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const p = dateParts(value, false);
  return `${p.year}-${p.month}-${p.day}`;
}

/** Today's date in Beijing, `YYYY-MM-DD`. */
export function beijingToday(now = new Date()): string {
  return formatDate(now);
}

/** Whole hours and minutes from `now` until `iso` (0 when past), for countdowns. */
export function timeLeft(iso: string, now = Date.now()): { hours: number; minutes: number; past: boolean } {
  const ms = new Date(iso).getTime() - now;
  if (ms <= 0) return { hours: 0, minutes: 0, past: true };
  return { hours: Math.floor(ms / 3_600_000), minutes: Math.floor((ms % 3_600_000) / 60_000), past: false };
}

/** `12.50` (元, as typed) → 1250 fen; null when it is not a non-negative amount with at most two decimals. */
export function yuanToFen(text: string): number | null {
  const m = /^\s*(\d+)(?:\.(\d{1,2}))?\s*$/.exec(text);
  return m ? Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0')) : null;
}

/** 1250 fen → `12.50` for an input box. */
export function fenToYuanInput(fen: number): string {
  return `${Math.trunc(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}
