import { z } from 'zod';
import { optionalText, requiredText } from '../../platform/validation/fields.js';

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

/** The organization's public profile, edited by its staff. */
export const organizationSchema = z.object({
  name: requiredText('Введите полное наименование', 300),
  shortName: requiredText('Введите краткое наименование', 120),
  kind: requiredText('Укажите тип организации', 200),
  address: requiredText('Укажите адрес', 300),
  phone: optionalText(60),
  email: z.preprocess(
    (value) => text(value).toLowerCase() || undefined,
    z.email({ message: 'Введите адрес электронной почты, например info@school.ru' }).optional(),
  ),
  website: z.preprocess(
    (value) => text(value) || undefined,
    z
      .url({ protocol: /^https?$/, message: 'Введите адрес сайта, например https://school.ru' })
      .max(300)
      .optional(),
  ),
  inn: z.preprocess(
    (value) => text(value) || undefined,
    z
      .string()
      .regex(/^\d{10}(\d{2})?$/, { message: 'ИНН — 10 цифр (12 для ИП)' })
      .optional(),
  ),
  ogrn: z.preprocess(
    (value) => text(value) || undefined,
    z
      .string()
      .regex(/^\d{13}(\d{2})?$/, { message: 'ОГРН — 13 цифр (ОГРНИП — 15)' })
      .optional(),
  ),
  workingHours: optionalText(200),
  description: z.preprocess(text, z.string().max(3000, { message: 'Не больше 3000 символов' })),
});
export type OrganizationInput = z.infer<typeof organizationSchema>;
