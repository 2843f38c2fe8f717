import { z } from 'zod';
import { email, optionalText, personName, requiredText } from '../../platform/validation/fields.js';
import { isValidInn, isValidKpp, isValidOgrn } from '../../platform/validation/requisites.js';
import { fieldErrors, type FieldErrors } from '../../platform/views/forms.js';
import { MUNICIPALITIES, municipalityField } from '../reference/index.js';
import { ORGANIZATION_CATEGORIES } from './schema.js';

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
/** Digits as typed with spaces or dashes («77 07 083893»); anything else is kept for the message. */
const digitsOf = (value: unknown) => {
  const raw = text(value);
  const digits = raw.replace(/[\s-]/g, '');
  return /^[\dA-Za-z]*$/.test(digits) ? digits.toUpperCase() : raw;
};

/** A coordinate typed with a point or a comma («54,7826»), within its range; empty: none. */
function coordinate(label: string, limit: number) {
  return z.preprocess(
    (value) => {
      const raw = text(value).replace(',', '.');
      if (!raw) return undefined;
      return /^-?\d{1,3}(\.\d{1,8})?$/.test(raw) ? Number(raw) : raw;
    },
    z
      .number({ message: `${label}: введите число, например ${limit === 90 ? '54.7826' : '32.0453'}` })
      .min(-limit, { message: `${label} — от −${limit} до ${limit}` })
      .max(limit, { message: `${label} — от −${limit} до ${limit}` })
      .optional(),
  );
}

/**
 * The descriptive profile: what the organization's own staff edit (/staff/org/profile), and the first part of the
 * administrators' form. Not its legal identity (ИНН, КПП, ОГРН), its municipality or whether it is archived.
 */
const profileShape = {
  name: requiredText('Введите полное наименование', 300),
  shortName: requiredText('Введите краткое наименование', 120),
  kind: requiredText('Укажите организационно-правовую форму', 200),
  /** The kind parents filter by; a form without the field leaves it as it was. */
  category: z.preprocess(
    (value) => text(value) || undefined,
    z.enum(ORGANIZATION_CATEGORIES, { message: 'Выберите тип организации из списка' }).optional(),
  ),
  address: requiredText('Укажите фактический адрес', 300),
  legalAddress: optionalText(300),
  latitude: coordinate('Широта', 90),
  longitude: coordinate('Долгота', 180),
  phone: optionalText(60),
  email: z.preprocess(
    (value) => text(value).toLowerCase() || undefined,
    z.email({ message: 'Введите адрес электронной почты, например info@school.ru' }).max(254).optional(),
  ),
  website: z.preprocess(
    (value) => text(value) || undefined,
    z
      .url({ protocol: /^https?$/, message: 'Введите адрес сайта, например https://school.ru' })
      .max(300, { message: 'Не больше 300 символов' })
      .optional(),
  ),
  workingHours: optionalText(200),
  head: optionalText(200),
  description: z.preprocess(text, z.string().max(3000, { message: 'Не больше 3000 символов' })),
};

/** The organization's public profile, edited by its staff. */
export const organizationSchema = z.object(profileShape);
export type OrganizationInput = z.infer<typeof organizationSchema>;

/** The legal identity, checked digit by digit; which lengths go together is `requisiteErrors`'. */
const requisiteShape = {
  inn: z.preprocess(
    digitsOf,
    z
      .string()
      .min(1, { message: 'Введите ИНН' })
      .regex(/^\d{10}(\d{2})?$/, { message: 'ИНН — 10 цифр у юридического лица, 12 у ИП' })
      .refine(isValidInn, { message: 'Проверьте ИНН: контрольные цифры не совпадают' }),
  ),
  kpp: z.preprocess(
    (value) => digitsOf(value) || undefined,
    z.string().refine(isValidKpp, { message: 'КПП — 9 знаков, например 673201001' }).optional(),
  ),
  ogrn: z.preprocess(
    digitsOf,
    z
      .string()
      .min(1, { message: 'Введите ОГРН (ОГРНИП у ИП)' })
      .regex(/^\d{13}(\d{2})?$/, { message: 'ОГРН — 13 цифр, ОГРНИП — 15' })
      .refine(isValidOgrn, { message: 'Проверьте ОГРН: контрольная цифра не совпадает' }),
  ),
};

