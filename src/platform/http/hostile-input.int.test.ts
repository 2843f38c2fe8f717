import { randomUUID } from 'node:crypto';
import net from 'node:net';
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
    const page = await client.get('/cabinet');
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

describe('what the answers let a browser or proxy do', () => {
  it('keeps no API answer and nothing sent to a signed-in user in a cache; static files are cached', async () => {
    const api = await app.http.inject({ url: '/api/v1/programs' });
    expect(api.statusCode).toBe(200);
    expect(api.headers['cache-control']).toBe('no-store');
    const missing = await app.http.inject({ url: '/api/v1/programs/1' });
    expect(missing.headers['cache-control']).toBe('no-store');
    const template = await app.http.inject({
      url: '/staff/org/import/template.xlsx',
      headers: { cookie: as.orgStaff!.cookies },
    });
    expect(template.statusCode).toBe(200);
    expect(template.headers['cache-control']).toBe('no-store');
    const redirect = await app.http.inject({
      url: '/staff/org/applications/new',
      headers: { cookie: as.coordinator!.cookies },
    });
    expect(redirect.headers['cache-control']).toBe('no-store');
    const css = await app.http.inject({ url: '/static/app.css', headers: { cookie: as.orgStaff!.cookies } });
    expect(css.statusCode).toBe(200);
    expect(css.headers['cache-control']).toContain('max-age');
  });

  it("after a bulk accept returns to the list with its filter, never to the Referer's site or another path", async () => {
    const accept = (referer: string) =>
      app.http.inject({
        method: 'POST',
        url: '/staff/org/applications/accept',
        headers: {
          cookie: as.orgStaff!.cookies,
          referer,
          'content-type': 'application/x-www-form-urlencoded',
        },
        payload: new URLSearchParams({ _csrf: as.orgStaff!.csrf, ids: randomUUID() }).toString(),
      });
    const own = await accept('http://navigator.test/staff/org/applications?status=queued&page=2');
    expect(own.statusCode).toBe(303);
    expect(own.headers.location).toBe('/staff/org/applications?status=queued&page=2');
    for (const referer of [
      'https://evil.example/staff/org/applications/../../login?x=1',
      'https://evil.example/phish?/staff/org/applications',
      '//evil.example/staff/org/applications',
    ]) {
      const location = String((await accept(referer)).headers.location);
      expect(location.startsWith('/staff/org/applications')).toBe(true);
      expect(location).not.toContain('evil');
    }
    expect((await accept('https://evil.example/phish?/staff/org/applications')).headers.location).toBe(
      '/staff/org/applications',
    );
  });
});

describe('a client that stops sending', () => {
  it('is answered 408 and cut off, in the headers or in a multipart body', async () => {
    const quick = await createTestApp(database, { requestTimeoutMs: 1000 });
    await quick.http.listen({ port: 0, host: '127.0.0.1' });
    const address = quick.http.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const stall = (head: string) =>
      new Promise<{ answer: string; ms: number }>((resolve) => {
        const started = performance.now();
        let answer = '';
        const socket = net.connect(port, '127.0.0.1', () => socket.write(head));
        socket.on('data', (chunk) => (answer += chunk.toString()));
        socket.on('close', () => resolve({ answer, ms: performance.now() - started }));
        socket.on('error', () => undefined);
      });
    try {
      const [headers, body] = await Promise.all([
        stall('GET / HTTP/1.1\r\nHost: navigator.test\r\nX-Slow: '),
        stall(
          'POST /staff/org/import HTTP/1.1\r\nHost: navigator.test\r\nContent-Type: multipart/form-data; boundary=xyz\r\n' +
            'Content-Length: 100000\r\n\r\n--xyz\r\ncontent-disposition: form-data; name="file"; filename="a.xlsx"\r\n\r\nPK',
        ),
      ]);
      for (const stalled of [headers, body]) {
        expect(stalled.answer).toContain('408');
        expect(stalled.ms).toBeLessThan(5000);
      }
    } finally {
      await quick.close();
    }
  });
});
