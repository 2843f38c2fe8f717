import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.js';
import { queryRows, type Database } from '../../platform/db/client.js';
import { createTestApp } from '../../../tests/support/app.js';
import { TestClient, csrfTokenOf, type PageResponse } from '../../../tests/support/client.js';
import { createTestDatabase } from '../../../tests/support/database.js';
import { createOpenGroup, createOrganization } from '../../../tests/support/enrolment.js';
import { signedInStaff } from '../../../tests/support/staff.js';

/**
 * Attacker's review of «Обновить сейчас» (POST /staff/reports/programs/refresh): who may press it, its CSRF
 * token, many presses at once, and the address it sends back to, whatever the filters posted.
 */

const PASSWORD = 'Обновить-отчёт-2026';
const REFRESH = '/staff/reports/programs/refresh';
const DONE = 'Данные о программах обновлены.';
const SOON = 'Данные о программах только что обновлены.';
let database: Database;
let app: App;
let organizationId: string;

const staff = (role: 'coordinator' | 'municipal_admin' | 'org_staff') =>
  signedInStaff(app, database, role, { password: PASSWORD, organizationId, lastName: 'Отчётова' });

/** The flash message an answer set (what the next page shows), or null. */
function flashOf(response: PageResponse): string | null {
  const line = response.setCookies.find((cookie) => cookie.startsWith('flash='));
  // The cookie carries the message URI-encoded, and the cookie plugin encodes it once more.
  return line ? decodeURIComponent(decodeURIComponent(line.split(';')[0]!.slice('flash='.length))) : null;
}

async function refreshedAt(): Promise<string | null> {
  const rows = await queryRows(
    database.db,
    sql`select refreshed_at::text as at from report_refreshes where report = 'programs'`,
  );
  return rows[0] ? String(rows[0].at) : null;
}

/** As if the last gathering was an hour ago: the next press gathers again. */
async function longAgo() {
  await queryRows(
    database.db,
    sql`insert into report_refreshes (report, refreshed_at) values ('programs', now() - interval '1 hour')
        on conflict (report) do update set refreshed_at = excluded.refreshed_at`,
  );
}

beforeAll(async () => {
  database = await createTestDatabase();
  app = await createTestApp(database);
  await app.http.ready();
  organizationId = await createOrganization(database.db, 'Дом творчества «Отчёт»');
  await createOpenGroup(database.db, { organizationId });
});
afterAll(async () => {
  await app.close();
  await database.close();
});

describe('«Обновить сейчас»', () => {
  it('a guest or organization staff cannot make the database gather the figures', async () => {
    await longAgo();
    const before = await refreshedAt();
    const guest = new TestClient(app.http, '198.51.100.200');
    const page = await guest.get('/login');
    const answer = await guest.post(REFRESH, { _csrf: csrfTokenOf(page.body) });
    expect(answer.status).toBe(303);
    expect(answer.location).toMatch(/^\/login\?next=/);
    const orgStaff = await staff('org_staff');
    const refused = await orgStaff.post(REFRESH, { _csrf: csrfTokenOf((await orgStaff.get('/staff')).body) });
    expect(refused.status).toBe(403);
    expect(await refreshedAt()).toBe(before);
  });

  it('needs the CSRF token of this browser and session: none, another browser’s or a guest’s does not pass', async () => {
    await longAgo();
    const before = await refreshedAt();
    const admin = await staff('municipal_admin');
    const other = await staff('municipal_admin');
    const guest = new TestClient(app.http, '198.51.100.201');
    const tokens = [
      undefined,
      '',
      csrfTokenOf((await other.get('/staff')).body),
      csrfTokenOf((await guest.get('/login')).body),
    ];
    for (const token of tokens) {
      const answer = await admin.post(REFRESH, token === undefined ? {} : { _csrf: token });
      expect(answer.status, String(token)).toBe(403);
      expect(answer.body).toContain('Форма устарела');
    }
    // A JSON body or a «cross-site» browser does not skip the token on a page's form either.
    const json = await app.http.inject({
      method: 'POST',
      url: REFRESH,
      headers: {
        cookie: [...admin.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
        'content-type': 'application/json',
      },
      payload: '{}',
    });
    expect(json.statusCode).toBe(403);
    expect(await refreshedAt()).toBe(before);
  });

  it('sends back to the programs report only: hostile filters never make the address point elsewhere', async () => {
    const admin = await staff('municipal_admin');
    const token = csrfTokenOf((await admin.get('/staff')).body);
    const hostile = [
      '//evil.example',
      'https://evil.example/',
      '/\\evil.example',
      '\\\\evil.example',
      'x\r\nLocation: https://evil.example',
      'x#@evil.example',
      'x?&next=https://evil.example',
      '%2F%2Fevil.example',
      'javascript:alert(1)',
    ];
    for (const value of hostile) {
      const answer = await admin.post(REFRESH, { _csrf: token, municipality: value, from: value, to: value });
      expect(answer.status, value).toBe(303);
      const location = answer.location!;
      expect(location, value).toMatch(/^\/staff\/reports\/programs(\?|$)/);
      expect(location, value).not.toMatch(/[\r\n\\#]/);
      const resolved = new URL(location, 'https://navigator.example');
      expect(resolved.origin, value).toBe('https://navigator.example');
      expect(resolved.pathname, value).toBe('/staff/reports/programs');
      expect(
        [...resolved.searchParams.keys()].every((key) => ['municipality', 'from', 'to'].includes(key)),
      ).toBe(true);
    }
    // Fields given twice (an array) or with names of their own do not reach the address.
    const twice = await admin.post(REFRESH, [
      ['_csrf', token],
      ['municipality', '1'],
      ['municipality', '//evil.example'],
      ['next', 'https://evil.example'],
    ]);
    expect(twice.location).toBe('/staff/reports/programs');
  });

  it('many presses at once gather the figures once, by any number of operators', async () => {
    // On a PostgreSQL server (TEST_DATABASE_URL) the presses really overlap: before the lock, 10 of these 12 each
    // refreshed the whole view one after another. PGlite runs one transaction at a time, so there it holds anyway.
    await longAgo();
    const operators = [
      await staff('municipal_admin'),
      await staff('municipal_admin'),
      await staff('coordinator'),
    ];
    const forms = await Promise.all(
      operators.map(async (client) => ({ client, token: csrfTokenOf((await client.get('/staff')).body) })),
    );
    const answers = await Promise.all(
      forms.flatMap(({ client, token }) =>
        Array.from({ length: 4 }, () => client.post(REFRESH, { _csrf: token })),
      ),
    );
    expect(answers.every((answer) => answer.status === 303)).toBe(true);
    const messages = answers.map(flashOf);
    expect(messages.filter((message) => message === DONE)).toHaveLength(1);
    expect(messages.filter((message) => message === SOON)).toHaveLength(answers.length - 1);
    // And right after, a press does nothing either.
    const again = await forms[0]!.client.post(REFRESH, { _csrf: forms[0]!.token });
    expect(flashOf(again)).toBe(SOON);
  });
});
