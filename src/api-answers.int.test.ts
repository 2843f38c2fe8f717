import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from './app.js';
import type { Database } from './platform/db/client.js';
import { createTestApp } from '../tests/support/app.js';
import { createTestDatabase } from '../tests/support/database.js';
import { createFamily, createOpenGroup, createOrganization } from '../tests/support/enrolment.js';
import { hashPassword } from './modules/accounts/password.js';

/**
 * The API answers exactly what its OpenAPI document lists: every success answer has a schema, and real answers
 * carry no field the schema does not name (checked against the served document itself, recursively).
 */

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  additionalProperties?: JsonSchema | boolean;
}

interface OpenApi {
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema: JsonSchema }> }> }>
  >;
}

/** Paths of fields in `value` that `schema` does not list. */
function unlisted(value: unknown, schema: JsonSchema, at = '$'): string[] {
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) {
    const fits = variants.map((variant) => unlisted(value, variant, at));
    return fits.find((found) => found.length === 0) ?? fits[0] ?? [];
  }
  if (Array.isArray(value))
    return schema.items ? value.flatMap((item, i) => unlisted(item, schema.items!, `${at}[${i}]`)) : [];
  if (value && typeof value === 'object') {
    if (!schema.properties)
      return typeof schema.additionalProperties === 'object' ? [] : [`${at} (no properties listed)`];
    return Object.entries(value).flatMap(([key, item]) =>
      schema.properties![key] ? unlisted(item, schema.properties![key], `${at}.${key}`) : [`${at}.${key}`],
    );
  }
  return [];
}

let database: Database;
let app: App;
let document: OpenApi;
let cookie = '';
let ids: {
  programId: string;
  groupId: string;
  organizationId: string;
  childId: string;
  applicationId: string;
};

