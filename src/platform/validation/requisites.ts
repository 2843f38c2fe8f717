/**
 * Russian legal identifiers with their check digits (rules of the Federal Tax Service): ИНН of a legal entity
 * (10 digits) or of a person / ИП (12), КПП (9 characters), ОГРН (13) and ОГРНИП (15).
 */

const INN_10 = [2, 4, 10, 3, 5, 9, 4, 6, 8];
const INN_11 = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
const INN_12 = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];

function innDigit(digits: string, weights: number[]): number {
  const sum = weights.reduce((total, weight, index) => total + weight * Number(digits[index]), 0);
  return (sum % 11) % 10;
}

/** An ИНН of 10 (a legal entity) or 12 digits (a person, an ИП) whose check digits agree. */
export function isValidInn(value: string): boolean {
  if (/^\d{10}$/.test(value)) return innDigit(value, INN_10) === Number(value[9]);
  if (/^\d{12}$/.test(value))
    return innDigit(value, INN_11) === Number(value[10]) && innDigit(value, INN_12) === Number(value[11]);
  return false;
}

/** КПП: the tax office (4 digits), the reason (2 digits or capital Latin letters), a number (3 digits). */
export function isValidKpp(value: string): boolean {
  return /^\d{4}[\dA-Z]{2}\d{3}$/.test(value);
}

/**
 * ОГРН (13 digits: the first 12 modulo 11) or ОГРНИП (15: the first 14 modulo 13); the remainder's last digit is
 * the check digit. The remainder is taken digit by digit, in small integers.
 */
export function isValidOgrn(value: string): boolean {
  if (!/^\d{13}$|^\d{15}$/.test(value)) return false;
  const modulus = value.length === 13 ? 11 : 13;
  const body = value.slice(0, -1);
  let remainder = 0;
  for (const digit of body) remainder = (remainder * 10 + Number(digit)) % modulus;
  return remainder % 10 === Number(value.slice(-1));
}
