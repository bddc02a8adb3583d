/** 8–30 digits: mainland bank card and corporate account numbers (对公账号) are 16–19 and up to about 25 digits. */
export const ACCOUNT_NO = /^\d{8,30}$/;

/** The account number as stored: people copy it from a bankbook in groups of four, so whitespace is dropped. */
export function normalizeAccountNo(value: string): string {
  return value.replace(/\s+/g, '');
}

/** Why `value` is not a bank account number (digits, spaces allowed, 8–30 digits), or null. */
export function accountNoProblem(value: unknown): string | null {
  if (typeof value !== 'string') return 'must be a string';
  const digits = normalizeAccountNo(value);
  if (!/^\d*$/.test(digits)) return 'must contain only digits (spaces are allowed)';
  if (digits.length < 8) return 'must have at least 8 digits';
  if (digits.length > 30) return 'must have at most 30 digits';
  return null;
}
