import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from './app.js';
import type { Database } from './platform/db/client.js';
import { createTestApp } from '../tests/support/app.js';
import { createTestDatabase } from '../tests/support/database.js';
import { createFamily } from '../tests/support/enrolment.js';
import { hashPassword } from './modules/accounts/password.js';
import { certificates } from './modules/certificates/schema.js';

/**
 * An attacker's review (OWASP ASVS level 2) of the whole app: each finding that was fixed is replayed here,
 * the way it was tried over HTTP.
 */

let database: Database;
let app: App;
let cookie: string;
let childId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  app = await createTestApp(database);
  const family = await createFamily(database.db, {
    email: 'attacks-review@example.ru',
    passwordHash: await hashPassword('Проверка-атак-2026'),
    certificate: null,
  });
  childId = family.childId;
  const signedIn = await app.http.inject({
    method: 'POST',
    url: '/api/v1/session',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ email: 'attacks-review@example.ru', password: 'Проверка-атак-2026' }),
  });
  expect(signedIn.statusCode).toBe(200);
  cookie = signedIn.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
});

afterAll(async () => {
  await app?.close();
  await database?.close();
});

/** «Получить сертификат» with no body and no content type, as `fetch(url, {method: 'POST'})` sends it. */
const bodylessCertificateRequest = (headers: Record<string, string>) =>
  app.http.inject({
    method: 'POST',
    url: `/api/v1/children/${childId}/certificate`,
    headers: { cookie, host: 'navigator.test', ...headers },
  });

const issued = async () =>
  (await database.db.select().from(certificates).where(eq(certificates.childId, childId))).length;

describe('API calls without a CSRF token, with a cookie session', () => {
  it('a bodyless POST that the browser marks as coming from a sibling subdomain or another site needs the token', async () => {
    // A page on another subdomain of the region's domain is «same-site»: the browser sends it the SameSite=Lax
    // session cookie with fetch() or sendBeacon(), so the bodyless exemption let it cancel applications or
    // take certificates in the parent's name.
    const attempts: Record<string, string>[] = [
      { 'sec-fetch-site': 'same-site', origin: 'https://blog.navigator.test' },
      { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
      { origin: 'https://blog.navigator.test' },
      { origin: 'null' },
      { 'sec-fetch-site': 'same-site' },
    ];
    for (const headers of attempts) {
      const response = await bodylessCertificateRequest(headers);
      expect(response.statusCode, JSON.stringify(headers)).toBe(403);
      expect(response.json<{ error: string }>().error).toBe('csrf');
    }
    expect(await issued()).toBe(0);
  });

  it('a JSON call or a PATCH from another origin needs the token too', async () => {
    const json = await app.http.inject({
      method: 'POST',
      url: `/api/v1/children/${childId}/certificate`,
      headers: {
        cookie,
        host: 'navigator.test',
        origin: 'https://evil.example',
        'content-type': 'application/json',
      },
      payload: '{}',
    });
    expect(json.statusCode).toBe(403);
    const patch = await app.http.inject({
      method: 'PATCH',
      url: '/api/v1/me',
      headers: { cookie, host: 'navigator.test', 'sec-fetch-site': 'cross-site' },
      payload: {},
    });
    expect(patch.statusCode).toBe(403);
    expect(await issued()).toBe(0);
  });

  it('the same call from the site itself, or from a client that is not a browser, still needs no token', async () => {
    const sameOrigin = await bodylessCertificateRequest({
      'sec-fetch-site': 'same-origin',
      origin: 'http://navigator.test',
    });
    expect(sameOrigin.statusCode, sameOrigin.body).toBe(200);
    // Behind a proxy that rewrites Host, the browser's own word still counts.
    const proxied = await bodylessCertificateRequest({
      'sec-fetch-site': 'same-origin',
      origin: 'https://navigator.region.example',
    });
    expect(proxied.statusCode, proxied.body).toBe(200);
    const script = await bodylessCertificateRequest({});
    expect(script.statusCode, script.body).toBe(200);
    expect(await issued()).toBe(1);
  });
});
