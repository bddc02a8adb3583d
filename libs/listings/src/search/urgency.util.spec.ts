import fc from 'fast-check';
import { addDays, daysBetween } from '@chanxiao/core/time/china-date.util';
import { effectiveBestBefore, urgency, urgencyBoostDays, type UrgencyFacts } from './urgency.util';

const plain = { stalled: false, isPovertyCounty: false, isSupervisedCounty: false };
const today = '2026-03-01';

describe('urgency', () => {
  it('is 365 minus the days left for a lot without flags', () => {
    expect(urgency({ ...plain, bestBefore: '2026-03-01' }, today)).toBe(365);
    expect(urgency({ ...plain, bestBefore: '2026-03-11' }, today)).toBe(355);
    expect(urgency({ ...plain, bestBefore: '2027-03-01' }, today)).toBe(0);
    expect(urgency({ ...plain, bestBefore: '2028-03-01' }, today)).toBe(-366);
  });

  it('counts stalled as 14 days, a poverty county as 7 and a supervised one as 14 more', () => {
    const bestBefore = '2026-03-31';
    expect(urgency({ ...plain, bestBefore, stalled: true }, today)).toBe(335 + 14);
    expect(urgency({ ...plain, bestBefore, isPovertyCounty: true }, today)).toBe(335 + 7);
    expect(urgency({ bestBefore, stalled: true, isPovertyCounty: true, isSupervisedCounty: true }, today)).toBe(335 + 35);
    expect(urgencyBoostDays({ stalled: true, isPovertyCounty: true, isSupervisedCounty: true })).toBe(35);
  });

  it('lets shelf life dominate: all flags together are worth 35 days of it', () => {
    const perishable = { ...plain, bestBefore: addDays(today, 3) };
    const flaggedLater = { bestBefore: addDays(today, 3 + 36), stalled: true, isPovertyCounty: true, isSupervisedCounty: true };
    const flaggedSoon = { ...flaggedLater, bestBefore: addDays(today, 3 + 34) };
    expect(urgency(perishable, today)).toBeGreaterThan(urgency(flaggedLater, today));
    expect(urgency(flaggedSoon, today)).toBeGreaterThan(urgency(perishable, today));
  });

  it('moves the effective best-before earlier by the flag days', () => {
    expect(effectiveBestBefore({ bestBefore: '2026-03-31', stalled: true, isPovertyCounty: true, isSupervisedCounty: false })).toBe('2026-03-10');
    expect(effectiveBestBefore({ ...plain, bestBefore: '2026-03-31' })).toBe('2026-03-31');
  });

  const facts = fc.record<UrgencyFacts>({
    bestBefore: fc.integer({ min: 0, max: 1200 }).map((d) => addDays(today, d)),
    stalled: fc.boolean(),
    isPovertyCounty: fc.boolean(),
    isSupervisedCounty: fc.boolean(),
  });

  it('equals 365 + today − effective best-before, so its order is the same on every date', () => {
    fc.assert(fc.property(facts, facts, fc.integer({ min: 0, max: 400 }), (a, b, shift) => {
      const later = addDays(today, shift);
      expect(urgency(a, today)).toBe(365 + daysBetween(effectiveBestBefore(a), today));
      expect(Math.sign(urgency(a, today) - urgency(b, today))).toBe(Math.sign(urgency(a, later) - urgency(b, later)));
      expect(Math.sign(urgency(a, today) - urgency(b, today))).toBe(Math.sign(effectiveBestBefore(b).localeCompare(effectiveBestBefore(a))));
    }));
  });

  it('never rises when the best-before moves later, and never falls when a flag is added', () => {
    fc.assert(fc.property(facts, fc.integer({ min: 1, max: 100 }), (a, later) => {
      expect(urgency({ ...a, bestBefore: addDays(a.bestBefore, later) }, today)).toBeLessThan(urgency(a, today));
      expect(urgency({ ...a, stalled: true }, today)).toBeGreaterThanOrEqual(urgency(a, today));
    }));
  });
});
