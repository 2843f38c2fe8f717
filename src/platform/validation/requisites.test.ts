import { describe, expect, it } from 'vitest';
import { isValidInn, isValidKpp, isValidOgrn } from './requisites.js';

describe('legal identifiers and their check digits', () => {
  it('ИНН of a legal entity (10 digits) and of an ИП (12 digits)', () => {
    for (const valid of ['7707083893', '6731000014', '500100732259']) expect(isValidInn(valid)).toBe(true);
    // One digit changed, the wrong length, letters.
    for (const invalid of [
      '7707083894',
      '500100732258',
      '500100732249',
      '770708389',
      '77070838931',
      '770708389O',
    ])
      expect(isValidInn(invalid), invalid).toBe(false);
  });

  it('ОГРН (13 digits) and ОГРНИП (15 digits)', () => {
    for (const valid of ['1027700132195', '304500116000157']) expect(isValidOgrn(valid)).toBe(true);
    for (const invalid of ['1027700132194', '304500116000158', '102770013219', '30450011600015'])
      expect(isValidOgrn(invalid), invalid).toBe(false);
  });

  it('КПП: four digits, two digits or capital letters, three digits', () => {
    for (const valid of ['773601001', '6732AB001']) expect(isValidKpp(valid)).toBe(true);
    for (const invalid of ['77360100', '7736010011', '6732ab001', '67320100A'])
      expect(isValidKpp(invalid)).toBe(false);
  });
});
