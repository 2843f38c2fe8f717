import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.js';
import type { Database } from '../../platform/db/client.js';
import { createTestApp, testConfig } from '../../../tests/support/app.js';
import { TestClient, csrfTokenOf, textOf } from '../../../tests/support/client.js';
import { createTestDatabase } from '../../../tests/support/database.js';
import { createOpenGroup, createOrganization } from '../../../tests/support/enrolment.js';
import { signedInStaff } from '../../../tests/support/staff.js';
import { programs } from '../programs/schema.js';

/**
 * Attacker's review of the guests' program page kept in the page cache (c4578d7, ADR 0010): nothing of one browser
 * (its address, token, flash, low-vision settings, a signed-in user's name) reaches the kept page another guest
 * gets; headers and query strings cannot poison it; an archived program or organization is gone for guests at once.
 */

const PASSWORD = 'Кэш-страницы-программы-2026';
let database: Database;
let app: App;
let organizationId: string;
let seq = 0;

const staff = (role: 'coordinator' | 'municipal_admin' | 'org_staff') =>
  signedInStaff(app, database, role, { password: PASSWORD, organizationId, lastName: 'Кэшева' });

async function program(name: string, organization = organizationId) {
  const { programId } = await createOpenGroup(database.db, {
    organizationId: organization,
    programName: name,
  });
  return programId;
}

const guest = () => new TestClient(app.http, `198.51.100.${++seq}`);
/** A request of a browser that sends exactly these headers (no cookie jar). */
const raw = (url: string, headers: Record<string, string> = {}) =>
  app.http.inject({ method: 'GET', url, headers: { 'x-forwarded-for': '192.0.2.1', ...headers } });

beforeAll(async () => {
  database = await createTestDatabase();
  // A long time to live: only the invalidation can make a guest see a change.
  app = await createTestApp(database, { config: testConfig({ CATALOG_CACHE_SECONDS: '300' }) });
  await app.http.ready();
  organizationId = await createOrganization(database.db, 'Дом творчества «Кэш»');
});
afterAll(async () => {
  await app.close();
  await database.close();
});

