import { z } from 'zod';

/**
 * Field schemas shared by every form: they normalise what people type (spaces, case, phone notation)
 * and carry the Russian message shown beside the field.
 */

const text = (value: unknown) => (typeof value === 'string' ? value : '');

export function requiredText(message: string, max = 200, tooLong = `Не больше ${max} символов`) {
  return z.preprocess(
    (value) => text(value).trim().replace(/\s+/g, ' '),
    z.string().min(1, { message }).max(max, { message: tooLong }),
  );
}

export function optionalText(max = 200, tooLong = `Не больше ${max} символов`) {
  return z.preprocess(
    (value) => text(value).trim().replace(/\s+/g, ' ') || undefined,
    z.string().max(max, { message: tooLong }).optional(),
  );
}

const NAME_PATTERN = /^[A-Za-zА-Яа-яЁё]+(?:[ '’-][A-Za-zА-Яа-яЁё]+)*$/;

/**
 * The messages of a name field. With the field's label («Фамилия») they say which field is wrong, so the
 * line in the error summary is as clear as the one beside the field (GOV.UK: the same specific message in both).
 */
function nameMessages(label?: string) {
  return label
    ? {
        tooLong: `${label} может быть не длиннее 60 символов`,
        pattern: `${label} может содержать только буквы, дефис, пробел и апостроф`,
      }
    : { tooLong: 'Не больше 60 символов', pattern: 'Используйте только буквы, дефис, пробел и апостроф' };
}

/**
 * A surname, a given name or a patronymic: letters, with a hyphen, space or apostrophe between parts.
 * `label` is the field's name in the nominative («Фамилия», «Имя ребёнка»), used in the messages.
 */
export function personName(emptyMessage: string, label?: string) {
  const messages = nameMessages(label);
  return z.preprocess(
    (value) => text(value).trim().replace(/\s+/g, ' '),
    z
      .string()
      .min(1, { message: emptyMessage })
      .max(60, { message: messages.tooLong })
      .regex(NAME_PATTERN, { message: messages.pattern }),
  );
}

/** An optional name part (the patronymic); `label` as in personName. */
export function optionalPersonNameField(label?: string) {
  const messages = nameMessages(label);
  return z.preprocess(
    (value) => text(value).trim().replace(/\s+/g, ' ') || undefined,
    z
      .string()
      .max(60, { message: messages.tooLong })
      .regex(NAME_PATTERN, { message: messages.pattern })
      .optional(),
  );
}

export const optionalPersonName = optionalPersonNameField();

export const email = z.preprocess(
  (value) => text(value).trim().toLowerCase(),
  z
    .string()
    .min(1, { message: 'Введите адрес электронной почты' })
    .max(254, { message: 'Адрес электронной почты слишком длинный' })
    .pipe(z.email({ message: 'Введите адрес электронной почты в формате name@example.ru' })),
);

/**
 * A Russian mobile number in any common notation — «8 (900) 123-45-67», «+7 900 1234567», «9001234567» —
 * stored as +79001234567.
 */
export const mobilePhone = z.preprocess(
  (value) => {
    const raw = text(value).trim();
    if (!raw) return '';
    let digits = raw.replace(/\D/g, '');
    if (digits.length === 11 && (digits.startsWith('8') || digits.startsWith('7'))) digits = digits.slice(1);
    return /^9\d{9}$/.test(digits) && /^[\d\s()+-]+$/.test(raw) ? `+7${digits}` : raw;
  },
  z
    .string()
    .min(1, { message: 'Введите номер мобильного телефона' })
    .regex(/^\+79\d{9}$/, { message: 'Введите номер мобильного телефона, например +7 900 123-45-67' }),
);

const DATE_FORMAT_MESSAGE = 'Введите дату в формате ДД.ММ.ГГГГ, например 01.09.2012';

/**
 * A date typed as ДД.ММ.ГГГГ or sent by a date field as ГГГГ-ММ-ДД; the result is ГГГГ-ММ-ДД. A date in the
 * right format that the calendar lacks (31.02.2020) is told apart from a wrong format.
 */
export function dateField(emptyMessage: string) {
  return z.preprocess(
    (value) => {
      const raw = text(value).trim();
      const russian = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(raw);
      if (russian) return `${russian[3]}-${russian[2]!.padStart(2, '0')}-${russian[1]!.padStart(2, '0')}`;
      return raw;
    },
    z
      .string()
      .min(1, { message: emptyMessage })
      .superRefine((value, ctx) => {
        if (!/^\d{4}-\d{2}-\d{2}$/.test(value))
          ctx.addIssue({ code: 'custom', message: DATE_FORMAT_MESSAGE });
        else if (Number(value.slice(0, 4)) < 1900)
          ctx.addIssue({ code: 'custom', message: 'Проверьте год: он должен быть не раньше 1900' });
        else if (!isRealDate(value))
          ctx.addIssue({
            code: 'custom',
            message: 'Такой даты нет в календаре. Проверьте число и месяц, например 28.02.2020',
          });
      }),
  );
}

function isRealDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    year >= 1900
  );
}

