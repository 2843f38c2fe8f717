import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, testConfig } from '../../../tests/support/app.js';
import { textOf } from '../../../tests/support/client.js';
import { createTestDatabase } from '../../../tests/support/database.js';
import { createOpenGroup } from '../../../tests/support/enrolment.js';
import type { App } from '../../app.js';
import type { Database } from '../../platform/db/client.js';
import { organizations, type OrganizationCategory } from './schema.js';

/** The «Организации» list (page and API), an organization's page, and the map of organizations. */

let database: Database;
let app: App;
let mapless: App;
let arts: string;
let hostile: string;
const HOSTILE_NAME = 'Студия </script><script>alert(1)</script> <!-- «Ёж» & Co';

async function addOrganization(values: {
  shortName: string;
  category: OrganizationCategory;
  municipalityId?: number;
  coordinates?: boolean;
  website?: string;
}): Promise<string> {
  const [row] = await database.db
    .insert(organizations)
    .values({
      municipalityId: values.municipalityId ?? 1,
      name: `Муниципальное учреждение ${values.shortName}`,
      shortName: values.shortName,
      kind: 'Муниципальное бюджетное учреждение',
      category: values.category,
      address: `г. Смоленск, ул. Ленина, д. ${values.shortName.length}`,
      phone: '+7 4812 11-22-33',
      website: values.website ?? null,
      latitude: values.coordinates ? 54.78 : null,
      longitude: values.coordinates ? 32.04 : null,
    })
    .returning({ id: organizations.id });
  return row!.id;
}

/** The markers a page embeds for the map, as the browser's JSON.parse reads them; null when it has none. */
function markersOf(html: string): { name: string; href: string }[] | null {
  const json = /<script type="application\/json" class="map-markers">([\s\S]*?)<\/script>/.exec(html)?.[1];
  return json === undefined ? null : (JSON.parse(json) as { name: string; href: string }[]);
}

beforeAll(async () => {
  database = await createTestDatabase();
  app = await createTestApp(database);
  mapless = await createTestApp(database, { config: testConfig({ MAP_TILES_URL: '' }) });
  for (let n = 1; n <= 23; n++) {
    await addOrganization({ shortName: `Школа № ${String(n).padStart(2, '0')}`, category: 'school' });
  }
  arts = await addOrganization({
    shortName: 'Детская школа искусств «Ёлочка»',
    category: 'arts_school',
    municipalityId: 2,
    coordinates: true,
    website: 'https://elochka.example.ru',
  });
  hostile = await addOrganization({ shortName: HOSTILE_NAME, category: 'private', coordinates: true });
  await createOpenGroup(database.db, { organizationId: arts, programName: 'Акварель' });
  await createOpenGroup(database.db, { organizationId: arts, programName: 'Фортепиано' });
  await createOpenGroup(database.db, { organizationId: arts, programName: 'Черновик', status: 'draft' });
  await createOpenGroup(database.db, { organizationId: hostile, programName: 'Скалолазание' });
});
afterAll(async () => {
  await mapless.close();
  await app.close();
  await database.close();
});

