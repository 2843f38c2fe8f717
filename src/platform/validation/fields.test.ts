import { describe, expect, it } from 'vitest';
import { email, isValidSnils, mobilePhone, optionalSnils } from './fields.js';

describe('shared fields', () => {
  it.each(['8 (900) 123-45-67', '+7 900 1234567', '9001234567', '7-900-123-45-67'])(
    'reads %s as +79001234567',
    (typed) => {
      expect(mobilePhone.parse(typed)).toBe('+79001234567');
    },
  );

  it('refuses a landline or a short number', () => {
    expect(mobilePhone.safeParse('+7 4812 38-44-11').success).toBe(false);
    expect(mobilePhone.safeParse('900 12').success).toBe(false);
  });

  it('lower-cases and trims e-mail', () => {
    expect(email.parse('  Ivanova@Example.RU ')).toBe('ivanova@example.ru');
  });

  it('checks the СНИЛС checksum', () => {
    expect(isValidSnils('11223344595')).toBe(true);
    expect(isValidSnils('11223344596')).toBe(false);
    expect(optionalSnils.parse('112-233-445 95')).toBe('11223344595');
    expect(optionalSnils.parse('')).toBeUndefined();
    expect(optionalSnils.safeParse('112-233-445 96').error?.issues[0]?.message).toBe(
      'Проверьте СНИЛС: контрольное число не совпадает',
    );
  });
});
