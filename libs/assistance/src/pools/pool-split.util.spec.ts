import { splitGrams } from './pool-split.util';

describe('splitting a pool proposal among its members', () => {
  it('shares in proportion to what each still wants, to the gram', () => {
    const shares = splitGrams(10_000_000, [{ id: 'a', remaining: 20_000_000 }, { id: 'b', remaining: 7_000_000 }, { id: 'c', remaining: 3_000_000 }]);
    expect(Object.fromEntries(shares)).toEqual({ a: 6_666_667, b: 2_333_333, c: 1_000_000 });
    expect([...shares.values()].reduce((s, g) => s + g, 0)).toBe(10_000_000);
  });

  it('gives everyone all they want when the proposal covers the pool', () => {
    expect(Object.fromEntries(splitGrams(30, [{ id: 'a', remaining: 10 }, { id: 'b', remaining: 20 }]))).toEqual({ a: 10, b: 20 });
  });

  it('never gives a member more than it still wants, and skips members with nothing left', () => {
    for (let grams = 1; grams <= 50; grams++) {
      const members = [{ id: 'a', remaining: 1 }, { id: 'b', remaining: 0 }, { id: 'c', remaining: 17 }, { id: 'd', remaining: 32 }];
      const shares = splitGrams(grams, members);
      expect([...shares.values()].reduce((s, g) => s + g, 0)).toBe(grams);
      for (const m of members) expect(shares.get(m.id) ?? 0).toBeLessThanOrEqual(m.remaining);
      expect(shares.has('b')).toBe(false);
    }
  });
});
