/**
 * A line's amount in fen: grams × fen-per-kg / 1000, rounded half up to the nearest fen, in integer arithmetic.
 * (1.5 kg at 3.33 元/kg = 1500 × 333 / 1000 = 499.5 → 500 fen.)
 */
export function lineAmountFen(grams: number, unitPriceFen: number): number {
  const product = BigInt(grams) * BigInt(unitPriceFen);
  return Number((product + 500n) / 1000n);
}

/** Canonical JSON (keys sorted at every level), so equal bodies hash equally whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
