import { z } from 'zod';
import {
  dateField,
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
