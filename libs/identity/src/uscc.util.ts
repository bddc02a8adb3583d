/**
 * 统一社会信用代码 (Unified Social Credit Code), GB 32100-2015: 18 characters from a 31-character alphabet
 * (digits and capitals without I, O, S, V, Z). Positions 3–8 are the registering authority's region code and
 * the 18th is a check character: weights 3^i mod 31, check = (31 − Σ value×weight mod 31) mod 31.
 */
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const SHAPE = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

export type UsccProblem = 'length' | 'characters' | 'check_character';

/** Why `code` is not a valid USCC, or null when it is. Lower-case input is not accepted: normalise first. */
export function usccProblem(code: string): UsccProblem | null {
  if (code.length !== 18) return 'length';
  if (!SHAPE.test(code)) return 'characters';
  return code[17] === usccCheckCharacter(code.slice(0, 17)) ? null : 'check_character';
}

export function isValidUscc(code: string): boolean {
  return usccProblem(code) === null;
}

/** The check character for the first 17 characters of a USCC. */
export function usccCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += ALPHABET.indexOf(first17[i]) * WEIGHTS[i];
  return ALPHABET[(31 - (sum % 31)) % 31];
}

export const USCC_MESSAGES: Record<UsccProblem, string> = {
  length: 'must be 18 characters (统一社会信用代码)',
  characters: 'must be digits and capital letters except I, O, S, V, Z, with a six-digit region code in positions 3-8',
  check_character: 'has a wrong check character (GB 32100-2015)',
};
