import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.js';
import type { Database } from '../../platform/db/client.js';
import { createTestApp, testConfig } from '../../../tests/support/app.js';
import { TestClient, csrfTokenOf, textOf } from '../../../tests/support/client.js';
import { createTestDatabase } from '../../../tests/support/database.js';
import { createOpenGroup, createOrganization } from '../../../tests/support/enrolment.js';
import { createStaffAccount } from '../accounts/service.js';
import { programs } from '../programs/schema.js';
import { indexSearchTerms } from '../programs/search-index.js';

/**
 * The coordinator's related words (ADR 0022): who may keep them, what the form refuses (with every message at
 * once and the values kept), and that a change reaches guests' cached catalog pages at once (ADR 0010).
 */

const PASSWORD = 'Сотрудник-навигатора-67';
let database: Database;
let app: App;
let programId: string;
const clients: Record<'coordinator' | 'admin' | 'guest', TestClient> = {} as never;

async function staff(name: string, role: 'coordinator' | 'municipal_admin') {
  const email = `${name}@synonyms.example.ru`;
  await createStaffAccount(database, {
    role,
    ...(role === 'municipal_admin' ? { municipalityId: 1 } : {}),
    email,
    password: PASSWORD,
    lastName: 'Сотрудникова',
    firstName: 'Анна',
  });
  const client = new TestClient(app.http, `203.0.113.${name === 'coordinator' ? 61 : 62}`);
  expect((await client.submit('/login', { email, password: PASSWORD })).status).toBe(303);
  return client;
}

/** The id of an entry from the list page's link. */
async function idOf(term: string): Promise<string> {
  const list = await clients.coordinator.get('/staff/search-synonyms');
  const match = new RegExp(`href="/staff/search-synonyms/(\\d+)">${term}<`).exec(list.body);
  expect(match, `an entry for «${term}»`).not.toBeNull();
  return match![1]!;
}

beforeAll(async () => {
  database = await createTestDatabase();
  // A long time to live: only the invalidation can make a guest see the change.
  app = await createTestApp(database, { config: testConfig({ CATALOG_CACHE_SECONDS: '300' }) });
  await app.http.ready();
  const organizationId = await createOrganization(database.db);
  ({ programId } = await createOpenGroup(database.db, {
    organizationId,
    programName: 'Мастерская акварели',
  }));
  await indexSearchTerms(database.db, [programId]);
  clients.coordinator = await staff('coordinator', 'coordinator');
  clients.admin = await staff('admin', 'municipal_admin');
  clients.guest = new TestClient(app.http, '203.0.113.63');
});

afterAll(async () => {
  await app?.close();
  await database?.close();
});

