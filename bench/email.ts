/**
 * npm run bench:email — how long from «Зарегистрироваться» to the letter accepted by an SMTP server.
 *
 * Real parts only: the app in production mode on a PostgreSQL server (BENCH_DATABASE_URL, default a fresh
 * `navigator_bench` database on 127.0.0.1:5432), its job worker in the same process as in `npm start`,
 * and an SMTP server on loopback. Each registration is a real HTTP form post from its own client address
 * (X-Forwarded-For, as behind the region's proxy). Goal: p99 < 2 s.
 *
 *   npm run bench:email -- --registrations 300 --concurrency 5
 */
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createApp, prepareDatabase } from '../src/app.js';
import { loadConfig } from '../src/platform/config.js';
import { openDatabase } from '../src/platform/db/client.js';
import { createLogger } from '../src/platform/logger.js';
import { smtpTransport } from '../src/platform/mail/transport.js';
import { SmtpSink } from '../tests/support/smtp.js';
import { benchAppEnv } from './support.js';

const { values } = parseArgs({
  options: {
    registrations: { type: 'string', default: '300' },
    concurrency: { type: 'string', default: '5' },
  },
});
const total = Number(values.registrations);
const concurrency = Number(values.concurrency);

const databaseUrl = process.env.BENCH_DATABASE_URL ?? (await freshDatabase('navigator_bench'));
const sink = await SmtpSink.start();
// Behind the region's proxy, as in production: each registration comes from the address in its X-Forwarded-For
// (without it all 300 came from 127.0.0.1, and the per-address limit refused all but the first 20).
const config = loadConfig({
  ...benchAppEnv({ databaseUrl, smtpUrl: sink.url, port: 0 }),
  TRUST_PROXY: 'loopback',
});
const logger = createLogger(config);
const database = await openDatabase({ kind: 'postgres', url: databaseUrl, poolSize: 20 });
await prepareDatabase(database, config, logger);
const app = await createApp({
  config,
  database,
  logger,
  runWorker: true,
  mailTransport: smtpTransport(sink.url),
});
const address = await app.http.listen({ port: 0, host: '127.0.0.1' });

const run = Date.now();
const started = new Map<string, number>();
let failures = 0;

async function registerOne(index: number): Promise<void> {
  const ip = `10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}`;
  const form = await fetch(`${address}/register`, { headers: { 'x-forwarded-for': ip } });
  const html = await form.text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  const cookie = (form.headers.getSetCookie?.() ?? []).map((line) => line.split(';')[0]).join('; ');
  const email = `bench-${run}-${index}@example.ru`;
  const body = new URLSearchParams({
    _csrf: csrf,
    municipalityId: String((index % 27) + 1),
    lastName: 'Петрова',
    firstName: 'Мария',
    phone: '+7 900 000-00-00',
    email,
    password: 'Нагрузочный-тест-2026',
    passwordRepeat: 'Нагрузочный-тест-2026',
    applicantKind: 'parent',
    consent: 'yes',
  });
  started.set(email, Date.now());
  const response = await fetch(`${address}/register`, {
    method: 'POST',
    body,
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, 'x-forwarded-for': ip },
  });
  if (response.status !== 303) failures++;
}

const wallStart = Date.now();
let next = 0;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < total) await registerOne(next++);
  }),
);
const requestsDone = Date.now();
const deadline = Date.now() + 60_000;
while (sink.arrivals.size < total - failures && Date.now() < deadline)
  await new Promise((r) => setTimeout(r, 50));

const latencies = [...started]
  .map(([email, at]) =>
    sink.arrivals.has(email) ? sink.arrivals.get(email)! - at : Number.POSITIVE_INFINITY,
  )
  .sort((a, b) => a - b);
const percentile = (p: number) =>
  latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)]!;
const delivered = latencies.filter(Number.isFinite).length;

console.log(`registrations: ${total} (concurrency ${concurrency}), form posts failed: ${failures}`);
console.log(`letters accepted by SMTP: ${delivered} of ${total}`);
console.log(
  `requests took ${((requestsDone - wallStart) / 1000).toFixed(1)} s (${Math.round(total / ((requestsDone - wallStart) / 1000))} registrations/s)`,
);
console.log(
  `registration → letter accepted: p50 ${percentile(50)} ms, p95 ${percentile(95)} ms, p99 ${percentile(99)} ms, max ${latencies.at(-1)} ms`,
);
console.log(percentile(99) < 2000 ? 'goal p99 < 2 s: met' : 'goal p99 < 2 s: NOT met');

await app.close();
await database.close();
await sink.stop();
process.exit(percentile(99) < 2000 && delivered === total ? 0 : 1);

async function freshDatabase(name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  await admin.end();
  return `postgres://postgres@127.0.0.1:5432/${name}`;
}
