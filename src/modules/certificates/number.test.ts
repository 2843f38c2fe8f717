import { describe, expect, it } from 'vitest';
import {
  certificateNumbering,
  formatCertificateNumber,
  isValidCertificateNumber,
  keyedPermutation,
} from './number.js';

const KEY = 'a-test-key-for-certificate-numbers-0001';
const numberFor = certificateNumbering(KEY);

describe('certificate numbers', () => {
  it('are 10 digits, unique for 10,000 serials, and all pass the check digit', () => {
    const numbers = Array.from({ length: 10_000 }, (_, i) => numberFor(i + 1));
    expect(new Set(numbers).size).toBe(10_000);
    for (const number of numbers) {
      expect(number).toMatch(/^67\d{8}$/);
      expect(isValidCertificateNumber(number)).toBe(true);
    }
  });

  it('come from a bijection: every value of a whole small domain is hit exactly once', () => {
    for (const domain of [10, 1000, 65_536, 100_003]) {
      const permute = keyedPermutation(KEY, domain);
      const seen = new Uint8Array(domain);
      for (let value = 0; value < domain; value++) seen[permute(value)]!++;
      expect(seen.every((count) => count === 1)).toBe(true);
    }
  });

  it('give a million serials a million different numbers within 0…10^7−1', () => {
    const permute = keyedPermutation(KEY);
    const seen = new Uint8Array(10_000_000);
    let repeats = 0;
    for (let serial = 1; serial <= 1_000_000; serial++) if (seen[permute(serial)]!++ > 0) repeats++;
    expect(repeats).toBe(0);
  });

  it('do not reveal the neighbours: differences of consecutive serials are not constant', () => {
    const bodies = Array.from({ length: 1000 }, (_, i) => Number(numberFor(i + 1).slice(2, 9)));
    const differences = new Set(bodies.slice(1).map((body, i) => (body - bodies[i]! + 1e7) % 1e7));
    // An affine map n ↦ a·n + b gives one difference; a permutation gives nearly as many as there are pairs.
    expect(differences.size).toBeGreaterThan(990);
    const second = new Set(bodies.slice(2).map((body, i) => (body - 2 * bodies[i + 1]! + bodies[i]!) % 1e7));
    expect(second.size).toBeGreaterThan(990);
  });

  it('differ between deployments: another key gives other numbers', () => {
    const other = certificateNumbering('another-deployment-key-for-numbers-02');
    const serials = Array.from({ length: 1000 }, (_, i) => i + 1);
    const same = serials.filter((serial) => numberFor(serial) === other(serial));
    expect(same.length).toBeLessThan(3);
    expect(certificateNumbering(KEY)(1)).toBe(numberFor(1));
  });

  it('catch every single mistyped digit', () => {
    const number = numberFor(4242);
    for (let position = 0; position < 10; position++) {
      for (let digit = 0; digit <= 9; digit++) {
        if (String(digit) === number[position]) continue;
        const typo = number.slice(0, position) + digit + number.slice(position + 1);
        expect(isValidCertificateNumber(typo)).toBe(false);
      }
    }
  });

  it('accept spaces and dashes as typed, and format for reading', () => {
    const number = numberFor(4242);
    expect(isValidCertificateNumber(formatCertificateNumber(number))).toBe(true);
    expect(formatCertificateNumber('6712345678')).toBe('67 1234 5678');
    expect(isValidCertificateNumber('12345')).toBe(false);
  });

  it('refuse serials outside the sequence', () => {
    expect(() => numberFor(0)).toThrow(RangeError);
    expect(() => numberFor(10_000_000)).toThrow(RangeError);
  });
});
