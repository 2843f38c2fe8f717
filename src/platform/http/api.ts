import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { apiError } from './errors.js';
import { inputFields } from '../validation/input.js';
import { fieldErrors } from '../views/forms.js';

/**
 * Validates a JSON body with the same schema as the matching form. On failure answers 400 with every field's
 * Russian message and returns null.
 */
export function parseBody<S extends z.ZodType>(
  schema: S,
  request: FastifyRequest,
  reply: FastifyReply,
): z.infer<S> | null {
  const parsed = schema.safeParse(inputFields(request.body));
  if (parsed.success) return parsed.data;
  void apiError(reply, 'validation', undefined, { errors: fieldErrors(parsed.error) });
  return null;
}

export function unauthorized(reply: FastifyReply) {
  return apiError(reply, 'unauthenticated');
}

export function notFound(reply: FastifyReply) {
  return apiError(reply, 'not_found');
}
