import { z } from 'zod';

/**
 * The fields of a form post or a JSON body as strings, the way every schema expects them. Arrays and
 * objects (a crafted request) are dropped, numbers become text, `true` becomes «yes» (a ticked box), and
 * NUL characters are removed: PostgreSQL text cannot hold them.
 */
export function inputFields(body: unknown): Partial<Record<string, string>> {
  const values: Partial<Record<string, string>> = {};
  if (!body || typeof body !== 'object') return values;
  for (const [key, value] of Object.entries(body)) {
    const text =
      typeof value === 'string'
        ? value
        : typeof value === 'number'
          ? String(value)
          : value === true
            ? 'yes'
            : null;
    if (text !== null) values[key] = text.replaceAll('\u0000', '').slice(0, 1000);
  }
  return values;
}

/**
 * A small-integer key (a municipality) from a path or a cookie: digits only and within PostgreSQL's
 * smallint, so that «1.5», «-1» or «2147483648» are «not found» rather than a failed query.
 */
export const smallIdSchema = z
  .string()
  .regex(/^[1-9]\d{0,4}$/)
  .transform(Number)
  .pipe(z.number().max(32_767));
