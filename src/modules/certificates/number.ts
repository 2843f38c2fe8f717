import { createHmac } from 'node:crypto';

const REGION_PREFIX = '67';
const SPACE = 10_000_000;
const ROUNDS = 8;

/** The Luhn check digit of a string of digits: it catches any one mistyped digit and most swapped neighbours. */
export function luhnCheckDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return (10 - (sum % 10)) % 10;
}

/**
 * A keyed permutation of 0…domain−1: a balanced Feistel network over the fewest even number of bits that hold
 * the domain (24 bits, two halves of 12, for 10^7), whose round function is a table filled from HMAC-SHA256 of
 * the key; a result outside the domain is walked through the network again (cycle-walking). Without the key one
 * number tells nothing about the others; another key gives another permutation.
 */
export function keyedPermutation(key: string, domain = SPACE): (value: number) => number {
  if (key.length === 0) throw new RangeError('empty key');
  if (!Number.isInteger(domain) || domain < 4 || domain > 2 ** 32)
    throw new RangeError('domain out of range');
  const HALF_BITS = Math.ceil(Math.ceil(Math.log2(domain)) / 2);
  const HALF_MASK = (1 << HALF_BITS) - 1;
  const table = new Uint16Array(Math.max(16, ROUNDS << HALF_BITS));
  // Each HMAC digest gives 16 entries of the table (two bytes each).
  for (let block = 0; block < table.length / 16; block++) {
    const digest = createHmac('sha256', key).update(`feistel:${block}`).digest();
    for (let i = 0; i < 16; i++) table[block * 16 + i] = digest.readUInt16BE(2 * i) & HALF_MASK;
  }
  const once = (value: number) => {
    let left = value >>> HALF_BITS;
    let right = value & HALF_MASK;
    for (let round = 0; round < ROUNDS; round++) {
      const next = left ^ table[(round << HALF_BITS) | right]!;
      left = right;
      right = next;
    }
    return left * (HALF_MASK + 1) + right;
  };
  return (value) => {
    if (!Number.isInteger(value) || value < 0 || value >= domain) throw new RangeError('value out of range');
    let walked = once(value);
    while (walked >= domain) walked = once(walked);
    return walked;
  };
}

/**
 * Certificate numbers of one deployment, keyed by its secret (ADR 0007): for the n-th serial of the database
 * sequence, the region's code, the serial permuted into 7 digits, the check digit — 10 digits in all.
 */
export function certificateNumbering(key: string): (serial: number) => string {
  const permute = keyedPermutation(key);
  return (serial) => {
    if (!Number.isInteger(serial) || serial < 1 || serial >= SPACE)
      throw new RangeError('serial out of range');
    const body = REGION_PREFIX + String(permute(serial)).padStart(7, '0');
    return body + String(luhnCheckDigit(body));
  };
}

/** Whether a typed number (spaces and dashes allowed) is a well-formed certificate number. */
export function isValidCertificateNumber(typed: string): boolean {
  const digits = typed.replace(/[\s-]/g, '');
  return /^\d{10}$/.test(digits) && luhnCheckDigit(digits.slice(0, 9)) === Number(digits[9]);
}

/** «6712345678» → «67 1234 5678» for reading aloud and copying by hand. */
export function formatCertificateNumber(number: string): string {
  return `${number.slice(0, 2)} ${number.slice(2, 6)} ${number.slice(6)}`;
}
