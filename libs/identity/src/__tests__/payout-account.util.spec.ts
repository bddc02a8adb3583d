import { accountNoProblem, normalizeAccountNo } from '../payout-account.util';

describe('payout account numbers', () => {
  it('drops the spaces people copy from a bankbook, full-width ones too', () => {
    expect(normalizeAccountNo('6228 4801 2345 6789 012')).toBe('6228480123456789012');
    expect(normalizeAccountNo(' 6228\u30004801\t2345 ')).toBe('622848012345');
  });

  it.each(['12345678', '6228480123456789012', '6228 4801 2345 6789 012', '1'.repeat(30), '5301 0123 4567 8901 2345 6'])('accepts %s', (value) =>
    expect(accountNoProblem(value)).toBeNull(),
  );

  it.each([
    [6228480123456789, 'must be a string'],
    [null, 'must be a string'],
    ['', 'must have at least 8 digits'],
    ['1234 567', 'must have at least 8 digits'],
    ['1'.repeat(31), 'must have at most 30 digits'],
    ['6228-4801-2345-6789', 'must contain only digits (spaces are allowed)'],
    ['６２２８４８０１２３４５', 'must contain only digits (spaces are allowed)'],
    ['62284801234567890x', 'must contain only digits (spaces are allowed)'],
  ])('rejects %p: %s', (value, reason) => expect(accountNoProblem(value)).toBe(reason));
});
