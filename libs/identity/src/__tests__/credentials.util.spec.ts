import { CHINESE_MOBILE, passwordProblem } from '../credentials.util';

describe('mainland mobile numbers', () => {
  it.each(['13812345678', '19912345678', '15000000000'])('accepts %s', (phone) => expect(CHINESE_MOBILE.test(phone)).toBe(true));
  it.each(['12812345678', '1381234567', '138123456789', '+8613812345678', '0871-6512345'])('rejects %s', (phone) =>
    expect(CHINESE_MOBILE.test(phone)).toBe(false),
  );
});

describe('password strength', () => {
  it('accepts a long password with letters and digits', () => {
    expect(passwordProblem('Harvest2020apples')).toBeNull();
  });

  it.each([
    ['short1', 'must be at least 10 characters'],
    ['onlyletterspassword', 'must contain at least one letter and one digit'],
    ['12345678901', 'must contain at least one letter and one digit'],
    ['Password123', 'is a well-known password'],
    ['a'.repeat(73) + '1', 'must be at most 72 characters'],
  ])('rejects %s: %s', (password, reason) => {
    expect(passwordProblem(password)).toBe(reason);
  });

  it('rejects a password containing the phone number', () => {
    expect(passwordProblem('x13812345678', '13812345678')).toBe('must not contain the phone number');
    expect(passwordProblem('x13812345678', '13900000000')).toBeNull();
  });
});