describe('the search synonyms page', () => {
  it('lists the starting set to the coordinator and to nobody else', async () => {
    const page = await clients.coordinator.get('/staff/search-synonyms');
    expect(page.status).toBe(200);
    expect(textOf(page.body)).toContain('рисунок, живопись, ИЗО, изобразительное');
    expect(page.body.match(/href="\/staff\/search-synonyms\/\d+"/g)!.length).toBeGreaterThanOrEqual(25);
    expect((await clients.admin.get('/staff/search-synonyms')).status).toBe(403);
    const guest = await clients.guest.get('/staff/search-synonyms');
    expect(guest.status).toBe(303);
    expect(guest.location).toMatch(/^\/login/);
  });

  it('refuses bad input with every message at once and keeps the values', async () => {
    const answer = await clients.coordinator.submit('/staff/search-synonyms', {
      term: 'два слова',
      related: '',
    });
    expect(answer.status).toBe(400);
    const text = textOf(answer.body);
    expect(text).toContain('Одно слово из букв и цифр, без пробелов и знаков');
    expect(text).toContain('Введите хотя бы одно связанное слово');
    expect(answer.body).toContain('value="два слова"');

    const database_checks = await clients.coordinator.submit('/staff/search-synonyms', {
      term: 'для',
      related: 'рисунок, ой',
    });
    expect(database_checks.status).toBe(400);
    expect(textOf(database_checks.body)).toContain('Это слово поиск пропускает');
    expect(textOf(database_checks.body)).toContain('Поиск пропускает: «ой»');

    // «рисования» is the same word as the seeded «рисование» to the search.
    const duplicate = await clients.coordinator.submit('/staff/search-synonyms', {
      term: 'Рисования',
      related: 'графика',
    });
    expect(duplicate.status).toBe(400);
    expect(textOf(duplicate.body)).toContain('Для этого слова уже есть запись: «рисование»');

    const tooMany = await clients.coordinator.submit('/staff/search-synonyms', {
      term: 'слово',
      related: Array.from({ length: 21 }, (_, index) => `слово${index}`).join(', '),
    });
    expect(tooMany.status).toBe(400);
    expect(textOf(tooMany.body)).toContain('Не больше 20 связанных слов');
  });

  it('a new entry, an edit and a deletion change a guest’s and a signed-in user’s cached results at once', async () => {
    // A guest's page is kept whole (ADR 0010), a signed-in user's answer and its found part (ADR 0031).
    const guest = async () => textOf((await clients.guest.get('/programs?q=кисточка')).body);
    const signedIn = async () =>
      textOf((await clients.admin.get('/programs?q=кисточка&municipality=all')).body);
    const search = async () => {
      const [asGuest, asUser] = [await guest(), await signedIn()];
      expect(asUser.includes('Ничего не найдено')).toBe(asGuest.includes('Ничего не найдено'));
      expect(asUser.includes('Мастерская акварели')).toBe(asGuest.includes('Мастерская акварели'));
      return asGuest;
    };
    expect(await search()).toContain('Ничего не найдено'); // now cached for five minutes

    const added = await clients.coordinator.submit('/staff/search-synonyms', {
      term: ' Кисточка ',
      related: 'акварель,  гуашь',
    });
    expect(added.status).toBe(303);
    expect(await search()).toContain('Мастерская акварели');

    const id = await idOf('кисточка');
    const form = await clients.coordinator.get(`/staff/search-synonyms/${id}`);
    expect(form.body).toContain('акварель, гуашь');
    const edited = await clients.coordinator.post(`/staff/search-synonyms/${id}`, {
      _csrf: csrfTokenOf(form.body),
      term: 'кисточка',
      related: 'гуашь',
    });
    expect(edited.status).toBe(303);
    expect(await search()).toContain('Ничего не найдено');

    const badEdit = await clients.coordinator.post(`/staff/search-synonyms/${id}`, {
      _csrf: csrfTokenOf(form.body),
      term: '',
      related: 'акварель',
    });
    expect(badEdit.status).toBe(400);
    expect(textOf(badEdit.body)).toContain('Введите слово, которое набирают родители');

    const deleted = await clients.coordinator.post(`/staff/search-synonyms/${id}/delete`, {
      _csrf: csrfTokenOf(form.body),
    });
    expect(deleted.status).toBe(303);
    expect((await clients.coordinator.get(`/staff/search-synonyms/${id}`)).status).toBe(404);
  });

  it('answers «не найдено» for entries that do not exist and ids that are not numbers', async () => {
    for (const id of ['999', 'abc', '1.5', '99999999999']) {
      expect((await clients.coordinator.get(`/staff/search-synonyms/${id}`)).status).toBe(404);
    }
    const list = await clients.coordinator.get('/staff/search-synonyms');
    const answer = await clients.coordinator.post('/staff/search-synonyms/999/delete', {
      _csrf: csrfTokenOf(list.body),
    });
    expect(answer.status).toBe(404);
  });

  it('refuses a form without its CSRF token', async () => {
    const answer = await clients.coordinator.post('/staff/search-synonyms', {
      term: 'кисть',
      related: 'акварель',
    });
    expect(answer.status).toBe(403);
  });
});

describe('a program page', () => {
  it('is kept for guests until the catalog changes, read afresh for a signed-in user, and 404 when unknown', async () => {
    const url = `/programs/${programId}`;
    const first = await clients.guest.get(url);
    expect(first.status).toBe(200);
    expect(textOf(first.body)).toContain('Мастерская акварели');
    expect(first.body).not.toContain('name="_csrf"'); // the same page for every guest
    // Renamed behind the app's back: the guest is still shown the kept page, the signed-in user the new name.
    await database.db.update(programs).set({ name: 'Мастерская гуаши' }).where(eq(programs.id, programId));
    expect(textOf((await clients.guest.get(url)).body)).toContain('Мастерская акварели');
    expect(textOf((await clients.guest.get(`${url}?made-up=1`)).body)).toContain('Мастерская акварели');
    expect(textOf((await clients.admin.get(url)).body)).toContain('Мастерская гуаши');
    // A change of the catalog (here a related word) forgets the guests' pages at once.
    const added = await clients.coordinator.submit('/staff/search-synonyms', {
      term: 'гуашь',
      related: 'краски',
    });
    expect(added.status).toBe(303);
    expect(textOf((await clients.guest.get(url)).body)).toContain('Мастерская гуаши');

    const unknown = await clients.guest.get('/programs/00000000-0000-4000-8000-000000000000');
    expect(unknown.status).toBe(404);
    expect((await clients.guest.get('/programs/not-an-id')).status).toBe(404);
  });
});
