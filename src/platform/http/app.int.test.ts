import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../tests/support/database.js';
import { testConfig } from '../../../tests/support/app.js';
import { openDatabase, type Database } from '../db/client.js';
import { createLogger } from '../logger.js';
import { access } from './access.js';
import { buildHttpApp } from './app.js';
import type { FastifyInstance } from 'fastify';
import { freePort } from '../../../tests/support/smtp.js';
import { createChildrenService } from '../../modules/children/service.js';
import { createCatalogService } from '../../modules/catalog/service.js';
import { createReferenceService } from '../../modules/reference/service.js';
import { homeRoutes } from '../../modules/home/routes.js';
import { createCertificatesService } from '../../modules/certificates/service.js';

let database: Database;
let app: FastifyInstance;
beforeAll(async () => {
  database = await createTestDatabase();
  const config = testConfig();
  const services = {
    reference: createReferenceService(database.db),
    catalog: createCatalogService(database.db),
    children: createChildrenService({
      database,
      certificates: createCertificatesService({ database }),
      hasApplications: () => Promise.resolve(false),
    }),
  };
  app = await buildHttpApp({
    config,
    database,
    logger: createLogger(config),
    modules: [
      homeRoutes(services),
      (scope) => {
        scope.get('/boom', access('public'), () => {
          throw new Error('database exploded with personal data ivanova@example.ru');
        });
        scope.get('/plain', access('public'), () => 'ok');
        scope.get('/token', access('public'), (request) => [request.csrfToken, request.csrfToken].join(' '));
        scope.get('/api/v1/boom', access('public'), () => {
          throw new Error('api exploded');
        });
        // What drizzle throws when PostgreSQL drops the connection under a query.
        const lost = () =>
          new Error('Failed query: select 1', {
            cause: Object.assign(new Error('terminating connection due to administrator command'), {
              code: '57P01',
            }),
          });
        scope.get('/lost', access('public'), () => {
          throw lost();
        });
        scope.get('/api/v1/lost', access('public'), () => {
          throw lost();
        });
      },
    ],
  });
});
afterAll(async () => {
  await app.close();
  await database.close();
});

describe('pages', () => {
  it('serves the Russian home page with the header links, the search box and the 6 направленностей', async () => {
    const response = await app.inject('/');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    const html = response.body;
    expect(html).toMatch(/^<!doctype html><html lang="ru">/);
    expect(html).toContain('Навигатор дополнительного образования Смоленской области');
    expect(html).toMatch(/<a href="\/login">Вход<\/a>/);
    expect(html).toMatch(/<a class="button button--small" href="\/register">Регистрация<\/a>/);
    expect(html).toMatch(/<form class="search" action="\/programs" method="get" role="search">/);
    for (const direction of [
      'Техническая',
      'Естественнонаучная',
      'Физкультурно-спортивная',
      'Художественная',
      'Туристско-краеведческая',
      'Социально-гуманитарная',
    ]) {
      expect(html).toContain(`>${direction}</a>`);
    }
  });

  it('answers an unknown address with a Russian 404 page', async () => {
    const response = await app.inject('/no-such-page');
    expect(response.statusCode).toBe(404);
    expect(response.body).toContain('Страница не найдена');
  });

  it('answers a failure with a Russian 500 page that shows a request id and no details', async () => {
    const response = await app.inject({ url: '/boom', headers: { 'x-request-id': 'test-request-0001' } });
    expect(response.statusCode).toBe(500);
    expect(response.body).toContain('Извините, произошла ошибка на сервере');
    expect(response.body).toContain('test-request-0001');
    expect(response.body).not.toContain('exploded');
    expect(response.headers['x-request-id']).toBe('test-request-0001');
  });

  it('answers API failures with JSON', async () => {
    const response = await app.inject('/api/v1/boom');
    expect(response.statusCode).toBe(500);
    expect(response.json()).toMatchObject({ error: 'internal', message: 'Внутренняя ошибка сервера' });
    expect((await app.inject('/api/v1/nothing')).json()).toMatchObject({ error: 'not_found' });
  });
});