/** The administrators' form of an existing organization: the profile and the legal identity. */
export const organizationDetailsSchema = z.object({
  ...profileShape,
  category: z.preprocess(
    (value) => text(value) || undefined,
    z.enum(ORGANIZATION_CATEGORIES, { message: 'Выберите тип организации' }),
  ),
  ...requisiteShape,
});
export type OrganizationDetails = z.infer<typeof organizationDetailsSchema>;

/** A new organization: the same and its municipality (the coordinator chooses; an administrator has theirs). */
export const newOrganizationSchema = organizationDetailsSchema.extend({ municipalityId: municipalityField });
export type NewOrganizationInput = z.infer<typeof newOrganizationSchema>;

/**
 * What the digits alone cannot tell: a legal entity (10-digit ИНН) has a КПП and a 13-digit ОГРН, an ИП (12-digit
 * ИНН) no КПП and a 15-digit ОГРНИП. Asked of the raw values, so that these messages
 * come with every other one at once.
 */
export function requisiteErrors(values: Partial<Record<string, string>>): FieldErrors {
  const errors: FieldErrors = {};
  const inn = digitsOf(values.inn);
  const kpp = digitsOf(values.kpp);
  const ogrn = digitsOf(values.ogrn);
  if (/^\d{10}$/.test(inn)) {
    if (!kpp) errors.kpp = 'Введите КПП: он есть у каждого юридического лица';
    if (/^\d{15}$/.test(ogrn)) errors.ogrn = 'У юридического лица ОГРН из 13 цифр; 15 цифр — ОГРНИП';
  } else if (/^\d{12}$/.test(inn)) {
    if (kpp) errors.kpp = 'У ИП нет КПП: оставьте поле пустым';
    if (/^\d{13}$/.test(ogrn)) errors.ogrn = 'У ИП — ОГРНИП из 15 цифр';
  }
  return errors;
}

/** Coordinates come in pairs. */
function coordinateErrors(values: Partial<Record<string, string>>): FieldErrors {
  if (text(values.latitude) && !text(values.longitude)) return { longitude: 'Укажите и долготу' };
  if (!text(values.latitude) && text(values.longitude)) return { latitude: 'Укажите и широту' };
  return {};
}

/** The form's values checked by `schema`, the coordinates' pair and, with `requisites`, `requisiteErrors`: every message at once. */
export function parseOrganizationForm<S extends z.ZodType>(
  schema: S,
  values: Partial<Record<string, string>>,
  requisites: boolean,
): { ok: true; data: z.infer<S> } | { ok: false; errors: FieldErrors } {
  const parsed = schema.safeParse(values);
  const cross = { ...coordinateErrors(values), ...(requisites ? requisiteErrors(values) : {}) };
  // A field's own message (a wrong checksum) wins over what it means together with another.
  const errors = { ...cross, ...(parsed.success ? {} : fieldErrors(parsed.error)) };
  if (parsed.success && Object.keys(errors).length === 0) return { ok: true, data: parsed.data };
  return { ok: false, errors };
}

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

/** /staff/organizations' query string; a wrong value is dropped, as in the public list. */
export const staffOrganizationQuerySchema = z.object({
  q: z.string().trim().max(200).optional().catch(undefined),
  municipality: z
    .string()
    .regex(/^[a-z-]{1,40}$/)
    .optional()
    .catch(undefined),
  status: z.enum(['active', 'archived', 'all']).catch('active').default('active'),
  staff: z.enum(['any', 'none']).catch('any').default('any'),
  page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1),
});
export type StaffOrganizationQuery = z.infer<typeof staffOrganizationQuerySchema>;

/** The reason of an archive or a restore, kept in the audit. */
export const archiveSchema = z.object({
  reason: requiredText('Укажите причину', 500, 'Не больше 500 символов'),
});

/** The invitation of an organization's staff member from its card. */
export const inviteSchema = z.object({
  lastName: personName('Введите фамилию'),
  firstName: personName('Введите имя'),
  email,
});
