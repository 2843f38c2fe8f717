import { describe, expect, it } from 'vitest';
import { certificateNumberFor, formatCertificateNumber, isValidCertificateNumber } from './number.js';

describe('certificate numbers', () => {
  it('are 10 digits, unique for 10,000 serials, and all pass the check digit', () => {
    const numbers = Array.from({ length: 10_000 }, (_, i) => certificateNumberFor(i + 1));
    expect(new Set(numbers).size).toBe(10_000);
    for (const number of numbers) {
      expect(number).toMatch(/^67\d{8}$/);
      expect(isValidCertificateNumber(number)).toBe(true);
    }
  });

  it('do not reveal the order of issue', () => {
    const [first, second] = [certificateNumberFor(1), certificateNumberFor(2)];
    expect(Math.abs(Number(first) - Number(second))).toBeGreaterThan(1000);
  });

  it('catch every single mistyped digit', () => {
    const number = certificateNumberFor(4242);
    for (let position = 0; position < 10; position++) {
      for (let digit = 0; digit <= 9; digit++) {
        if (String(digit) === number[position]) continue;
        const typo = number.slice(0, position) + digit + number.slice(position + 1);
        expect(isValidCertificateNumber(typo)).toBe(false);
      }
    }
  });

  it('accept spaces and dashes as typed, and format for reading', () => {
    const number = certificateNumberFor(4242);
    expect(isValidCertificateNumber(formatCertificateNumber(number))).toBe(true);
    expect(formatCertificateNumber('6712345678')).toBe('67 1234 5678');
    expect(isValidCertificateNumber('12345')).toBe(false);
  });
});
