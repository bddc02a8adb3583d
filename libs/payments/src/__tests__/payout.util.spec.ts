import { payoutSplit, platformFeeFen } from '../payout.util';

describe('platform fee and payout split', () => {
  it('takes basis points rounded half up, plus the fixed part', () => {
    expect(platformFeeFen(680000, 250, 100)).toBe(17000 + 100);
    expect(platformFeeFen(49950, 100, 0)).toBe(500); // 499.5 → 500
    expect(platformFeeFen(49949, 100, 0)).toBe(499); // 499.49 → 499
  });

  it('never takes more than the total, so a payout is never negative', () => {
    expect(payoutSplit(50, 100, 200)).toEqual({ orderTotalFen: 50, platformFeeFen: 50, amountFen: 0 });
  });

  it('stays exact above 2^53 / 10,000 fen', () => {
    const total = 9_000_000_000_000;
    expect(payoutSplit(total, 333, 0)).toEqual({ orderTotalFen: total, platformFeeFen: 299_700_000_000, amountFen: 8_700_300_000_000 });
  });

  it('adds up: fee + payout = total, for any total and rate', () => {
    for (const total of [1, 99, 12345, 680000]) for (const bps of [0, 1, 250, 10_000]) {
      const s = payoutSplit(total, bps, 7);
      expect(s.platformFeeFen + s.amountFen).toBe(total);
      expect(s.amountFen).toBeGreaterThanOrEqual(0);
    }
  });
});
