import { z } from 'zod';
import {
  dateField,
  email,
  mobilePhone,
  optionalPersonName,
  personName,
  requiredText,
  tickedCheckbox,
} from '../../platform/validation/fields.js';
import { isValidCertificateNumber } from '../certificates/index.js';

export const certificateSearchSchema = z.object({
  number: z.preprocess(
    (value) => (typeof value === 'string' ? value.replace(/[\s-]/g, '') : ''),
    z
      .string()
      .min(1, { message: 'Введите номер сертификата' })
      .regex(/^\d{10}$/, { message: 'Номер сертификата — 10 цифр' })
      .refine(isValidCertificateNumber, { message: 'Проверьте номер сертификата: в нём ошибка' }),
  ),
});

export const personSearchSchema = z.object({
  lastName: personName('Введите фамилию ребёнка'),
  firstName: personName('Введите имя ребёнка'),
  middleName: optionalPersonName,
  birthDate: dateField('Введите дату рождения ребёнка'),
});

/** The parent's phone in any notation, or their e-mail address in any case (one field: «Телефон или e-mail»). */
export const contactSearchSchema = z.object({
  contact: z.preprocess(
    (value) => (typeof value === 'string' ? value.trim() : ''),
    z.string().min(1, { message: 'Введите телефон или адрес электронной почты родителя' }),
  ),
});

/** The parsed contact, or the message for the field. */
export function parseContact(
  contact: string,
): { ok: true; value: { phone: string } | { email: string } } | { ok: false; message: string } {
  if (contact.includes('@')) {
    const parsed = email.safeParse(contact);
    return parsed.success
      ? { ok: true, value: { email: parsed.data } }
      : { ok: false, message: parsed.error.issues[0]?.message ?? 'Проверьте адрес' };
  }
  const parsed = mobilePhone.safeParse(contact);
  return parsed.success
    ? { ok: true, value: { phone: parsed.data } }
    : {
        ok: false,
        message: 'Введите мобильный телефон (например, +7 900 123-45-67) или адрес электронной почты',
      };
}

/** `/staff/children?status=waiting&municipality=…&page=…`: anything unreadable falls back to the default. */
export const queueFilterSchema = z.object({
  status: z.literal('waiting').catch('waiting'),
  municipality: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.coerce.number().int().min(1).max(32767).optional().catch(undefined),
  ),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});

export const confirmSchema = z.object({
  document: requiredText('Укажите документ, который предъявлен', 200),
  checked: tickedCheckbox('Подтвердите, что сверили данные с оригиналом документа'),
});

export const rejectSchema = z.object({
  reason: z.preprocess(
    (value) => (typeof value === 'string' ? value.trim() : ''),
    z
      .string()
      .min(1, { message: 'Напишите причину: её увидит родитель' })
      .min(5, { message: 'Опишите причину подробнее: её увидит родитель' })
      .max(500, { message: 'Не больше 500 символов' }),
  ),
});