describe('a lost database connection', () => {
  it('answers with the Russian 503 page and Retry-After, not the 500 page', async () => {
    const response = await app.inject({ url: '/lost', headers: { 'x-request-id': 'test-request-0002' } });
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(response.body).toContain('Сервис временно недоступен');
    expect(response.body).toContain('test-request-0002');
    expect(response.body).not.toContain('administrator');
  });

  it('answers API calls with JSON code "unavailable"', async () => {
    const response = await app.inject('/api/v1/lost');
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({
      code: 'unavailable',
      message: 'Сервис временно недоступен, повторите запрос через минуту',
    });
  });
});

describe('security and caching', () => {
  it('sends a CSP without inline scripts and the usual protective headers', async () => {
    const { headers } = await app.inject('/');
    const csp = String(headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
    expect(headers['cache-control']).toBe('no-store');
  });

  it('sends the protective headers on every answer, a 404 included', async () => {
    for (const url of ['/', '/', '/no-such-page', '/plain']) {
      const { headers } = await app.inject(url);
      expect(String(headers['content-security-policy'])).toContain("default-src 'self'");
      expect(headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(headers['x-powered-by']).toBeUndefined();
    }
  });

  it('makes the CSRF token and its cookie only for an answer that uses the token, once', async () => {
    const plain = await app.inject('/plain');
    expect(plain.headers['set-cookie']).toBeUndefined();
    const made = await app.inject('/token');
    const cookies = ([] as string[]).concat(made.headers['set-cookie'] ?? []);
    expect(cookies).toHaveLength(1);
    const [first, second] = made.body.split(' ');
    expect(first).toMatch(/^[\w-]{20,}$/);
    expect(second).toBe(first);
    // The same browser (its cookie) gets the same token and no new cookie.
    const again = await app.inject({ url: '/token', headers: { cookie: cookies[0]!.split(';')[0]! } });
    expect(again.headers['set-cookie']).toBeUndefined();
    expect(again.body.split(' ')[0]).toBe(first);
  });

  it('serves static files with a content hash in the URL and a year of caching', async () => {
    const home = await app.inject('/');
    const css = /href="(\/static\/app\.css\?v=[0-9a-f]{12})"/.exec(home.body)?.[1];
    expect(css).toBeDefined();
    const response = await app.inject(css!);
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });
});

describe('health', () => {
  it('reports alive and ready', async () => {
    expect((await app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    expect((await app.inject('/readyz')).json()).toEqual({ status: 'ok' });
  });

  it('reports not ready while the database server cannot be reached, and stays alive', async () => {
    const config = testConfig();
    const unreachable = await openDatabase({
      kind: 'postgres',
      url: `postgres://navigator@127.0.0.1:${await freePort()}/navigator`,
    });
    const down = await buildHttpApp({
      config,
      database: unreachable,
      logger: createLogger(config),
      modules: [],
    });
    try {
      const ready = await down.inject('/readyz');
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toMatchObject({ status: 'unavailable', reason: 'database' });
      expect((await down.inject('/healthz')).statusCode).toBe(200);
    } finally {
      await down.close();
      await unreachable.close();
    }
  });
});

describe('route access rules', () => {
  it('refuses to start with a route that declares no access rule', async () => {
    const config = testConfig();
    await expect(
      buildHttpApp({
        config,
        database,
        logger: createLogger(config),
        modules: [
          (scope) => {
            scope.get('/forgotten', () => 'anyone?');
          },
        ],
      }),
    ).rejects.toThrow("Route GET /forgotten declares no access rule: register it with access('…')");
  });

  it('lists every route with its rule, static files included', () => {
    expect(app.routeAccess).toContainEqual({ method: 'GET', url: '/boom', access: 'public' });
    expect(app.routeAccess).toContainEqual({ method: 'GET', url: '/static/*', access: 'public' });
    expect(app.routeAccess.some((route) => route.method === 'HEAD')).toBe(false);
  });
});