async function call(
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  payload?: unknown,
  raw?: string,
) {
  return app.http.inject({
    method,
    url,
    headers: {
      cookie,
      ...(payload !== undefined || raw !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(payload !== undefined
      ? { payload: JSON.stringify(payload) }
      : raw !== undefined
        ? { payload: raw }
        : {}),
  });
}

/** The documented schema of a success answer: `/api/v1/programs/{id}` for `/api/v1/programs/:id`. */
function documented(method: string, path: string, status: number): JsonSchema {
  const operation = document.paths[path.replace(/^\/api\/v1/, '')]?.[method.toLowerCase()];
  const schema = operation?.responses[String(status)]?.content?.['application/json']?.schema;
  if (!schema) throw new Error(`${method} ${path} ${status} has no documented body`);
  return schema;
}

beforeAll(async () => {
  database = await createTestDatabase();
  app = await createTestApp(database);
  const organizationId = await createOrganization(database.db);
  const { programId, groupId } = await createOpenGroup(database.db, { organizationId });
  const family = await createFamily(database.db, {
    email: 'api-answers@example.ru',
    passwordHash: await hashPassword('Ответы-без-лишнего-2026'),
    certificate: null,
    birthDate: `${new Date().getFullYear() - 9}-04-02`,
  });
  document = (await call('GET', '/api/v1/openapi.json')).json<OpenApi>();
  const signedIn = await call('POST', '/api/v1/session', {
    email: 'api-answers@example.ru',
    password: 'Ответы-без-лишнего-2026',
  });
  expect(signedIn.statusCode).toBe(200);
  cookie = signedIn.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  // «Получить сертификат» is an action without parameters: a POST with no body at all works.
  const issued = await call('POST', `/api/v1/children/${family.childId}/certificate`);
  expect(issued.statusCode, issued.body).toBe(200);
  const applied = await call('POST', '/api/v1/applications', { childId: family.childId, groupId });
  expect(applied.statusCode, applied.body).toBe(201);
  ids = {
    programId,
    groupId,
    organizationId,
    childId: family.childId,
    applicationId: applied.json<{ id: string }>().id,
  };
});

afterAll(async () => {
  await app?.close();
  await database?.close();
});

describe('API answers', () => {
  it('documents a body for every success answer and for every error', () => {
    const missing: string[] = [];
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        for (const [status, response] of Object.entries(operation.responses)) {
          if (status !== '204' && !response.content?.['application/json']?.schema) {
            missing.push(`${method.toUpperCase()} ${path} ${status}`);
          }
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('documents every API route the app serves', () => {
    const served = app.http.routeAccess
      .filter((route) => route.url.startsWith('/api/v1/') && route.url !== '/api/v1/openapi.json')
      .flatMap((route) => {
        // One route serves several documented actions.
        const path = route.url.replace(/:(\w+)/g, '{$1}');
        if (path.endsWith('/{action}')) {
          return Object.keys(document.paths)
            .filter((documentedPath) =>
              documentedPath.startsWith(path.replace('/api/v1', '').replace('{action}', '')),
            )
            .map(() => null);
        }
        return [`${route.method.toLowerCase()} ${path.replace('/api/v1', '')}`];
      })
      .filter((key): key is string => key !== null);
    const undocumented = served.filter((key) => {
      const [method, path] = key.split(' ');
      return !document.paths[path!]?.[method!];
    });
    expect(undocumented).toEqual([]);
  });

  it('answers carry only the fields their schema lists', async () => {
    const answers: [method: 'GET', url: string, path: string][] = [
      ['GET', '/api/v1/programs?municipality=all', '/api/v1/programs'],
      ['GET', `/api/v1/programs/${ids.programId}`, '/api/v1/programs/{id}'],
      ['GET', `/api/v1/organizations/${ids.organizationId}`, '/api/v1/organizations/{id}'],
      ['GET', '/api/v1/municipalities', '/api/v1/municipalities'],
      ['GET', '/api/v1/me', '/api/v1/me'],
      ['GET', '/api/v1/children', '/api/v1/children'],
      ['GET', '/api/v1/applications', '/api/v1/applications'],
      ['GET', `/api/v1/applications/${ids.applicationId}`, '/api/v1/applications/{id}'],
    ];
    for (const [method, url, path] of answers) {
      const response = await call(method, url);
      expect(response.statusCode, url).toBe(200);
      expect(unlisted(response.json(), documented(method, path, 200)), url).toEqual([]);
    }
  });

  it('shows a program without internal columns, with dates as ISO strings and periods as {from, to}', async () => {
    const program = (await call('GET', `/api/v1/programs/${ids.programId}`)).json<Record<string, unknown>>();
    for (const internal of [
      'nameVector',
      'searchVector',
      'enrolmentWindows',
      'pendingRevision',
      'status',
      'organizationId',
    ])
      expect(program).not.toHaveProperty(internal);
    const [group] = program.groups as Record<string, unknown>[];
    expect(group).not.toHaveProperty('seatsTaken');
    const enrolment = group!.enrolment as { from: string; to: string };
    expect(Object.keys(enrolment)).toEqual(['from', 'to']);
    expect(enrolment.from).toMatch(/^\d{4}-\d\d-\d\d$/);
    expect(enrolment.to).toMatch(/^\d{4}-\d\d-\d\d$/);
    const child = (await call('GET', '/api/v1/children')).json<{ children: Record<string, unknown>[] }>()
      .children[0]!;
    expect(child).not.toHaveProperty('identityKey');
    expect(child).not.toHaveProperty('ownerUserId');
    expect(child.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('takes an action without parameters with an empty JSON body as with none', async () => {
    const cancelled = await call('POST', `/api/v1/applications/${ids.applicationId}/cancel`, undefined, '');
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', statusLabel: 'Отменена заявителем' });
    const again = await call('POST', `/api/v1/applications/${ids.applicationId}/cancel`, {});
    expect(again.statusCode).toBe(409);
    expect(again.json()).toEqual({ error: 'conflict', message: 'Статус заявки уже изменился' });
  });

  it('answers every error with a code from the one catalogue', async () => {
    const codes = new Set<string>();
    for (const [method, url, payload] of [
      ['GET', '/api/v1/programs/00000000-0000-4000-8000-000000000000', undefined],
      ['POST', '/api/v1/children', {}],
      ['POST', '/api/v1/staff/search', {}],
      ['GET', '/api/v1/no-such-thing', undefined],
    ] as const) {
      const response = await call(method, url, payload);
      const body = response.json<{ error: string; message: string }>();
      expect(body.message.length, url).toBeGreaterThan(0);
      codes.add(body.error);
    }
    expect([...codes].sort()).toEqual(['forbidden', 'not_found', 'validation']);
    const { API_ERRORS } = await import('./platform/http/errors.js');
    for (const code of codes) expect(Object.keys(API_ERRORS)).toContain(code);
  });
});
