import { isValidUscc, usccCheckCharacter, usccProblem } from '../uscc.util';

describe('USCC (GB 32100-2015)', () => {
  it.each([
    ['91350100M000100Y43', 'the standard’s own example'],
    ['91110108551385082Q', 'a Beijing enterprise'],
    ['91440300708461136T', 'a Shenzhen enterprise'],
  ])('accepts %s (%s)', (code) => {
    expect(usccProblem(code)).toBeNull();
    expect(isValidUscc(code)).toBe(true);
  });

  it('computes the check character from the first 17 characters', () => {
    expect(usccCheckCharacter('91350100M000100Y4')).toBe('3');
    expect(usccCheckCharacter('91440300708461136')).toBe('T');
  });

  it('rejects a changed check character', () => {
    expect(usccProblem('91350100M000100Y44')).toBe('check_character');
  });

  it('rejects a transposition of two characters, which the weights are there to catch', () => {
    expect(usccProblem('91350100M000010Y43')).toBe('check_character');
  });

  it('rejects the wrong length', () => {
    expect(usccProblem('91350100M000100Y4')).toBe('length');
    expect(usccProblem('91350100M000100Y433')).toBe('length');
  });

  it.each(['I', 'O', 'S', 'V', 'Z'])('rejects the letter %s, which the alphabet leaves out', (letter) => {
    expect(usccProblem(`91350100M000100${letter}43`)).toBe('characters');
  });

  it('rejects letters in the region code positions and lower case', () => {
    expect(usccProblem('9135A100M000100Y43')).toBe('characters');
    expect(usccProblem('91350100m000100y43')).toBe('characters');
  });
});
