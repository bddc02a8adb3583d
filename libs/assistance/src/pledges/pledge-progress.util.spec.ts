import { countedOf, expectedByDate, share } from './pledge-progress.util';

describe('pledge progress', () => {
  const lines = [
    { amountFen: 100_000, grams: 100_000, isPovertyCounty: true, isSupervisedCounty: true },
    { amountFen: 50_000, grams: 20_000, isPovertyCounty: true, isSupervisedCounty: false },
    { amountFen: 70_000, grams: 10_000, isPovertyCounty: false, isSupervisedCounty: false },
  ];

  it('counts only poverty-county lines, and only while the order is bought', () => {
    expect(countedOf('paid', lines)).toEqual({ fen: 150_000, supervisedFen: 100_000, grams: 120_000 });
    expect(countedOf('shipped', lines).fen).toBe(150_000);
    expect(countedOf('pending_payment', lines)).toEqual({ fen: 0, supervisedFen: 0, grams: 0 });
    expect(countedOf('cancelled', lines)).toEqual({ fen: 0, supervisedFen: 0, grams: 0 });
  });

  it('expects the pledge evenly over the China calendar year', () => {
    expect(expectedByDate(365_000, 2026, '2026-01-01')).toBe(1000);
    expect(expectedByDate(365_000, 2026, '2026-12-31')).toBe(365_000);
    expect(expectedByDate(366_000, 2028, '2028-02-29')).toBe(60_000);
    expect(expectedByDate(100, 2026, '2025-12-31')).toBe(0);
    expect(expectedByDate(100, 2026, '2027-01-01')).toBe(100);
    expect(expectedByDate(1000, 2026, '2026-07-02')).toBe(501); // day 183 of 365: 501.37, rounded down
  });

  it('gives shares with four decimals, and none of nothing', () => {
    expect(share(1, 3)).toBe(0.3333);
    expect(share(5, 0)).toBeNull();
    expect(share(5, null)).toBeNull();
  });
});
