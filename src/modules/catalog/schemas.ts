import { z } from 'zod';

/**
 * The catalog's query string. Links get shared and edited by hand, so a wrong value is dropped
 * (the filter is not applied) instead of failing the page.
 */
export const programQuerySchema = z.object({
  q: z.string().trim().max(200).optional().catch(undefined),
  direction: z
    .string()
    .regex(/^[a-z-]{1,40}$/)
    .optional()
    .catch(undefined),
  municipality: z
    .string()
    .regex(/^[a-z-]{1,40}$/)
    .optional()
    .catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1),
});

export const programIdSchema = z.object({ id: z.uuid() });
