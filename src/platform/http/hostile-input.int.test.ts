import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../tests/support/app.js';
import { TestClient, csrfTokenOf } from '../../../tests/support/client.js';
import { createTestDatabase } from '../../../tests/support/database.js';
import { createOrganization } from '../../../tests/support/enrolment.js';
import type { App } from '../../app.js';
import { createStaffAccount } from '../../modules/accounts/service.js';
import type { Database } from '../db/client.js';

/**
 * Issue 12, item 5: no cookie, path id or multipart body gives a server error. Every route with a path
 * parameter is read from the app's own route table, then called with random ids, random cookies and random
 * multipart bodies — as a guest and as signed-in staff (with a valid CSRF token, so that the handlers run).
 */

const PASSWORD = 'Случайные-входы-2026';
let database: Database;
let app: App;
const as: Record<string, { cookies: string; csrf: string }> = {};

/** The routes from `printRoutes`: each line's segment appended to its parent's path. */
function routeTable(printed: string): { path: string; methods: string[] }[] {
  const routes: { path: string; methods: string[] }[] = [];
  const stack: string[] = [];
  for (const line of printed.split('\n')) {
    const match = /^((?:│ {3}| {4})*)[├└]── (.+?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    stack.length = depth;
    const path = (stack[depth - 1] ?? '') + match[2]!;
    stack.push(path);
    if (match[3]) routes.push({ path, methods: match[3].split(', ').filter((m) => m !== 'HEAD') });
  }
  return routes;
}

const hostileId = fc.oneof(
  fc.constantFrom(
    '2147483648',
    '1.5',
    '-1',
    '0',
    '99999999999999999999',
    '1e3',
    'NaN',
    ' 1',
    '0x10',
    '%00',
    '..',
  ),
  fc.integer(),
  fc.uuid(),
  fc.string({ maxLength: 40 }),
  fc.stringMatching(/^[0-9a-f-]{1,40}$/),
);
const cookieValue = fc.oneof(
  fc.constantFrom('2147483648', '1.5', '-1', '%E0%A4%A', 'abc', ''),
  fc.stringMatching(/^[\x21-\x7e]{0,60}$/).filter((v) => !/[;,]/.test(v)),
);
const hostileCookies = fc.dictionary(
  fc.constantFrom('sid', 'check_email', 'check_municipality', 'flash', 'csrf', 'x'),
  cookieValue,
  { maxKeys: 4 },
);
/** Multipart bodies a browser would never send: no boundary, truncated, garbage, or a well-formed random form. */
const hostileMultipart = fc.oneof(
  fc.record({ type: fc.constant('multipart/form-data'), body: fc.string({ maxLength: 200 }) }),
  fc.record({
    type: fc.constant('multipart/form-data; boundary=xyz'),
    body: fc
      .string({ maxLength: 200 })
      .map((s) => `--xyz\r\ncontent-disposition: form-data; name="a"\r\n\r\n${s}`),
  }),
  fc.record({
    type: fc.constant('multipart/form-data; boundary=xyz'),
    body: fc
      .tuple(fc.stringMatching(/^[a-z_]{1,10}$/), fc.string({ maxLength: 50 }))
      .map(
        ([name, value]) =>
          `--xyz\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n--xyz--\r\n`,
      ),
  }),
  fc.record({ type: fc.constant('multipart/form-data; boundary='), body: fc.string({ maxLength: 100 }) }),
);

beforeAll(async () => {
  database = await createTestDatabase();
  app = await createTestApp(database);
  const organizationId = await createOrganization(database.db);
  const staff = {
    orgStaff: { role: 'org_staff', municipalityId: 1, organizationId },
    coordinator: { role: 'coordinator' },
  } as const;
  let ip = 1;
  for (const [name, role] of Object.entries(staff)) {
    const email = `${name.toLowerCase()}@fuzz.example.ru`;
    await createStaffAccount(database, {
      ...role,
      email,
      password: PASSWORD,
      lastName: 'Петрова',
      firstName: 'Ольга',
    });
    const client = new TestClient(app.http, `192.0.2.${ip++}`);
    expect((await client.submit('/login', { email, password: PASSWORD })).status).toBe(303);
    const page = await client.get('/staff');
    as[name] = {
      cookies: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      csrf: csrfTokenOf(page.body),
    };
  }
  as.guest = { cookies: '', csrf: '' };
});
afterAll(async () => {
  await app.close();
  await database.close();
});

describe('hostile input on every route with a path parameter', () => {
  it('answers the inputs that once gave 500s with 404 and 400', async () => {
    const coordinator = { cookie: as.coordinator!.cookies };
    const checkEmail = await app.http.inject({
      url: '/register/check-email',
      headers: { cookie: 'check_municipality=2147483648' },
    });
    expect(checkEmail.statusCode).toBe(200);
    for (const id of ['2147483648', '1.5', '40000', '-1']) {
      const page = await app.http.inject({ url: `/staff/municipalities/${id}`, headers: coordinator });
      expect(page.statusCode).toBe(404);
    }
    const noBoundary = await app.http.inject({
      method: 'POST',
      url: '/staff/org/import',
      headers: { cookie: as.orgStaff!.cookies, 'content-type': 'multipart/form-data' },
      payload: 'file',
    });
    expect(noBoundary.statusCode).toBe(400);
    expect(noBoundary.body).toContain('Неверный запрос');
    const truncated = await app.http.inject({
      method: 'POST',
      url: '/staff/org/import',
      headers: { cookie: as.orgStaff!.cookies, 'content-type': 'multipart/form-data; boundary=xyz' },
      payload: `--xyz\r\ncontent-disposition: form-data; name="_csrf"\r\n\r\n${as.orgStaff!.csrf}\r\n--xyz\r\ncontent-disposition: form-data; name="file"; filename="a.xlsx"\r\n\r\nPK`,
    });
    expect(truncated.statusCode).toBe(400);
  });

  it('never answers with a server error', { timeout: 600_000 }, async () => {
    const routes = routeTable(app.http.printRoutes({ commonPrefix: false })).filter((r) =>
      r.path.includes('/:'),
    );
    expect(routes.length).toBeGreaterThan(30);
    const failures: string[] = [];
    for (const route of routes) {
      for (const method of route.methods) {
        for (const [who, identity] of Object.entries(as)) {
          await fc
            .assert(
              fc.asyncProperty(
                fc.array(hostileId, { minLength: 3, maxLength: 3 }),
                hostileCookies,
                hostileMultipart,
                fc.boolean(),
                async (ids, cookies, multipart, withMultipart) => {
                  let index = 0;
                  const url = route.path.replace(/:\w+/g, () => encodeURIComponent(String(ids[index++])));
                  const cookie = [
                    identity.cookies,
                    ...Object.entries(cookies).map(([name, value]) => `${name}=${value}`),
                  ]
                    .filter(Boolean)
                    .join('; ');
                  const body = withMultipart
                    ? { payload: multipart.body, type: multipart.type }
                    : {
                        payload: new URLSearchParams({ _csrf: identity.csrf }).toString(),
                        type: 'application/x-www-form-urlencoded',
                      };
                  const response = await app.http.inject({
                    method: method as 'GET',
                    url,
                    headers: {
                      cookie,
                      ...(method === 'GET'
                        ? {}
                        : { 'content-type': body.type, 'x-csrf-token': identity.csrf }),
                    },
                    ...(method === 'GET' ? {} : { payload: body.payload }),
                  });
                  if (response.statusCode >= 500) {
                    failures.push(
                      `${who} ${method} ${url} [${cookie}] ${withMultipart ? multipart.type : ''} → ${response.statusCode}`,
                    );
                  }
                  return response.statusCode < 500;
                },
              ),
              { numRuns: 25, endOnFailure: true },
            )
            .catch(() => undefined);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it(
    'no page or API answer without a path parameter fails on random cookies',
    { timeout: 600_000 },
    async () => {
      const routes = routeTable(app.http.printRoutes({ commonPrefix: false })).filter(
        (r) => !r.path.includes(':') && !r.path.includes('*') && r.methods.includes('GET'),
      );
      expect(routes.length).toBeGreaterThan(30);
      const failures: string[] = [];
      for (const route of routes) {
        for (const [who, identity] of Object.entries(as)) {
          await fc
            .assert(
              fc.asyncProperty(hostileCookies, async (cookies) => {
                const cookie = [
                  identity.cookies,
                  ...Object.entries(cookies).map(([name, value]) => `${name}=${value}`),
                ]
                  .filter(Boolean)
                  .join('; ');
                const response = await app.http.inject({ url: route.path, headers: { cookie } });
                if (response.statusCode >= 500)
                  failures.push(`${who} GET ${route.path} [${cookie}] → ${response.statusCode}`);
                return response.statusCode < 500;
              }),
              { numRuns: 10, endOnFailure: true },
            )
            .catch(() => undefined);
        }
      }
      expect(failures).toEqual([]);
    },
  );
});
