import { z } from 'zod';
import { REGISTRIES } from '../reference/index.js';

const code = z
  .string()
  .regex(/^[a-z-]{1,40}$/)
  .optional()
  .catch(undefined);
/** A whole number from the query string; an empty field (a form's «любой») means no filter. */
const queryNumber = (min: number, max: number) =>
  z
    .preprocess(
      (value) => (value === '' ? undefined : value),
      z.coerce.number().int().min(min).max(max).optional(),
    )
    .catch(undefined);
const flag = z
  .string()
  .optional()
  .transform((value) => value === '1' || value === 'yes' || value === 'on' || value === 'true')
  .catch(false);

/**
 * The catalog's query string (pages, the JSON API and the CSV export share it). Links get shared and edited
 * by hand, so a wrong value is dropped (the filter is not applied) instead of failing the page.
 */
export const programQuerySchema = z.object({
  q: z.string().trim().max(200).optional().catch(undefined),
  /** A municipality code, or «all» for the whole region; absent means the signed-in user's municipality. */
  municipality: code.or(z.literal('all')).optional().catch(undefined),
  direction: code,
  specialization: queryNumber(1, 100_000),
  age: queryNumber(0, 18),
  /** One of the signed-in user's children: filters by the child's age. */
  child: z.uuid().optional().catch(undefined),
  /** «Оплата сертификатом» (certificate) is the registry «сертифицированные» (ADR 0036). */
  financing: z.enum(['free', 'certificate', 'paid']).optional().catch(undefined),
  registry: z.enum(REGISTRIES).optional().catch(undefined),
  maxCost: queryNumber(0, 1_000_000),
  format: z.enum(['in_person', 'remote', 'blended']).optional().catch(undefined),
  level: z.enum(['start', 'basic', 'advanced']).optional().catch(undefined),
  ovz: flag,
  open: flag,
  organization: z.uuid().optional().catch(undefined),
  sort: z.enum(['relevance', 'start', 'name']).optional().catch(undefined),
  /** Set by the pagination of a search where no program had every word (any word then). */
  partial: flag,
  page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1),
});
export type ProgramQueryInput = z.infer<typeof programQuerySchema>;