describe('the «Организации» list', () => {
  it('lists organizations by name, 20 a page, with their kind, municipality and published programs', async () => {
    const page = await app.http.inject('/organizations');
    expect(page.statusCode).toBe(200);
    const text = textOf(page.body);
    expect(text).toContain('Найдено 25 организаций');
    expect(text).toContain('Страница 1 из 2');
    expect(text).toContain('Детская школа искусств «Ёлочка»');
    expect(text).toContain('Детская школа искусств (ДШИ)');
    expect(text).toContain('город Десногорск');
    expect(text).toContain('2 программы');
    expect(text).not.toContain('Школа № 23');
    expect(textOf((await app.http.inject('/organizations?page=2')).body)).toContain('Школа № 23');
  });

  it('filters by municipality, kind and words of the name (ё as е), together', async () => {
    const byMunicipality = textOf((await app.http.inject('/organizations?municipality=desnogorsk')).body);
    expect(byMunicipality).toContain('Найдено 1 организация');
    expect(byMunicipality).toContain('«Ёлочка»');
    const byKind = textOf((await app.http.inject('/organizations?category=school')).body);
    expect(byKind).toContain('Найдено 23 организации');
    expect(byKind).not.toContain('«Ёлочка»');
    const byName = textOf((await app.http.inject(`/organizations?q=${encodeURIComponent('елочка')}`)).body);
    expect(byName).toContain('Найдено 1 организация');
    const none = textOf(
      (await app.http.inject(`/organizations?q=${encodeURIComponent('елочка')}&category=school`)).body,
    );
    expect(none).toContain('Ничего не найдено');
    // LIKE's wildcards are letters to look for, not patterns.
    expect(textOf((await app.http.inject('/organizations?q=%25')).body)).toContain('Ничего не найдено');
  });

  it('drops filter values it does not know instead of failing', async () => {
    const page = await app.http.inject(
      '/organizations?municipality=atlantis&category=zoo&page=abc&q=' + 'x'.repeat(500),
    );
    expect(page.statusCode).toBe(200);
    expect(textOf(page.body)).toContain('Найдено 25 организаций');
  });

  it('sends a page past the end to the last page, the filters kept', async () => {
    const past = await app.http.inject('/organizations?category=school&page=99');
    expect(past.statusCode).toBe(303);
    expect(past.headers.location).toBe('/organizations?category=school&page=2');
    const single = await app.http.inject('/organizations?municipality=desnogorsk&page=5');
    expect(single.headers.location).toBe('/organizations?municipality=desnogorsk');
  });

  it('answers the same in /api/v1/organizations, allow-listed and documented', async () => {
    const answer = await app.http.inject('/api/v1/organizations?category=arts_school&municipality=nowhere');
    expect(answer.statusCode).toBe(200);
    const body = answer.json<{ items: Record<string, unknown>[]; total: number; pageCount: number }>();
    expect(body).toMatchObject({ total: 1, page: 1, pageCount: 1 });
    expect(body.items).toEqual([
      expect.objectContaining({
        id: arts,
        category: 'arts_school',
        municipality: 'город Десногорск',
        publishedPrograms: 2,
      }),
    ]);
    expect(body.items[0]).not.toHaveProperty('inn');
    const past = await app.http.inject('/api/v1/organizations?page=7');
    expect(past.json()).toMatchObject({ items: [], total: 25, page: 7, pageCount: 2 });
    const openapi = (await app.http.inject('/api/v1/openapi.json')).json<{
      paths: Record<string, { get?: { parameters?: { name: string }[] } }>;
    }>();
    expect(openapi.paths['/organizations']!.get!.parameters!.map((p) => p.name)).toEqual(
      expect.arrayContaining(['q', 'municipality', 'category', 'page']),
    );
  });
});

describe('an organization’s page', () => {
  it('lists its published programs with links, and its address, phone and site', async () => {
    const page = await app.http.inject(`/organizations/${arts}`);
    const text = textOf(page.body);
    expect(text).toContain('Программы (2)');
    expect(page.body).toMatch(/<a href="\/programs\/[0-9a-f-]{36}">Акварель<\/a>/);
    expect(text).toContain('Фортепиано');
    expect(text).not.toContain('Черновик');
    expect(text).toContain('г. Смоленск, ул. Ленина');
    expect(text).toContain('+7 4812 11-22-33');
    expect(page.body).toContain('href="https://elochka.example.ru"');
    expect(text).toContain('Детская школа искусств (ДШИ)');
  });
});

