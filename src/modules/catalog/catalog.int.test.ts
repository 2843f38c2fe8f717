import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../tests/support/database.js';
import { createTestApp } from '../../../tests/support/app.js';
import { TestClient, textOf } from '../../../tests/support/client.js';
import { DEMO_PARENT } from '../accounts/service.js';
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
      expect.arrayContaining(['город Смоленск', 'город Десногорск', 'Ярцевский']),
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
    expect(page.body).toMatch(/свободно \d+ (место|места|мест) из \d+/);
    const [draft] = await database.db.select().from(programs).where(eq(programs.status, 'draft')).limit(1);
    expect((await app.http.inject(`/programs/${draft!.id}`)).statusCode).toBe(404);
    expect((await app.http.inject('/programs/not-a-uuid')).statusCode).toBe(404);
  });
});
