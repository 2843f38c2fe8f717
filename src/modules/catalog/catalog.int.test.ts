import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../tests/support/database.js';
import { createTestApp } from '../../../tests/support/app.js';
import { csrfTokenOf, TestClient, textOf } from '../../../tests/support/client.js';
import { DEMO_PARENT } from '../accounts/service.js';
import { sessions, users } from '../accounts/schema.js';
import { hashToken, randomToken } from '../../platform/security/tokens.js';
import type { App } from '../../app.js';
import { prepareDatabase } from '../../app.js';
import type { Database } from '../../platform/db/client.js';
import { createLogger } from '../../platform/logger.js';
import { organizations } from '../organizations/schema.js';
import { directions, municipalities, specializations } from '../reference/schema.js';
import { generateSyntheticCatalog, insertCatalog } from '../programs/generator.js';
import { programGroups, programs } from '../programs/schema.js';

let database: Database;
let app: App;
beforeAll(async () => {
  database = await createTestDatabase();
  await prepareDatabase(database, { demoData: true }, createLogger({ logLevel: 'silent', env: 'test' }));
  app = await createTestApp(database);
});
afterAll(async () => {
  await app.close();
  await database.close();
});

describe('reference and demo data', () => {
  it('has the 27 municipalities of Smolensk region and the 6 направленностей with specialisations', async () => {
    const rows = await database.db.select().from(municipalities);
    expect(rows).toHaveLength(27);
    expect(rows.map((m) => m.name)).toEqual(
      expect.arrayContaining(['город Смоленск', 'город Десногорск', 'Ярцевский муниципальный округ']),
    );
    expect(await database.db.select().from(directions)).toHaveLength(6);
    const [specializationCount] = await database.db.select({ n: count() }).from(specializations);
    expect(specializationCount!.n).toBeGreaterThanOrEqual(6 * 4);
  });

  it('spreads demo organizations over every municipality, with programs and groups', async () => {
    const perMunicipality = await database.db
      .select({ municipalityId: organizations.municipalityId, n: count() })
      .from(organizations)
      .groupBy(organizations.municipalityId);
    expect(perMunicipality).toHaveLength(27);
    const [published] = await database.db
      .select({ n: count() })
      .from(programs)
      .where(eq(programs.status, 'published'));
    expect(published!.n).toBeGreaterThan(100);
    const [groups] = await database.db.select({ n: count() }).from(programGroups);
    expect(groups!.n).toBeGreaterThan(published!.n);
  });

  it('has a confirmed demo parent who can sign in', async () => {
    const client = new TestClient(app.http);
    const response = await client.submit('/login', {
      email: DEMO_PARENT.email,
      password: DEMO_PARENT.password,
    });
    expect(response.location).toBe('/cabinet');
    expect(textOf((await client.follow(response)).body)).toContain('Смирнова Е. В.');
  });

  it('does not add the demo catalog twice on the next start', async () => {
    const [before] = await database.db.select({ n: count() }).from(programs);
    await prepareDatabase(database, { demoData: true }, createLogger({ logLevel: 'silent', env: 'test' }));
    const [after] = await database.db.select({ n: count() }).from(programs);
    expect(after!.n).toBe(before!.n);
  });

  it('generates a synthetic catalog of the requested size', async () => {
    const [before] = await database.db.select({ n: count() }).from(programs);
    const totals = await insertCatalog(database.db, generateSyntheticCatalog(250), { batchSize: 100 });
    expect(totals.programs).toBe(250);
    const [after] = await database.db.select({ n: count() }).from(programs);
    expect(after!.n - before!.n).toBe(250);
  });
});

