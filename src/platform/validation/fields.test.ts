import { describe, expect, it } from 'vitest';
import {
  dateField,
  email,
  isValidSnils,
  mobilePhone,
  optionalPersonNameField,
  optionalSnils,
  personName,
  roublesField,
  wholeNumber,
} from './fields.js';

const messageOf = (result: { error?: { issues: { message: string }[] } | undefined }) =>
  result.error?.issues[0]?.message;

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

  it('reads a date typed as ДД.ММ.ГГГГ or sent as ГГГГ-ММ-ДД', () => {
    expect(dateField('Введите дату').parse('1.9.2012')).toBe('2012-09-01');
    expect(dateField('Введите дату').parse('2020-02-29')).toBe('2020-02-29');
  });

  it('tells a date the calendar lacks apart from a wrong format', () => {
    const field = dateField('Введите дату');
    expect(messageOf(field.safeParse('31.02.2020'))).toBe(
      'Такой даты нет в календаре. Проверьте число и месяц, например 28.02.2020',
    );
    expect(messageOf(field.safeParse('29.02.2021'))).toMatch(/^Такой даты нет/);
    expect(messageOf(field.safeParse('2020-13-01'))).toMatch(/^Такой даты нет/);
    expect(messageOf(field.safeParse('31/02/2020'))).toBe(
      'Введите дату в формате ДД.ММ.ГГГГ, например 01.09.2012',
    );
    expect(messageOf(field.safeParse('01.09.1812'))).toBe('Проверьте год: он должен быть не раньше 1900');
    expect(messageOf(field.safeParse(''))).toBe('Введите дату');
  });

  it('names the field in a name message when given its label', () => {
    expect(messageOf(personName('Введите фамилию', 'Фамилия').safeParse('Иванов2'))).toBe(
      'Фамилия может содержать только буквы, дефис, пробел и апостроф',
    );
    expect(messageOf(personName('Введите имя', 'Имя').safeParse('А'.repeat(61)))).toBe(
      'Имя может быть не длиннее 60 символов',
    );
    expect(messageOf(optionalPersonNameField('Отчество').safeParse('Петрович!'))).toBe(
      'Отчество может содержать только буквы, дефис, пробел и апостроф',
    );
    expect(optionalPersonNameField('Отчество').parse('  ')).toBeUndefined();
  });
});

describe('numbers and amounts', () => {
  it('reads a whole number up to its maximum', () => {
    const quota = wholeNumber('Введите лимит', 1_000, 'Не больше 1 000');
    expect(quota.parse(' 12 ')).toBe(12);
    expect(messageOf(quota.safeParse(''))).toBe('Введите лимит');
    expect(messageOf(quota.safeParse(undefined))).toBe('Введите лимит');
    expect(messageOf(quota.safeParse('-1'))).toBe('Введите целое число');
    expect(messageOf(quota.safeParse('1e3'))).toBe('Введите целое число');
    expect(messageOf(quota.safeParse('9'.repeat(400)))).toBe('Не больше 1 000');
  });

  it('reads roubles as integer kopecks', () => {
    const nominal = roublesField('Введите номинал');
    expect(nominal.parse('5 000')).toBe(500_000);
    expect(nominal.parse('5\u00a0000,5 ₽')).toBe(500_050);
    expect(nominal.parse('0,07')).toBe(7);
    expect(messageOf(nominal.safeParse(''))).toBe('Введите номинал');
    for (const wrong of ['пять', '1,2,3', '5.000.000', '1234567890', '1,234', '-5'])
      expect(messageOf(nominal.safeParse(wrong)), wrong).toContain('Введите сумму в рублях');
  });
});
