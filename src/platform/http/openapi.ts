import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { SITE_NAME } from '../views/layout.js';
import { access } from './access.js';
import { API_ERRORS, type ApiErrorCode } from './errors.js';

export interface ApiOperation {
  method: 'get' | 'post' | 'patch' | 'delete';
  path: string;
  summary: string;
  tag: string;
  /** The same zod schema the handler validates with: the document cannot drift from the code. */
  body?: z.ZodType;
  /** Query parameters of a GET, from the zod object the handler parses them with. */
  query?: z.ZodObject;
  responses: Record<number, string>;
  /**
   * The success answer (every 2xx but 204), an allow-list: handlers send `present(result, value)`, which keeps only
   * the listed fields, so a new column never leaks by default. Error answers are `apiErrorSchema`.
   */
  result?: z.ZodType;
}

/** JSON-ready values: dates as ISO strings (a `date` column already is 'YYYY-MM-DD'). */
function jsonValues(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(jsonValues);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, jsonValues(item)]));
  }
  return value;
}

/** What an API answer carries: exactly the fields `schema` lists (unknown ones dropped), dates as ISO strings. */
export function present<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  return schema.parse(jsonValues(value));
}

/** A moment as an ISO 8601 string, and a calendar day as 'YYYY-MM-DD', in API answers. */
export const isoDateTime = z.iso.datetime({ offset: true });
export const isoDate = z.iso.date();

/** Every error answer of the API. */
export const apiErrorSchema = z.object({
  error: z.enum(Object.keys(API_ERRORS) as [ApiErrorCode, ...ApiErrorCode[]]),
  message: z.string(),
  errors: z.record(z.string(), z.string()).optional().describe('Поле → сообщение (только 400)'),
  requestId: z.string().optional(),
  retryAfterSeconds: z.number().int().optional().describe('Через сколько секунд можно повторить (429)'),
});

function queryParameters(schema: z.ZodObject) {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, { description?: string }>;
  };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: 'query',
    required: false,
    ...(property.description ? { description: property.description } : {}),
    schema: property,
  }));
}

/** Collects the API's operations as modules register them, and serves them as an OpenAPI 3.1 document. */
export function createApiRegistry() {
  const operations: ApiOperation[] = [];
  return {
    add(operation: ApiOperation) {
      operations.push(operation);
    },
    /** The operations as registered, for tests that walk them. */
    operations: () => operations as readonly ApiOperation[],
    document(baseUrl: string) {
      const paths: Record<string, Record<string, unknown>> = {};
      for (const op of operations) {
        const path = op.path.replace(/^\/api\/v1/, '');
        paths[path] ??= {};
        paths[path][op.method] = {
          summary: op.summary,
          tags: [op.tag],
          ...(op.query ? { parameters: queryParameters(op.query) } : {}),
          ...(op.body
            ? {
                requestBody: {
                  required: true,
                  content: {
                    'application/json': {
                      schema: z.toJSONSchema(op.body, { io: 'input', unrepresentable: 'any' }),
                    },
                  },
                },
              }
            : {}),
          responses: Object.fromEntries(
            Object.entries(op.responses).map(([status, description]) => {
              const schema =
                Number(status) >= 400 ? apiErrorSchema : Number(status) === 204 ? null : op.result;
              return [
                status,
                schema
                  ? {
                      description,
                      content: {
                        'application/json': {
                          schema: z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }),
                        },
                      },
                    }
                  : { description },
              ];
            }),
          ),
        };
      }
      return {
        openapi: '3.1.0',
        info: {
          title: `${SITE_NAME}: API`,
          version: '1',
          description:
            'JSON API of the navigator. Sessions are the same cookie as on the site. Errors: `{ error, message, errors? }` where `errors` maps a field to its Russian message.',
        },
        servers: [{ url: `${baseUrl}/api/v1` }],
        paths,
      };
    },
    routes(baseUrl: string) {
      return (app: FastifyInstance) => {
        app.get('/api/v1/openapi.json', access('public'), () => this.document(baseUrl));
      };
    },
  };
}

export type ApiRegistry = ReturnType<typeof createApiRegistry>;