/** Full years between a birth date (ГГГГ-ММ-ДД) and today. */
export function ageOn(birthDate: string, today: Date = new Date()): number {
  const [year, month, day] = birthDate.split('-').map(Number) as [number, number, number];
  let age = today.getUTCFullYear() - year;
  if (today.getUTCMonth() + 1 < month || (today.getUTCMonth() + 1 === month && today.getUTCDate() < day))
    age--;
  return age;
}

/** A checkbox is sent only when ticked. */
export const tickedCheckbox = (message: string) =>
  z.preprocess((value) => value === 'yes' || value === 'on' || value === true, z.literal(true, { message }));

/** СНИЛС: 11 digits whose last two are a checksum of the first nine (rules of the Pension Fund). */
export function isValidSnils(digits: string): boolean {
  if (!/^\d{11}$/.test(digits)) return false;
  const body = digits.slice(0, 9);
  // Numbers up to 001-001-998 were issued before checksums existed.
  if (Number(body) <= 1_001_998) return true;
  const sum = [...body].reduce((total, digit, index) => total + Number(digit) * (9 - index), 0);
  const check = sum < 100 ? sum : sum === 100 || sum === 101 ? 0 : sum % 101 === 100 ? 0 : sum % 101;
  return check === Number(digits.slice(9));
}

/** An optional СНИЛС typed as «123-456-789 64» or «12345678964»; stored as 11 digits. */
export const optionalSnils = z.preprocess(
  (value) => {
    const raw = text(value).trim();
    if (!raw) return undefined;
    const digits = raw.replace(/[\s-]/g, '');
    return /^\d+$/.test(digits) ? digits : raw;
  },
  z
    .string()
    .regex(/^\d{11}$/, { message: 'СНИЛС состоит из 11 цифр, например 123-456-789 64' })
    .refine(isValidSnils, { message: 'Проверьте СНИЛС: контрольное число не совпадает' })
    .optional(),
);

/** A route's `:id` parameter: a UUID, else the route answers «не найдено». */
export const idParams = z.object({ id: z.uuid() });

/** A whole number typed in a form («12», spaces around allowed), at most `max`. */
export function wholeNumber(empty: string, max: number, tooBig: string) {
  return z.preprocess(
    (value) => (typeof value === 'string' ? value.trim() : value),
    z
      .string({ message: empty })
      .min(1, { message: empty })
      .regex(/^\d+$/, { message: 'Введите целое число' })
      .transform(Number)
      .refine((n) => n <= max, { message: tooBig }),
  );
}

/** Roubles typed in a form («5 000», «5000,50», «5 000 ₽») to integer kopecks; null when it is not an amount. */
export function parseRoubles(input: string): number | null {
  const cleaned = input.replace(/[\s\u00a0₽]/g, '').replace(',', '.');
  if (!/^\d{1,9}(\.\d{1,2})?$/.test(cleaned)) return null;
  const [whole, fraction = ''] = cleaned.split('.') as [string, string?];
  return Number(whole) * 100 + Number((fraction ?? '').padEnd(2, '0'));
}

/** An amount in roubles typed in a form, as integer kopecks (money is never a float). */
export function roublesField(empty: string) {
  return z.preprocess(
    (value) => (typeof value === 'string' ? value : ''),
    z
      .string()
      .min(1, { message: empty })
      .transform((input, ctx) => {
        const kopecks = parseRoubles(input);
        if (kopecks === null) {
          ctx.addIssue({ code: 'custom', message: 'Введите сумму в рублях, например 5 000 или 5 000,50' });
          return z.NEVER;
        }
        return kopecks;
      }),
  );
}
