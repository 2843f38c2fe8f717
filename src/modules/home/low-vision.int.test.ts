import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../tests/support/app.js';
import { TestClient, csrfTokenOf } from '../../../tests/support/client.js';
import { createTestDatabase } from '../../../tests/support/database.js';
import type { App } from '../../app.js';
import type { Database } from '../../platform/db/client.js';

/** «Версия для слабовидящих» (ADR 0021): the settings form, the cookie, and guests' cached catalog pages. */

let database: Database;
let app: App;

beforeAll(async () => {
  database = await createTestDatabase();
  app = await createTestApp(database); // the catalog's guest cache is on (10 s) as in production
});
afterAll(async () => {
  await app.close();
  await database.close();
});

const htmlClass = (html: string) => /<html lang="ru"(?: class="([^"]*)")?>/.exec(html)?.[1];

async function switchedOn(settings: Record<string, string> = {}): Promise<TestClient> {
  const client = new TestClient(app.http);
  const response = await client.submit('/low-vision?back=/programs', { back: '/programs', ...settings });
  expect(response.status).toBe(303);
  expect(response.location).toBe('/programs');
  return client;
}

describe('the version for the visually impaired', () => {
  it('is offered in the header of every page, with the catalog, and is off by default', async () => {
    const page = await app.http.inject('/programs?q=%D1%82%D0%B0%D0%BD%D1%86%D1%8B');
    expect(page.body).toContain('href="/programs">Каталог</a>');
    expect(page.body).toContain(
      'href="/low-vision?back=%2Fprograms%3Fq%3D%25D1%2582%25D0%25B0%25D0%25BD%25D1%2586%25D1%258B">Версия для слабовидящих</a>',
    );
    expect(htmlClass(page.body)).toBeUndefined();
    expect(page.body).not.toContain('Настройки версии для слабовидящих');
  });

  it('is switched on by the settings form and applied to every page on the server', async () => {
    const client = await switchedOn({
      size: '200',
      scheme: 'white-on-black',
      spacing: 'wide',
      line: '2',
      images: 'off',
    });
    for (const url of ['/', '/programs', '/login', '/register', '/no-such-page']) {
      const page = await client.get(url);
      expect(htmlClass(page.body), url).toBe(
        'lv lv-size-200 lv-scheme-white-on-black lv-spacing-wide lv-line-2 lv-images-off',
      );
      expect(page.body).toContain('Настройки версии для слабовидящих');
      expect(page.body).toContain('Обычная версия');
      expect(page.body).not.toContain('>Версия для слабовидящих</a>');
    }
  });

  it('changes one setting from the panel, comes back with the panel open, and switches off', async () => {
    const client = await switchedOn();
    const catalog = await client.get('/programs?page=1');
    expect(htmlClass(catalog.body)).toContain('lv-size-150'); // the version starts larger than usual
    const changed = await client.post('/low-vision', {
      _csrf: csrfTokenOf(catalog.body),
      back: '/programs?page=1',
      set: 'scheme:blue',
    });
    expect(changed.status).toBe(303);
    expect(changed.location).toBe('/programs?page=1#low-vision-form');
    expect(htmlClass((await client.get('/programs?page=1')).body)).toBe(
      'lv lv-size-150 lv-scheme-blue lv-spacing-normal lv-line-normal lv-images-on',
    );

    // Bad values change nothing and never fail.
    const page = await client.get('/');
    for (const set of ['scheme:pink', 'size', ':', 'size:200:300', 'off:now']) {
      const response = await client.post('/low-vision', { _csrf: csrfTokenOf(page.body), back: '/', set });
      expect(response.status, set).toBe(303);
    }
    expect(htmlClass((await client.get('/')).body)).toContain('lv-scheme-blue');

    const off = await client.post('/low-vision', {
      _csrf: csrfTokenOf(page.body),
      back: '/cabinet',
      set: 'off',
    });
    expect(off.status).toBe(303);
    expect(off.location).toBe('/cabinet');
    expect(client.cookies.has('low_vision')).toBe(false);
    expect(htmlClass((await client.get('/')).body)).toBeUndefined();
  });

  it('goes back only to a page of this site', async () => {
    const client = new TestClient(app.http);
    const page = await client.get('/low-vision');
    for (const back of [
      'https://evil.example/',
      '//evil.example',
      '/\\evil.example',
      '/..//evil.example',
      'javascript:alert(1)',
    ]) {
      const response = await client.post('/low-vision', { _csrf: csrfTokenOf(page.body), back });
      expect(response.location, back).toBe('/');
    }
    const form = await client.get('/low-vision?back=//evil.example');
    expect(form.body).toContain('<input type="hidden" name="back" value="/"/>');
  });

  it('needs the form token', async () => {
    const client = new TestClient(app.http);
    await client.get('/');
    const response = await client.post('/low-vision', { size: '200' });
    expect(response.status).toBe(403);
    expect(client.cookies.has('low_vision')).toBe(false);
  });

  it('ignores a cookie it cannot read, never failing', async () => {
    for (const cookie of [
      'low_vision=garbage',
      'low_vision=%E0%A4%A',
      'low_vision=size%3D999%26scheme%3Dpink',
      `low_vision=${'a'.repeat(3000)}`,
      'low_vision=size=200;low_vision=size=150',
    ]) {
      for (const url of ['/', '/programs', '/low-vision']) {
        const response = await app.http.inject({ url, headers: { cookie } });
        expect(response.statusCode, `${cookie} ${url}`).toBe(200);
      }
    }
    const garbled = await app.http.inject({
      url: '/',
      headers: { cookie: 'low_vision=size%3D200%26line%3D7' },
    });
    expect(htmlClass(garbled.body)).toBe(
      'lv lv-size-200 lv-scheme-black-on-white lv-spacing-normal lv-line-normal lv-images-on',
    );
  });
});

describe('the guests’ catalog cache (ADR 0010) and the version', () => {
  it('never gives a guest with the version a page cached for the others, nor keeps theirs', async () => {
    const url = '/programs?q=%D1%80%D0%BE%D0%B1%D0%BE%D1%82';
    const plain = await app.http.inject(url); // now cached for guests
    expect(htmlClass(plain.body)).toBeUndefined();

    const client = await switchedOn({ size: '200', scheme: 'white-on-black' });
    const withVersion = await client.get(url);
    expect(htmlClass(withVersion.body)).toContain('lv-size-200 lv-scheme-white-on-black');
    expect(csrfTokenOf(withVersion.body)).toBeTruthy(); // the panel's form, this browser's token

    // A page built for the version is not remembered: the next plain guest gets the shared page, no token.
    const fresh = '/programs?q=%D1%82%D0%B0%D0%BD%D0%B5%D1%86';
    expect(htmlClass((await client.get(fresh)).body)).toContain('lv');
    const after = await app.http.inject(fresh);
    expect(htmlClass(after.body)).toBeUndefined();
    expect(after.body).not.toContain('name="_csrf"');
  });
});
