import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { SITE_NAME } from '../views/layout.js';
import { access } from './access.js';

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
}

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
            Object.entries(op.responses).map(([status, description]) => [status, { description }]),
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
