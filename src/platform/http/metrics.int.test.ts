import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.js';
import { createTestApp, testConfig } from '../../../tests/support/app.js';
import { createTestDatabase } from '../../../tests/support/database.js';
import type { Database } from '../db/client.js';
import { createLogger } from '../logger.js';
import { renderEmail } from '../mail/template.js';
import { buildHttpApp } from './app.js';

const TOKEN = 'metrics-token-metrics-token-metrics-token';

describe('/metrics', () => {
  let database: Database;
  let app: App;
  let withoutToken: FastifyInstance;
  beforeAll(async () => {
    database = await createTestDatabase();
    app = await createTestApp(database, { config: testConfig({ METRICS_TOKEN: TOKEN }) });
    const config = testConfig();
    withoutToken = await buildHttpApp({ config, database, logger: createLogger(config), modules: [] });
  });
  afterAll(async () => {
    await withoutToken.close();
    await app.close();
    await database.close();
  });

  const scrape = (authorization?: string) =>
    app.http.inject({ url: '/metrics', headers: authorization ? { authorization } : {} });

  it('does not exist without METRICS_TOKEN', async () => {
    const answer = await withoutToken.inject({
      url: '/metrics',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(answer.statusCode).toBe(404);
  });

  it('answers 401 without the token, with another one, or with the token not as a bearer', async () => {
    for (const authorization of [
      undefined,
      'Bearer wrong',
      `Bearer ${TOKEN}x`,
      TOKEN,
      `Basic ${TOKEN}`,
      `Bearer ${'x'.repeat(10_000)}`,
    ]) {
      const answer = await scrape(authorization);
      expect(answer.statusCode, authorization?.slice(0, 20)).toBe(401);
      expect(answer.headers['www-authenticate']).toBe('Bearer realm="metrics"');
      expect(answer.body).not.toContain('navigator_');
    }
  });

  it('shows requests by route pattern, the queue by kind, letters, the pool and the event loop', async () => {
    await app.http.inject({ url: '/healthz' });
    const id = randomUUID();
    await app.http.inject({ url: `/api/v1/applications/${id}` });
    await app.http.inject({ url: `/no-such-page-${id}` });
    // A letter queued (no worker runs here): the mail queue has one waiting.
    await app.mailer.send(
      database.sql,
      renderEmail(
        'parent@example.ru',
        { subject: 'Проверка', paragraphs: ['Текст'] },
        'http://navigator.test',
      ),
    );

    const answer = await scrape(`Bearer ${TOKEN}`);
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['content-type']).toContain('text/plain');
    expect(answer.headers['cache-control']).toBe('no-store');
    const text = answer.body;
    expect(text).toMatch(
      /navigator_http_request_duration_seconds_count\{method="GET",route="\/healthz",status="200"\} 1/,
    );
    expect(text).toContain('route="/api/v1/applications/:id",status="401"');
    expect(text).toContain('route="unmatched",status="404"');
    // Patterns only: an id or a made-up URL never becomes a series of its own.
    expect(text).not.toContain(id);
    expect(text).toMatch(/navigator_jobs_waiting\{kind="mail\.send"\} 1/);
    expect(text).toMatch(/navigator_jobs_oldest_waiting_seconds\{kind="mail\.send"\} \d/);
    expect(text).toMatch(/navigator_jobs_failed\{kind="applications\.notify"\} 0/);
    // The outbox of notices (ADR 0051) beside the queues: nothing due here.
    expect(text).toMatch(/navigator_jobs_waiting\{kind="applications\.notices"\} 0/);
    expect(text).toMatch(/navigator_jobs_oldest_waiting_seconds\{kind="applications\.notices"\} 0/);
    expect(text).toMatch(/navigator_letters_sent 0/);
    expect(text).toMatch(/navigator_letters_failed 0/);
    expect(text).toMatch(/navigator_database_up 1/);
    expect(text).toContain('navigator_nodejs_eventloop_lag_seconds');
    // Every series the Grafana dashboard draws is one the app gives.
    const dashboard = fs.readFileSync(
      new URL('../../../docs/ops/grafana-dashboard.json', import.meta.url),
      'utf8',
    );
    const drawn = new Set(
      [...dashboard.matchAll(/navigator_[a-z0-9_]+/g)].map(([name]) =>
        name.replace(/_(bucket|count|sum)$/, ''),
      ),
    );
    for (const name of drawn)
      if (!name.startsWith('navigator_db_pool')) expect(text, name).toContain(`# TYPE ${name} `);
    if (database.kind === 'postgres') {
      expect(text).toMatch(/navigator_db_pool_connections\{state="in_use"\} \d/);
      expect(text).toMatch(/navigator_db_pool_waiting 0/);
    }
  });
});