describe('the map', () => {
  it('embeds an organization’s marker as JSON that no name can break out of', async () => {
    const page = await app.http.inject(`/organizations/${hostile}`);
    expect(page.body).not.toContain('<script>alert(1)');
    expect(page.body).not.toContain('<!-- «Ёж»');
    const markers = markersOf(page.body);
    expect(markers).toEqual([
      expect.objectContaining({ name: HOSTILE_NAME, href: `/organizations/${hostile}` }),
    ]);
    // The script element holding them ends where the server meant it to.
    expect(page.body.split('</script>').length - 1).toBe(page.body.split(/<script\b/).length - 1);
  });

  it('marks the organizations of all the catalog’s results, fetched by the map and listed on a page', async () => {
    const page = await app.http.inject('/programs?municipality=all&page=1&sort=name');
    // The results page carries no markers (hundreds at scale): it says where they are, without page and order.
    expect(markersOf(page.body)).toBeNull();
    expect(page.body).toContain('aria-label="Карта: организации, где проходят найденные программы"');
    expect(page.body).toContain('data-markers-url="/api/v1/programs/places?municipality=all"');
    expect(page.body).toContain('<a href="/programs/places?municipality=all">Адреса организаций списком</a>');
    expect(page.body).toMatch(/data-script="\/static\/vendor\/leaflet\/leaflet\.js\?v=[0-9a-f]{12}"/);

    const api = await app.http.inject('/api/v1/programs/places?municipality=all');
    expect(api.statusCode).toBe(200);
    const answer = api.json<{ total: number; places: { name: string; href: string; note: string }[] }>();
    expect(answer.total).toBe(2);
    expect(answer.places.map((m) => m.href).sort()).toEqual(
      [`/organizations/${arts}`, `/organizations/${hostile}`].sort(),
    );
    const hostilePlace = answer.places.find((m) => m.href === `/organizations/${hostile}`)!;
    expect(hostilePlace.name).toBe(HOSTILE_NAME);
    expect(hostilePlace.note).toMatch(/^\d+ программ\S* из найденных$/);
    const filtered = (await app.http.inject('/api/v1/programs/places?municipality=all&q=акварель')).json<{
      places: { href: string }[];
    }>();
    expect(filtered.places.map((m) => m.href)).toEqual([`/organizations/${arts}`]);

    const list = await app.http.inject('/programs/places?municipality=all&q=акварель');
    expect(list.statusCode).toBe(200);
    expect(textOf(list.body)).toContain('Организации, где проходят найденные программы: 1 организация.');
    expect(list.body).toContain(`href="/organizations/${arts}"`);
    expect(list.body).not.toContain(`href="/organizations/${hostile}"`);
    expect(list.body).toContain(
      'href="/programs?municipality=all&amp;q=%D0%B0%D0%BA%D0%B2%D0%B0%D1%80%D0%B5%D0%BB%D1%8C"',
    );
    // A hostile name is text on the list page too.
    expect((await app.http.inject('/programs/places?municipality=all')).body).not.toContain(
      '<script>alert(1)',
    );

    // Nothing found: no map, an empty list that says so.
    expect((await app.http.inject('/programs?municipality=all&q=гобелен')).body).not.toContain('data-map');
    expect(
      (await app.http.inject('/api/v1/programs/places?municipality=all&q=гобелен')).json<{ total: number }>()
        .total,
    ).toBe(0);
    expect(textOf((await app.http.inject('/programs/places?municipality=all&q=гобелен')).body)).toContain(
      'По этому запросу не найдено организаций с адресом на карте.',
    );
  });

  it('lets the page load the tiles from the tile server and nothing else, and serves Leaflet from npm', async () => {
    const page = await app.http.inject('/programs?municipality=all');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("img-src 'self' data: https://tile.openstreetmap.org;");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("connect-src 'self';");
    const leaflet = await app.http.inject('/static/vendor/leaflet/leaflet.js');
    expect(leaflet.statusCode).toBe(200);
    expect(leaflet.body).toContain('Leaflet');
    expect((await app.http.inject('/static/vendor/leaflet/images/marker-icon.png')).statusCode).toBe(200);
    expect((await app.http.inject('/static/vendor/leaflet/../../package.json')).statusCode).toBe(404);
  });

  it('is not there when MAP_TILES_URL is empty: the lists only', async () => {
    for (const url of [`/organizations/${arts}`, '/programs?municipality=all']) {
      const page = await mapless.http.inject(url);
      expect(page.statusCode).toBe(200);
      expect(page.body).not.toContain('data-map');
      expect(page.body).not.toContain('leaflet');
      expect(markersOf(page.body)).toBeNull();
      expect(String(page.headers['content-security-policy'])).toContain("img-src 'self' data:;");
    }
    expect(textOf((await mapless.http.inject(`/organizations/${arts}`)).body)).toContain('г. Смоленск');
  });
});
