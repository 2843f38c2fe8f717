const REGION_PREFIX = '67';
const SPACE = 10_000_000;
// Multiplying by a number coprime to 10^7 permutes 0…10^7−1: every serial gets its own number, and
// neighbouring serials get unrelated numbers (nobody can guess the next child's certificate).
const MULTIPLIER = 7_654_321;
const OFFSET = 1_234_567;

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
 * The certificate number for the n-th certificate of the region (n from a database sequence):
 * the region's code, 7 digits, the check digit — 10 digits in all, unique for 10 million certificates.
 */
export function certificateNumberFor(serial: number): string {
  if (!Number.isInteger(serial) || serial < 1 || serial >= SPACE) throw new RangeError('serial out of range');
  const scrambled = Number((BigInt(serial) * BigInt(MULTIPLIER) + BigInt(OFFSET)) % BigInt(SPACE));
  const body = REGION_PREFIX + String(scrambled).padStart(7, '0');
  return body + String(luhnCheckDigit(body));
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
