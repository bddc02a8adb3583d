/**
 * Quantities are kg in the API (at most 3 decimals) and integer grams in the database; prices are integer fen.
 * Conversions go through the decimal text of a number, never through floating-point multiplication, so
 * 0.1 kg + 0.2 kg is exactly 300 g.
 */

/** The largest quantity one lot may hold: 100,000 t. */
export const MAX_KG = 100_000_000;

/** Why `kg` is not a valid API quantity, or null. */
export function kgProblem(kg: unknown): string | null {
  if (typeof kg !== 'number' || !Number.isFinite(kg)) return 'must be a number of kg';
  if (kg <= 0) return 'must be greater than 0';
  if (kg > MAX_KG) return `must be at most ${MAX_KG} kg`;
  if (decimalPlaces(kg) > 3) return 'must have at most 3 decimals (whole grams)';
  return null;
}

/** Exact grams for a kg amount (zero or negative too) with at most 3 decimals. Throws otherwise: validate first. */
export function kgToGrams(kg: number): number {
  if (!Number.isFinite(kg) || Math.abs(kg) > MAX_KG || decimalPlaces(kg) > 3) {
    throw new RangeError(`${kg} kg is not a whole number of grams within ${MAX_KG} kg`);
  }
  return scaleDecimal(kg, 3);
}

/** kg for an integer number of grams; the nearest double to the exact decimal, so 300 g is 0.3. */
export function gramsToKg(grams: number): number {
  if (!Number.isSafeInteger(grams)) throw new RangeError(`${grams} is not a whole number of grams`);
  return Number(formatScaled(grams, 3));
}

/** Exact fen for a yuan amount given as text or number with at most 2 decimals ("12.5" → 1250). */
export function yuanToFen(yuan: string | number): number | null {
  const text = typeof yuan === 'number' ? decimalText(yuan) : yuan.trim();
  if (!/^\d{1,9}(\.\d{1,2})?$/.test(text)) return null;
  return scaleDecimal(Number(text), 2, text);
}

export function fenToYuanText(fen: number): string {
  return formatScaled(fen, 2);
}

function decimalPlaces(n: number): number {
  const text = decimalText(n);
  const dot = text.indexOf('.');
  return dot === -1 ? 0 : text.length - dot - 1;
}

// The shortest decimal text that round-trips (what JSON carried), expanded out of exponent form.
function decimalText(n: number): string {
  const text = String(n);
  if (!/e/i.test(text)) return text;
  return n.toFixed(20).replace(/\.?0+$/, '');
}

function scaleDecimal(n: number, places: number, text = decimalText(n)): number {
  const negative = text.startsWith('-');
  const [whole, fraction = ''] = (negative ? text.slice(1) : text).split('.');
  if (fraction.length > places) throw new RangeError(`${text} has more than ${places} decimals`);
  const scaled = Number(whole) * 10 ** places + Number(fraction.padEnd(places, '0'));
  return negative ? -scaled : scaled;
}

function formatScaled(n: number, places: number): string {
  const negative = n < 0;
  const digits = String(Math.abs(n)).padStart(places + 1, '0');
  const text = `${digits.slice(0, -places)}.${digits.slice(-places)}`.replace(/\.?0+$/, '');
  return negative ? `-${text}` : text;
}
