import { z } from 'zod';
import { ORGANIZATION_CATEGORIES } from './schema.js';

/** What /api/v1 shows of an organization: allow-lists, so an internal column never leaks by default. */

export const organizationPublicSchema = z.object({
  id: z.uuid(),
  municipalityId: z.number().int(),
  name: z.string(),
  shortName: z.string(),
  /** The legal form, as the organization writes it. */
  kind: z.string(),
  category: z.enum(ORGANIZATION_CATEGORIES),
  inn: z.string().nullable(),
  ogrn: z.string().nullable(),
  address: z.string(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  website: z.string().nullable(),
  workingHours: z.string().nullable(),
  description: z.string(),
});

export const organizationAnswerSchema = z.object({
  organization: organizationPublicSchema,
  municipality: z.string(),
  programs: z.array(
    z.object({
      id: z.uuid(),
      name: z.string(),
      ageFrom: z.number().int(),
      ageTo: z.number().int(),
      financing: z.enum(['free', 'certificate', 'paid']),
      direction: z.string(),
    }),
  ),
});

/** A page of the «Организации» list (GET /api/v1/organizations). */
export const organizationListAnswerSchema = z.object({
  items: z.array(
    z.object({
      id: z.uuid(),
      name: z.string(),
      shortName: z.string(),
      category: z.enum(ORGANIZATION_CATEGORIES),
      municipality: z.string(),
      address: z.string(),
      phone: z.string().nullable(),
      website: z.string().nullable(),
      latitude: z.number().nullable(),
      longitude: z.number().nullable(),
      publishedPrograms: z.number().int(),
    }),
  ),
  total: z.number().int(),
  page: z.number().int(),
  pageCount: z.number().int(),
});
