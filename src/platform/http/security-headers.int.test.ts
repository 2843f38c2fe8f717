import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../tests/support/database.js';
import { testConfig } from '../../../tests/support/app.js';
import { loadConfig } from '../config.js';
import type { Database } from '../db/client.js';
import { createLogger } from '../logger.js';
import { access } from './access.js';
import { buildHttpApp } from './app.js';
import type { CurrentUser } from './request-context.js';
import { rotateCsrfCookie } from './security.js';

/**
 * Attacker's review of helmet's middleware applied in an onRequest hook (f718c61): every answer carries the
 * protective headers, whatever ends it — a 404, a failure, a redirect, a static file, the API, an access rule
 * or a rate limit that answers early, and the session look-up itself failing (the database gone).
 */

let database: Database;
let app: FastifyInstance;

/** What drizzle throws when PostgreSQL drops the connection under a query. */
const lost = () =>
  new Error('Failed query: select 1', {
    cause: Object.assign(new Error('terminating connection due to administrator command'), {
      code: '57P01',
    }),
  });

const parent: CurrentUser = {
  id: '00000000-0000-4000-8000-000000000001',
  email: 'ivanova@example.ru',
  shortName: 'Иванова А. С.',
  emailVerified: true,
  municipalityId: 1,
  sessionTokenHash: 'session-hash',
  staff: null,
};

beforeAll(async () => {
  database = await createTestDatabase();
  const config = testConfig();
  app = await buildHttpApp({
    config,
    database,
    logger: createLogger(config),
    // The session look-up: «sid=lost» is a session read while the database is gone, «sid=deny» a session the
    // look-up refuses at once (as a blocked account's would be), «sid=parent» a signed-in parent.
    resolveUser: async (request, reply) => {
      const sid = request.cookies.sid;
      if (sid === 'lost') throw lost();
      if (sid === 'deny') {
        await reply.status(403).type('text/plain; charset=utf-8').send('Доступ закрыт');
        return null;
      }
      return sid === 'parent' ? parent : null;
    },
    modules: [
      (scope) => {
        scope.get('/plain', access('public'), () => 'ok');
        scope.get('/boom', access('public'), () => {
          throw new Error('exploded');
        });
        scope.get('/lost', access('public'), () => {
          throw lost();
        });
        scope.get('/away', access('public'), (_request, reply) => reply.redirect('/plain', 303));
        scope.get('/cabinet-like', access('user'), () => 'personal');
        scope.get('/api/v1/thing', access('public'), () => ({ ok: true }));
        scope.get('/api/v1/mine', access('user'), () => ({ ok: true }));
        // A rate limit that answers in its own onRequest hook, before the handler.
        scope.get(
          '/limited',
          {
            ...access('public'),
            onRequest: async (_request, reply) => {
              await reply.status(429).header('retry-after', '60').send('Слишком много запросов');
            },
          },
          () => 'never',
        );
        scope.post('/form', access('public'), () => 'posted');
        scope.get('/token', access('public'), (request) => request.csrfToken);
        // A handler that signs the browser out and then reads the token (as a page rendered after it would).
        scope.post('/sign-out-and-read', access('public'), (request, reply) => {
          reply.clearCookie('sid');
          rotateCsrfCookie(reply, { secure: false });
          return request.csrfToken;
        });
      },
    ],
  });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await database.close();
});

function expectProtected(response: { statusCode: number; headers: Record<string, unknown> }, what: string) {
  const { headers } = response;
  expect(String(headers['content-security-policy']), what).toContain("default-src 'self'");
  expect(String(headers['content-security-policy']), what).toContain("frame-ancestors 'none'");
  expect(headers['x-content-type-options'], what).toBe('nosniff');
  expect(headers['x-frame-options'], what).toBe('SAMEORIGIN');
  expect(headers['referrer-policy'], what).toBe('strict-origin-when-cross-origin');
  expect(headers['x-powered-by'], what).toBeUndefined();
}

describe('the protective headers', () => {
  it('are on pages, 404s, failures, redirects, static files and the API', async () => {
    const cases: [string, number, Record<string, string>?][] = [
      ['/plain', 200],
      ['/no-such-page', 404],
      ['/api/v1/no-such-thing', 404],
      ['/boom', 500],
      ['/lost', 503],
      ['/away', 303],
      ['/cabinet-like', 303], // the access rule sends a guest to sign in
      ['/api/v1/mine', 401],
      ['/api/v1/thing', 200],
      ['/limited', 429],
      ['/static/app.css', 200],
      ['/static/no-such-file.css', 404],
      ['/static/vendor/leaflet/leaflet.css', 200],
      ['/cabinet-like', 200, { cookie: 'sid=parent' }],
    ];
    for (const [url, status, headers] of cases) {
      const response = await app.inject({ url, ...(headers ? { headers } : {}) });
      expect(response.statusCode, url).toBe(status);
      expectProtected(response, url);
    }
    const head = await app.inject({ method: 'HEAD', url: '/plain' });
    expectProtected(head, 'HEAD /plain');
    // A form posted without its token: the «форма устарела» page.
    const form = await app.inject({ method: 'POST', url: '/form', payload: { a: '1' } });
    expect(form.statusCode).toBe(403);
    expectProtected(form, 'POST /form without a token');
  });

  it('are on the answer to an address Fastify cannot route, which is Russian and does not echo it', async () => {
    const long = `/api/v1/${'x'.repeat(150)}%zz`;
    for (const url of ['/programs/%zz', '/plain/%E0%A4%A', '/%', long]) {
      const response = await app.inject(url);
      expect(response.statusCode, url).toBe(400);
      expectProtected(response, url);
      expect(response.body, url).not.toContain('%zz');
      expect(response.body, url).not.toContain('valid url component');
    }
    const page = await app.inject('/programs/%zz');
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('<html lang="ru"');
    const api = await app.inject(long);
    expect(api.json()).toEqual({ error: 'bad_request', message: 'Неверный запрос' });
  });

  it('are on the answer when the session look-up fails or answers by itself', async () => {
    const failed = await app.inject({ url: '/plain', headers: { cookie: 'sid=lost' } });
    expect(failed.statusCode).toBe(503);
    expect(failed.body).toContain('Сервис временно недоступен');
    expectProtected(failed, 'the session look-up failed');
    const early = await app.inject({ url: '/plain', headers: { cookie: 'sid=deny' } });
    expect(early.statusCode).toBe(403);
    expectProtected(early, 'the session look-up answered');
  });
});

