import fc from 'fast-check';
import { fenToYuanText, gramsToKg, kgProblem, kgToGrams, MAX_KG, yuanToFen } from '../quantity.util';

describe('kg and grams', () => {
  it('adds 0.1 kg and 0.2 kg to exactly 300 g, and shows 300 g as 0.3 kg', () => {
    expect(kgToGrams(0.1) + kgToGrams(0.2)).toBe(300);
    expect(gramsToKg(300)).toBe(0.3);
    expect(gramsToKg(kgToGrams(0.1) + kgToGrams(0.2))).toBe(0.3);
  });

  it.each([
    [1, 1000],
    [0.001, 1],
    [1.005, 1005],
    [12345.678, 12345678],
    [2.675, 2675],
    [1e-3, 1],
    [MAX_KG, MAX_KG * 1000],
  ])('%p kg is %p g', (kg, grams) => {
    expect(kgToGrams(kg)).toBe(grams);
  });

  it('round-trips every whole number of grams', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: MAX_KG * 1000 }), (grams) => kgToGrams(gramsToKg(grams)) === grams));
  });

  it('agrees with rounding the float product for every 3-decimal amount, without using it', () => {
    const kg = fc.integer({ min: 1, max: MAX_KG * 1000 }).map((g) => g / 1000);
    fc.assert(fc.property(kg, (amount) => kgToGrams(amount) === Math.round(amount * 1000)));
  });

  it.each([
    [0, 'must be greater than 0'],
    [-1, 'must be greater than 0'],
    [0.0001, 'must have at most 3 decimals (whole grams)'],
    [1.2345, 'must have at most 3 decimals (whole grams)'],
    [Number.NaN, 'must be a number of kg'],
    ['5', 'must be a number of kg'],
    [MAX_KG + 1, `must be at most ${MAX_KG} kg`],
  ])('refuses %p: %s', (kg, problem) => {
    expect(kgProblem(kg)).toBe(problem);
  });

  it('refuses to convert a fraction of a gram rather than rounding it', () => {
    expect(() => kgToGrams(0.0005)).toThrow(RangeError);
  });
});

describe('yuan and fen', () => {
  it.each([
    ['12.5', 1250],
    ['0.01', 1],
    ['3', 300],
    [4.35, 435],
    [0.1 + 0.2, null], // 0.30000000000000004 has more than 2 decimals
    ['1.234', null],
    ['-1', null],
    ['abc', null],
  ])('%p yuan is %p fen', (yuan, fen) => {
    expect(yuanToFen(yuan)).toBe(fen);
  });

  it('formats fen as yuan text', () => {
    expect(fenToYuanText(1250)).toBe('12.5');
    expect(fenToYuanText(1)).toBe('0.01');
    expect(fenToYuanText(300)).toBe('3');
  });
});
