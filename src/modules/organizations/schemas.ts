import { z } from 'zod';
import { optionalText, requiredText } from '../../platform/validation/fields.js';
import { MUNICIPALITIES } from '../reference/index.js';
import { ORGANIZATION_CATEGORIES } from './schema.js';

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

/** The organization's public profile, edited by its staff. */
export const organizationSchema = z.object({
  name: requiredText('Введите полное наименование', 300),
  shortName: requiredText('Введите краткое наименование', 120),
  kind: requiredText('Укажите организационно-правовую форму', 200),
  /** The kind parents filter by; a form without the field leaves it as it was. */
  category: z.preprocess(
    (value) => text(value) || undefined,
    z.enum(ORGANIZATION_CATEGORIES, { message: 'Выберите тип организации из списка' }).optional(),
  ),
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

/**
 * The «Организации» list's query string (the page and /api/v1/organizations). Links get shared and edited by
 * hand, so a wrong value is dropped (the filter is not applied) instead of failing the page, as in the catalog.
 */
export const organizationQuerySchema = z.object({
  q: z.string().trim().max(200).optional().catch(undefined),
  /** A municipality code; absent (or «all») for the whole region. */
  municipality: z
    .string()
    .regex(/^[a-z-]{1,40}$/)
    .optional()
    .catch(undefined),
  category: z.enum(ORGANIZATION_CATEGORIES).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1),
});
export type OrganizationQuery = z.infer<typeof organizationQuerySchema>;

/** The filters of a list query: a municipality code known to the region, else the whole region. */
export function listFilters(query: OrganizationQuery) {
  const municipality = MUNICIPALITIES.find((m) => m.code === query.municipality);
  return {
    query: { ...query, municipality: municipality?.code },
    filters: { municipalityId: municipality?.id, category: query.category, q: query.q, page: query.page },
  };
}
