import { z } from 'zod';

/** What /api/v1 shows of an organization: allow-lists, so an internal column never leaks by default. */

export const organizationPublicSchema = z.object({
  id: z.uuid(),
  municipalityId: z.number().int(),
  name: z.string(),
  shortName: z.string(),
  kind: z.string(),
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
