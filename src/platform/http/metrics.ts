import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import client from 'prom-client';
import type { Database } from '../db/client.js';
import type { OutboxRelay } from '../jobs/queue.js';
import type { Logger } from '../logger.js';
import { MAIL_JOB_NAME } from '../mail/mailer.js';
import { access } from './access.js';

/**
 * `/metrics` in Prometheus' text format (ADR 0030): request latency by route pattern and status, the job queue
 * by kind (read from pg-boss' tables and the outboxes at each scrape, so it is the same whichever process handles the jobs),
 * letters handed over and failed, the database pool, and Node's own figures (event-loop lag, memory, GC).
 * Only with METRICS_TOKEN set, and only for a request that carries it as a bearer token.
 */
export function registerMetrics(
  app: FastifyInstance,
  {
    token,
    database,
    logger,
    outboxes = [],
  }: {
    token: string;
    database: Database;
    logger: Logger;
    outboxes?: Pick<OutboxRelay, 'name' | 'backlog'>[];
  },
) {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: 'navigator_' });

  const requests = new client.Histogram({
    name: 'navigator_http_request_duration_seconds',
    help: 'Time from the request to the answer, by route pattern (not URL) and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  app.addHook('onResponse', (request, reply, done) => {
    // The pattern (`/programs/:id`), never the URL itself: a bounded set of series whatever clients ask for.
    const route = request.routeOptions.url ?? 'unmatched';
    requests.observe(
      { method: request.method, route, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    done();
  });

  const gauge = (name: string, help: string, labelNames: string[] = []) =>
    new client.Gauge({ name, help, labelNames, registers: [registry] });
  const jobsWaiting = gauge('navigator_jobs_waiting', 'Jobs due and not yet taken, by kind', ['kind']);
  const jobsOldest = gauge(
    'navigator_jobs_oldest_waiting_seconds',
    'How long the oldest due job of a kind has waited (0: none waiting)',
    ['kind'],
  );
  const jobsScheduled = gauge(
    'navigator_jobs_scheduled',
    'Jobs not due yet (retries after their delay, offer deadlines), by kind',
    ['kind'],
  );
  const jobsActive = gauge('navigator_jobs_active', 'Jobs being handled now, by kind', ['kind']);
  const jobsFailed = gauge(
    'navigator_jobs_failed',
    'Jobs that used up their retries (kept a week, then a week in the archive), by kind',
    ['kind'],
  );
  const lettersSent = gauge(
    'navigator_letters_sent',
    'Letters handed over to the SMTP server in the last 30 days, all processes (mail_deliveries keeps 30 days)',
  );
  const lettersFailed = gauge(
    'navigator_letters_failed',
    'Letters whose every attempt failed (failed mail jobs): an operator must look (npm run jobs)',
  );
  const databaseUp = gauge('navigator_database_up', '1 when the last scrape could read the database');
  const pool = gauge('navigator_db_pool_connections', 'This process’ database connections', ['state']);
  const poolWaiting = gauge(
    'navigator_db_pool_waiting',
    'Queries of this process waiting for a free database connection',
  );

  async function refresh() {
    const stats = database.poolStats?.();
    if (stats) {
      pool.set({ state: 'in_use' }, stats.inUse);
      pool.set({ state: 'idle' }, stats.idle);
      poolWaiting.set(stats.waiting);
    }
    try {
      const { rows } = await database.sql.executeSql(SCRAPE_JOBS);
      for (const row of rows) {
        const kind = { kind: String(row.name) };
        jobsWaiting.set(kind, Number(row.waiting));
        jobsScheduled.set(kind, Number(row.scheduled));
        jobsActive.set(kind, Number(row.active));
        jobsFailed.set(kind, Number(row.failed));
        jobsOldest.set(kind, Number(row.oldest));
      }
      // An outbox's due rows are waiting work of its kind, as a queue's jobs are (ADR 0051).
      for (const outbox of outboxes) {
        const { waiting, oldestSeconds } = await outbox.backlog();
        jobsWaiting.set({ kind: outbox.name }, waiting);
        jobsOldest.set({ kind: outbox.name }, oldestSeconds);
      }
      const [letters] = (await database.sql.executeSql(SCRAPE_LETTERS, [MAIL_JOB_NAME])).rows;
      lettersSent.set(Number(letters?.sent ?? 0));
      lettersFailed.set(Number(letters?.failed ?? 0));
      databaseUp.set(1);
    } catch (error) {
      // The figures of this process are still worth scraping while the database is away.
      logger.warn({ err: error }, 'metrics: the database could not be read');
      databaseUp.set(0);
    }
  }

  const expected = digest(`Bearer ${token}`);
  app.get('/metrics', access('public'), async (request: FastifyRequest, reply: FastifyReply) => {
    const given = request.headers.authorization;
    if (typeof given !== 'string' || !timingSafeEqual(digest(given), expected)) {
      return reply
        .status(401)
        .header('www-authenticate', 'Bearer realm="metrics"')
        .type('text/plain; charset=utf-8')
        .send('Нужен токен METRICS_TOKEN в заголовке Authorization: Bearer …');
    }
    await refresh();
    return reply
      .header('cache-control', 'no-store')
      .type(registry.contentType)
      .send(await registry.metrics());
  });
}

/** Equal-length digests, so that comparing them takes the same time whatever was sent. */
const digest = (value: string) => createHash('sha256').update(value).digest();

// Every queue, also the empty ones (a series that disappears looks like a broken scrape). Completed jobs are
// not read: the partial conditions keep this to the live part of the table.
const SCRAPE_JOBS = `
  select q.name,
         count(j.id) filter (where j.state in ('created', 'retry') and j.start_after <= now())::int as waiting,
         count(j.id) filter (where j.state in ('created', 'retry') and j.start_after > now())::int as scheduled,
         count(j.id) filter (where j.state = 'active')::int as active,
         count(j.id) filter (where j.state = 'failed')::int
           + (select count(*)::int from pgboss.archive a where a.name = q.name and a.state = 'failed') as failed,
         coalesce(extract(epoch from now() - min(j.start_after)
                    filter (where j.state in ('created', 'retry') and j.start_after <= now())), 0)::float8 as oldest
    from pgboss.queue q
    left join pgboss.job j on j.name = q.name and j.state in ('created', 'retry', 'active', 'failed')
   group by q.name`;

const SCRAPE_LETTERS = `
  select (select count(*)::int from mail_deliveries) as sent,
         (select count(*)::int from pgboss.job where name = $1 and state = 'failed')
           + (select count(*)::int from pgboss.archive where name = $1 and state = 'failed') as failed`;