describe('the CSRF token made when first read', () => {
  const cookiesOf = (response: { headers: Record<string, unknown> }) =>
    ([] as string[]).concat((response.headers['set-cookie'] as string[] | string | undefined) ?? []);

  it('passes for the browser and the session it was made for, and for no other', async () => {
    const first = await app.inject('/token');
    const csrf = cookiesOf(first)
      .find((c) => c.startsWith('csrf='))!
      .split(';')[0]!;
    const token = first.body;
    const post = (cookie: string, _csrf: string) =>
      app.inject({ method: 'POST', url: '/form', headers: { cookie }, payload: { _csrf } });
    expect((await post(csrf, token)).statusCode).toBe(200);
    // Another browser's cookie, or none: refused.
    const other = await app.inject('/token');
    const otherCsrf = cookiesOf(other)
      .find((c) => c.startsWith('csrf='))!
      .split(';')[0]!;
    expect((await post(otherCsrf, token)).statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: '/form', payload: { _csrf: token } })).statusCode).toBe(
      403,
    );
    // The guest's token does not pass once the browser is signed in (the session is in the HMAC), and back.
    expect((await post(`${csrf}; sid=parent`, token)).statusCode).toBe(403);
    const signedIn = await app.inject({ url: '/token', headers: { cookie: `${csrf}; sid=parent` } });
    expect(signedIn.body).not.toBe(token);
    expect((await post(`${csrf}; sid=parent`, signedIn.body)).statusCode).toBe(200);
    expect((await post(csrf, signedIn.body)).statusCode).toBe(403);
    // An empty token never passes, even where no token is made (static files).
    expect((await post(csrf, '')).statusCode).toBe(403);
    const toStatic = await app.inject({
      method: 'POST',
      url: '/static/app.css',
      headers: { cookie: csrf },
      payload: { _csrf: '' },
    });
    expect([403, 404]).toContain(toStatic.statusCode);
  });

  it('read after a sign-out in the same request: the checked token, not a new one for the rotated cookie', async () => {
    const first = await app.inject({ url: '/token', headers: { cookie: 'sid=parent' } });
    const csrf = cookiesOf(first)
      .find((c) => c.startsWith('csrf='))!
      .split(';')[0]!;
    const answer = await app.inject({
      method: 'POST',
      url: '/sign-out-and-read',
      headers: { cookie: `${csrf}; sid=parent` },
      payload: { _csrf: first.body },
    });
    expect(answer.statusCode).toBe(200);
    // The token checked at the start is the one read later (made once), and the rotated cookie is the one sent:
    // exactly one CSRF cookie, and it is not the old one, so the old token cannot pass after the sign-out.
    expect(answer.body).toBe(first.body);
    const sent = cookiesOf(answer).filter((c) => c.startsWith('csrf='));
    expect(sent).toHaveLength(1);
    expect(sent[0]!.split(';')[0]).not.toBe(csrf);
    const after = await app.inject({
      method: 'POST',
      url: '/form',
      headers: { cookie: sent[0]!.split(';')[0]! },
      payload: { _csrf: first.body },
    });
    expect(after.statusCode).toBe(403);
  });
});

describe('in production', () => {
  it('adds HSTS and upgrade-insecure-requests, and the lazy token comes with a Secure __Host- cookie', async () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'navigator-data-')),
      LOG_LEVEL: 'silent',
      SESSION_SECRET: 'a-production-secret-of-at-least-32-chars',
      SMTP_URL: 'smtp://127.0.0.1:2525',
      BASE_URL: 'https://navigator.test',
      DATABASE_URL: 'postgres://unused@127.0.0.1/unused',
    });
    const production = await buildHttpApp({
      config,
      database,
      logger: createLogger(config),
      modules: [(scope) => void scope.get('/token', access('public'), (request) => request.csrfToken)],
    });
    try {
      for (const url of ['/token', '/no-such-page', '/programs/%zz', '/static/app.css']) {
        const { headers } = await production.inject(url);
        expect(headers['strict-transport-security'], url).toBe('max-age=31536000; includeSubDomains');
        expect(String(headers['content-security-policy']), url).toContain('upgrade-insecure-requests');
      }
      const made = await production.inject('/token');
      const cookie = String(([] as string[]).concat(made.headers['set-cookie'] ?? [])[0]);
      expect(cookie).toMatch(/^__Host-csrf=/);
      expect(cookie).toContain('Secure');
      expect(cookie).toContain('HttpOnly');
      expect(cookie).toContain('SameSite=Lax');
      expect(cookie).not.toMatch(/Domain=/i);
    } finally {
      await production.close();
    }
  });
});
