/** Mainland China mobile numbers: 11 digits starting 13–19. */
export const CHINESE_MOBILE = /^1[3-9]\d{9}$/;

const COMMON_PASSWORDS = new Set(['password1', 'password123', 'qwerty123', 'abc12345', 'abcd1234', 'a1234567', 'admin123', 'woaini1314', 'iloveyou1']);

/**
 * Why a password is too weak, or null: 10–72 characters with at least one letter and one digit, not a
 * well-known password, not containing the phone number. (72: argon2 has no such limit, but it caps the work
 * a login can demand.)
 */
export function passwordProblem(password: string, phone?: string): string | null {
  if (password.length < 10) return 'must be at least 10 characters';
  if (password.length > 72) return 'must be at most 72 characters';
  if (!/[A-Za-z]/.test(password) || !/\d/.test(password)) return 'must contain at least one letter and one digit';
  if (COMMON_PASSWORDS.has(password.toLowerCase())) return 'is a well-known password';
  if (/^(.)\1+$/.test(password)) return 'must not repeat one character';
  if (phone && password.includes(phone)) return 'must not contain the phone number';
  return null;
}
