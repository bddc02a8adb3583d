/**
 * How a confirmed proposal's grams are shared among a pool's members (pure): in proportion to what each still
 * wants (quantity − allocated), rounded down, the grams left over one each to the largest remainders (ties by
 * id). Nobody gets more than they still want; the shares sum to `grams` exactly when the members want at least that.
 */
export function splitGrams(grams: number, members: { id: string; remaining: number }[]): Map<string, number> {
  const wanting = members.filter((m) => m.remaining > 0);
  const total = wanting.reduce((s, m) => s + m.remaining, 0);
  const shares = new Map<string, number>();
  if (grams <= 0 || total <= 0) return shares;
  const take = Math.min(grams, total);
  const exact = wanting.map((m) => ({ id: m.id, remaining: m.remaining, floor: Math.floor((take * m.remaining) / total), rest: (take * m.remaining) % total }));
  let left = take - exact.reduce((s, e) => s + e.floor, 0);
  for (const e of [...exact].sort((a, b) => b.rest - a.rest || (a.id < b.id ? -1 : 1))) {
    if (left === 0) break;
    if (e.floor < e.remaining) {
      e.floor++;
      left--;
    }
  }
  for (const e of exact) if (e.floor > 0) shares.set(e.id, e.floor);
  return shares;
}