describe('catalog pages', () => {
  it('finds «Робототехника» when typed with a typo', async () => {
    const response = await app.http.inject(`/programs?q=${encodeURIComponent('роботехника')}`);
    expect(response.statusCode).toBe(200);
    expect(response.body).toMatch(/Найдено \d+ программ/);
    expect(response.body).toContain('Робототехника для начинающих');
  });

  it('filters by направленность and municipality and pages the results', async () => {
    const response = await app.http.inject('/programs?direction=sport&municipality=smolensk');
    expect(response.body).toContain('<option value="sport" selected>Физкультурно-спортивная</option>');
    expect(response.body).toContain('Спортивная школа олимпийского резерва № 1');
    const places = [...response.body.matchAll(/<p class="result__meta">[^<]*· ([^<]*)<\/p>/g)].map(
      (m) => m[1],
    );
    expect(places.length).toBeGreaterThan(0);
    expect(new Set(places)).toEqual(new Set(['город Смоленск']));
    const all = await app.http.inject('/programs');
    expect(all.body).toContain('rel="next"');
    expect((await app.http.inject('/programs?page=2')).body).toContain('Страница 2 из');
  });

  it('says «Ничего не найдено» with suggestions, and ignores broken parameters', async () => {
    const none = await app.http.inject(`/programs?q=${encodeURIComponent('зщшгнекуцй')}`);
    expect(none.statusCode).toBe(200);
    expect(none.body).toContain('Ничего не найдено');
    const broken = await app.http.inject('/programs?page=-5&direction=%3Cscript%3E');
    expect(broken.statusCode).toBe(200);
    expect(broken.body).not.toContain('<script>');
  });

  it('shows a published program with its groups, and 404 for unknown or unpublished ones', async () => {
    const [program] = await database.db
      .select()
      .from(programs)
      .where(eq(programs.status, 'published'))
      .limit(1);
    const page = await app.http.inject(`/programs/${program!.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(program!.name);
    expect(page.body).toContain('Группы');
    expect(page.body).toMatch(/свободно \d+ из \d+ (места|мест)/);
    const [draft] = await database.db.select().from(programs).where(eq(programs.status, 'draft')).limit(1);
    expect((await app.http.inject(`/programs/${draft!.id}`)).statusCode).toBe(404);
    expect((await app.http.inject('/programs/not-a-uuid')).statusCode).toBe(404);
  });
});

describe('pages past the end and nonsense filters (issue 15)', () => {
  interface Answer {
    items: unknown[];
    total: number;
    page: number;
    pageCount: number;
  }
  const answerOf = async (url: string) => JSON.parse((await app.http.inject(url)).body) as Answer;
  const pageLine = (body: string) => /Страница (\d+) из (\d+)/.exec(body)?.slice(1).map(Number);

  it('sends a page past the end to the last page, keeping the other parameters', async () => {
    const first = await app.http.inject('/programs?municipality=all');
    const [, pages] = pageLine(first.body)!;
    expect(pages).toBeGreaterThan(1);
    for (const page of [pages! + 1, 999]) {
      const response = await app.http.inject(`/programs?municipality=all&page=${page}&sort=name`);
      expect(response.statusCode).toBe(303);
      expect(response.headers.location).toBe(`/programs?municipality=all&page=${pages}&sort=name`);
      // The same for the guest a second time (the answer is not cached as a page).
      expect((await app.http.inject(`/programs?municipality=all&page=${page}&sort=name`)).statusCode).toBe(
        303,
      );
    }
    const last = await app.http.inject(`/programs?municipality=all&page=${pages}`);
    expect(last.statusCode).toBe(200);
    expect(pageLine(last.body)).toEqual([pages, pages]);
  });

  it('sends page 2 of a one-page result to the first page, and shows nothing found without a page line', async () => {
    const query = `municipality=all&q=${encodeURIComponent('Робототехника для начинающих')}`;
    const answer = await answerOf(`/api/v1/programs?${query}`);
    expect(answer.total).toBeGreaterThan(0);
    expect(answer.pageCount).toBe(1);
    const one = await app.http.inject(`/programs?${query}&page=2`);
    expect(one.statusCode).toBe(303);
    expect(one.headers.location).toBe(`/programs?${new URLSearchParams(query).toString()}`);
    const none = await app.http.inject(`/programs?q=${encodeURIComponent('зщшгнекуцй')}&page=7`);
    expect(none.statusCode).toBe(200);
    expect(none.body).toContain('Ничего не найдено');
    expect(pageLine(none.body)).toBeUndefined();
  });

  it('answers a page past the end in the API with no items and the true totals', async () => {
    const first = await answerOf('/api/v1/programs?municipality=all');
    expect(first.pageCount).toBeGreaterThan(1);
    const past = await app.http.inject('/api/v1/programs?municipality=all&page=999');
    expect(past.statusCode).toBe(200);
    expect(JSON.parse(past.body) as Answer).toMatchObject({
      items: [],
      total: first.total,
      pageCount: first.pageCount,
      page: 999,
    });
  });

  it('drops an unknown direction, specialization, municipality or child and does not count them', async () => {
    const plain = await app.http.inject('/programs?municipality=all');
    const total = /Найдено (более )?(\d[\d\s]*) программ/.exec(textOf(plain.body))![2];
    for (const nonsense of [
      'direction=nonsense',
      'specialization=99999',
      'municipality=atlantis',
      'child=00000000-0000-4000-8000-000000000000',
      'financing=gold',
      'age=seven',
      'maxCost=lots',
      'format=teleport',
      'level=guru',
      'sort=random',
    ]) {
      const query = nonsense.startsWith('municipality') ? nonsense : `municipality=all&${nonsense}`;
      const response = await app.http.inject(`/programs?${query}`);
      expect(response.statusCode, nonsense).toBe(200);
      const text = textOf(response.body);
      expect(text, nonsense).toContain(`Найдено ${total}`);
      expect(text, nonsense).not.toMatch(/Фильтры \(\d+\)/);
      expect(response.body, nonsense).not.toContain('без направленности');
      expect(response.body, nonsense).not.toContain('без специализации');
    }
    const api = await answerOf('/api/v1/programs?municipality=all&specialization=99999');
    expect(api.total).toBe((await answerOf('/api/v1/programs?municipality=all')).total);
  });

  it('gives each signed-in parent their own page around the shared results, their municipality’s', async () => {
    // Both parents ask the same address; each is searched in their own municipality and sees only their name.
    const parent = async (municipalityId: number, lastName: string) => {
      const [user] = await database.db
        .insert(users)
        .values({
          email: `catalog-${municipalityId}@example.ru`,
          emailVerifiedAt: new Date(),
          passwordHash: 'not-used',
          lastName,
          firstName: 'Анна',
          phone: '+79000000000',
          municipalityId,
          applicantKind: 'parent',
        })
        .returning();
      const token = randomToken();
      await database.db.insert(sessions).values({
        tokenHash: hashToken(token),
        userId: user!.id,
        expiresAt: new Date(Date.now() + 3_600_000),
      });
      return async (url: string) => {
        const response = await app.http.inject({ url, cookies: { sid: token } });
        expect(response.statusCode).toBe(200);
        return response.body;
      };
    };
    const [smolensk, desnogorsk] = [await parent(1, 'Иванова'), await parent(2, 'Петрова')];
    for (let round = 0; round < 2; round++) {
      // The second round comes from the cache: still each one's own.
      const [first, second] = [await smolensk('/programs?page=1'), await desnogorsk('/programs?page=1')];
      expect(textOf(first)).toContain('Иванова');
      expect(textOf(first)).not.toContain('Петрова');
      expect(textOf(second)).toContain('Петрова');
      expect(textOf(second)).not.toContain('Иванова');
      expect(csrfTokenOf(first)).not.toBe(csrfTokenOf(second));
      expect(first).toContain('value="smolensk"');
      expect(second).toContain('value="desnogorsk"');
      const found = (html: string) => /<div class="catalog__found">[\s\S]*?<\/ul>/.exec(html)![0];
      expect(found(first)).not.toBe(found(second));
      expect(found(first)).not.toContain('Десногорск');
    }
    // The guest's page of the same address is the whole region's, and names no one.
    const guest = await app.http.inject('/programs?page=1');
    expect(textOf(guest.body)).not.toMatch(/Иванова|Петрова/);
  });
});