describe("a guest's kept program page", () => {
  it("does not carry the first guest's address (its query string) to other guests", async () => {
    const id = await program('Кружок «Адрес»');
    // The first guest came from a letter whose link carried their address and a campaign tag.
    const first = await raw(`/programs/${id}?email=ivanova%40example.ru&utm_source=letter`);
    expect(first.statusCode).toBe(200);
    const second = await raw(`/programs/${id}`);
    expect(second.statusCode).toBe(200);
    expect(second.body).not.toContain('ivanova');
    expect(second.body).not.toContain('utm_source');
    // The «Версия для слабовидящих» link brings every guest back to the program's own page.
    expect(second.body).toContain(`href="/low-vision?back=%2Fprograms%2F${id}"`);
  });

  it('is one entry per program whatever the case of its id: no made-up spellings fill the cache', async () => {
    const id = await program('Кружок «Буквы»');
    expect(textOf((await raw(`/programs/${id}`)).body)).toContain('Кружок «Буквы»');
    await database.db.update(programs).set({ name: 'Кружок «Регистр»' }).where(eq(programs.id, id));
    // Another spelling of the same id is the same kept page (it was read again before: a new entry each time).
    const upper = await raw(`/programs/${id.toUpperCase()}`);
    expect(upper.statusCode).toBe(200);
    expect(textOf(upper.body)).toContain('Кружок «Буквы»');
  });

  it('is not poisoned by headers: a forged host, forwarded host or language does not reach other guests', async () => {
    const id = await program('Кружок «Заголовки»');
    const forged = await raw(`/programs/${id}`, {
      host: 'evil.example',
      'x-forwarded-host': 'evil.example',
      'x-forwarded-proto': 'http',
      'accept-language': 'en',
      referer: 'https://evil.example/phish',
      'x-original-url': '/staff',
    });
    expect(forged.statusCode).toBe(200);
    const next = await raw(`/programs/${id}`);
    expect(next.body).toBe(forged.body);
    expect(next.body).not.toContain('evil.example');
    expect(next.body).not.toContain('phish');
  });

  it("has no browser's token, flash or low-vision settings, and never a signed-in user's page", async () => {
    const id = await program('Кружок «Личное»');
    const url = `/programs/${id}`;
    // A signed-in coordinator opens it first: their page (name, sign-out form with their token) is not kept.
    const coordinator = await staff('coordinator');
    const theirs = await coordinator.get(url);
    expect(theirs.body).toContain('Кэшева');
    expect(theirs.body).toContain('name="_csrf"');
    // A guest with the low-vision version on and one with a flash message: their own pages, not kept.
    const lowVision = await raw(url, { cookie: 'low_vision=size%3D200%26scheme%3Dblue' });
    expect(lowVision.body).toContain('name="_csrf"');
    expect(lowVision.body).toContain('lv-panel');
    const flash = await raw(url, { cookie: `flash=${encodeURIComponent('Заявка Ивановой отправлена')}` });
    expect(textOf(flash.body)).toContain('Заявка Ивановой отправлена');
    // Every other guest: the shared page, with none of it.
    for (const response of [await raw(url), await raw(url), await guest().get(url)]) {
      const body = 'body' in response ? response.body : '';
      expect(body).not.toContain('Кэшева');
      expect(body).not.toContain('name="_csrf"');
      expect(body).not.toContain('lv-panel');
      expect(body).not.toContain('Ивановой');
      expect(body).toContain('Кружок «Личное»');
    }
    // The kept page sets no cookie of the first guest on the others.
    const kept = await raw(url);
    expect(kept.headers['set-cookie']).toBeUndefined();
  });

  it('is gone for guests at once when the provider or the moderator archives the program', async () => {
    const byProvider = await program('Кружок «В архив организацией»');
    const byModerator = await program('Кружок «В архив модератором»');
    for (const id of [byProvider, byModerator]) expect((await raw(`/programs/${id}`)).statusCode).toBe(200);

    const provider = await staff('org_staff');
    const archived = await provider.submit(
      `/staff/org/programs/${byProvider}`,
      {},
      `/staff/org/programs/${byProvider}/archive`,
    );
    expect(archived.status).toBe(303);
    expect((await raw(`/programs/${byProvider}`)).statusCode).toBe(404);

    const moderator = await staff('municipal_admin');
    const page = await moderator.get('/staff');
    const taken = await moderator.post(`/staff/moderation/${byModerator}/archive`, {
      _csrf: csrfTokenOf(page.body),
    });
    expect(taken.status).toBe(303);
    expect((await raw(`/programs/${byModerator}`)).statusCode).toBe(404);
    // Brought back as a draft by the provider: still not shown (a draft is not published).
    await provider.submit(
      `/staff/org/programs/${byProvider}`,
      {},
      `/staff/org/programs/${byProvider}/restore`,
    );
    expect((await raw(`/programs/${byProvider}`)).statusCode).toBe(404);
  });

  it("is gone for guests at once when the program's organization is archived", async () => {
    const elsewhere = await createOrganization(database.db, 'Клуб «Закрывается»');
    const id = await program('Кружок закрывающегося клуба', elsewhere);
    expect((await raw(`/programs/${id}`)).statusCode).toBe(200);
    const admin = await staff('municipal_admin');
    const answer = await admin.submit(
      `/staff/organizations/${elsewhere}`,
      { reason: 'Организация закрыта' },
      `/staff/organizations/${elsewhere}/archive`,
    );
    expect(answer.status).toBe(303);
    expect((await raw(`/programs/${id}`)).statusCode).toBe(404);
  });
});

describe('a kept program page that another process archived', () => {
  it('is forgotten once it expires, not served for ever while its rebuilds answer 404', async () => {
    // A second app on the same database, as another web process: a short time to live, and an archive it never
    // hears of (made by the first app, or straight in the database here).
    const other = await createTestApp(database, { config: testConfig({ CATALOG_CACHE_SECONDS: '1' }) });
    await other.http.ready();
    try {
      const id = await program('Кружок другого процесса');
      const open = (url = `/programs/${id}`) =>
        other.http.inject({ method: 'GET', url, headers: { 'x-forwarded-for': '192.0.2.2' } });
      expect((await open()).statusCode).toBe(200);
      await database.db.update(programs).set({ status: 'archived' }).where(eq(programs.id, id));
      await new Promise((resolve) => setTimeout(resolve, 1100));
      // The first request after the time to live may still get the old page while the rebuild runs (ADR 0010);
      // after that rebuild found no published program, guests get the 404.
      await open();
      await new Promise((resolve) => setTimeout(resolve, 50));
      for (let i = 0; i < 3; i++) expect((await open()).statusCode).toBe(404);
    } finally {
      await other.close();
    }
  });
});
