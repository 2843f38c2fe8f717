/**
 * npm run bench:catalog — how fast the public catalog answers under load, and how heavy its page is.
 *
 * Real parts only: a PostgreSQL server (BENCH_DATABASE_URL, default `navigator_bench_catalog` on
 * 127.0.0.1:5432) seeded with 100,000 programs and about 300,000 groups by the same generator as
 * `npm run db:seed`; the app in production mode as its own process (`tsx src/server.ts`); autocannon with
 * 50 connections of guests cycling through a fixed mix of 20 query shapes (text with morphology and typos,
 * filters, deep pages, a program page, the JSON API) for 30 s after a warm-up, then the same mix for 20
 * connections of signed-in parents (their own sessions, two children each, Smolensk as their municipality).
 * Goals: guests p95 < 30 ms, signed-in p95 < 50 ms; a catalog page (HTML + CSS + JS) < 60 KB.
 *
 *   npm run bench:catalog                      # seeds once, reuses the seeded database on later runs
 *   npm run bench:catalog -- --reseed --programs 100000 --connections 50 --signed-in-connections 20 --duration 30
 *   npm run bench:catalog -- --no-cache   # every request searches and renders (no page or answer cache)
 *   npm run bench:catalog -- --port 3901  # the app's port, when another process has 3900
 */
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { sql } from 'drizzle-orm';
import { queryRows, type Database } from '../src/platform/db/client.js';
import { hashToken, randomToken } from '../src/platform/security/tokens.js';
import { benchAppEnv, countOf as countRows, openCatalogDatabase } from './support.js';

const { values } = parseArgs({
  options: {
    programs: { type: 'string', default: '100000' },
    connections: { type: 'string', default: '50' },
    duration: { type: 'string', default: '30' },
    reseed: { type: 'boolean', default: false },
    /** Measure with the guest page cache off (ADR 0010): every request searches and renders. */
    'no-cache': { type: 'boolean', default: false },
    /** The app's port (another process on this machine may have the default). */
    port: { type: 'string', default: '3900' },
    /** Connections of signed-in parents (each its own session), measured after the guests'. */
    'signed-in-connections': { type: 'string', default: '20' },
  },
});
const programCount = Number(values.programs);
const connections = Number(values.connections);
const signedInConnections = Number(values['signed-in-connections']);
const duration = Number(values.duration);
const PORT = Number(values.port);

const databaseUrl =
  process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/navigator_bench_catalog';
const database = await openCatalogDatabase(databaseUrl, { programs: programCount, reseed: values.reseed });
const countOf = (table: string) => countRows(database, table);
// The seeding (and migrations) rewrite every program once when they summarise its groups; compact the tables
// and refresh the planner's statistics, as a long-running server's autovacuum would have done.
await queryRows(database.db, sql`vacuum full analyze programs, program_groups, search_terms`);
const [published] = await queryRows(
  database.db,
  sql`select id from programs where status = 'published' order by id limit 1 offset 1000`,
);
console.log(
  `catalog: ${await countOf('programs')} programs, ${await countOf('program_groups')} groups, ${await countOf('organizations')} organizations, ${await countOf('search_terms')} search terms`,
);
const sessionCookies = await createParents(database, Math.max(signedInConnections, 1));
await database.close();

const server = spawn('npx', ['tsx', 'src/server.ts'], {
  env: {
    ...process.env,
    ...benchAppEnv({ databaseUrl, smtpUrl: 'smtp://127.0.0.1:2599', port: PORT }),
    DEMO_DATA: 'false',
    CATALOG_CACHE_SECONDS: values['no-cache'] ? '0' : '10',
  },
  stdio: ['ignore', 'inherit', 'inherit'],
  detached: true,
});
const base = `http://127.0.0.1:${PORT}`;
for (let attempt = 0; ; attempt++) {
  try {
    if ((await fetch(`${base}/readyz`)).ok) break;
  } catch {
    // not listening yet
  }
  if (attempt > 120) throw new Error('the app did not start');
  await new Promise((resolve) => setTimeout(resolve, 500));
}

const q = (text: string) => encodeURIComponent(text);
const SHAPES = [
  '/programs',
  '/programs?municipality=smolensk',
  `/programs?q=${q('робототехника')}`,
  `/programs?q=${q('роботехника')}`,
  `/programs?q=${q('танцы')}&municipality=smolensk`,
  '/programs?direction=sport&municipality=vyazma',
  '/programs?age=7&open=1',
  '/programs?financing=certificate&maxCost=1500',
  `/programs?q=${q('шахматы')}&sort=start`,
  '/programs?sort=start&municipality=smolensk',
  '/programs?page=5&municipality=smolensk',
  '/programs?page=50',
  '/programs?ovz=1&municipality=smolensk',
  '/programs?level=advanced&format=remote',
  `/programs?q=${q('кружок рисования')}`,
  '/programs?specialization=101',
  `/api/v1/programs?q=${q('футбол')}&municipality=all`,
  `/programs/${String(published!.id)}`,
  `/programs?q=${q('программирование python')}&age=12`,
  '/programs?direction=art&open=1&sort=name&page=2',
];

// Every shape must answer 200 before we time anything, for a guest and for a signed-in parent.
for (const path of SHAPES) {
  for (const cookie of [undefined, sessionCookies[0]!]) {
    const response = await fetch(base + path, { headers: cookie ? { cookie } : {} });
    if (response.status !== 200) throw new Error(`${path} answered ${response.status}`);
    const body = await response.text();
    if (cookie && path.startsWith('/programs') && !body.includes('Выйти')) {
      throw new Error(`${path} did not answer as a signed-in page`);
    }
  }
}

/** Closed loop: `clients` connections, each with the next parent's session when `signedIn`. */
async function load(seconds: number, clients: number, signedIn: boolean) {
  const latencies: number[] = [];
  let next = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: base,
        connections: clients,
        duration: seconds,
        requests: SHAPES.map((path) => ({ method: 'GET' as const, path })),
        ...(signedIn
          ? {
              setupClient: (client: autocannon.Client) =>
                client.setHeaders({ cookie: sessionCookies[next++ % sessionCookies.length]! }),
            }
          : {}),
      },
      (error, done) => (error ? reject(error as Error) : resolve(done)),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
  latencies.sort((a, b) => a - b);
  const percentile = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)]!;
  return { result, latencies, percentile };
}

const ms = (value: number) => `${value.toFixed(1)} ms`;
const cacheNote = values['no-cache'] ? 'caches off' : 'caches on (10 s)';
let failed = false;
const audiences = [
  { name: 'guests', clients: connections, signedIn: false, goal: 30 },
  { name: 'signed-in parents', clients: signedInConnections, signedIn: true, goal: 50 },
];
const figures: string[] = [];
for (const audience of audiences) {
  console.log(`${audience.name}: warming up for 10 s…`);
  await load(10, audience.clients, audience.signedIn);
  console.log(
    `${audience.name}: measuring ${audience.clients} connections, ${duration} s, ${SHAPES.length} query shapes, ${cacheNote}`,
  );
  const { result, latencies, percentile } = await load(duration, audience.clients, audience.signedIn);
  const errors = result.non2xx + result.errors + result.timeouts;
  if (errors > 0) failed = true;
  const p95 = percentile(95);
  figures.push(
    `${audience.name} (${audience.clients} connections): ${latencies.length} requests (${result['2xx']} × 2xx, ${errors} errors/non-2xx/timeouts), ${(latencies.length / duration).toFixed(0)} requests/s, p50 ${ms(percentile(50))}, p95 ${ms(p95)}, p99 ${ms(percentile(99))}, max ${ms(latencies.at(-1)!)}; goal p95 < ${audience.goal} ms: ${p95 < audience.goal ? 'met' : 'NOT met'}`,
  );
}

// The weight of a catalog page as a browser loads it.
const page = await fetch(`${base}/programs?municipality=smolensk`);
const html = await page.text();
const assets = [...html.matchAll(/(?:href|src)="(\/static\/[^"]+\.(?:css|js)\?v=\w+)"/g)].map((m) => m[1]!);
let assetBytes = 0;
for (const asset of assets) assetBytes += (await (await fetch(base + asset)).arrayBuffer()).byteLength;
const htmlBytes = Buffer.byteLength(html);
// What the map loads once it comes near the screen (platform/views/map.tsx): Leaflet and the markers.
const later = [...html.matchAll(/data-(?:script|stylesheet|markers-url)="([^"]+)"/g)].map((m) =>
  m[1]!.replaceAll('&amp;', '&'),
);
let laterBytes = 0;
for (const url of later) laterBytes += (await (await fetch(base + url)).arrayBuffer()).byteLength;

// Let requests that autocannon abandoned at the end finish before the app stops.
await new Promise((resolve) => setTimeout(resolve, 2000));
process.kill(-server.pid!, 'SIGTERM');

for (const line of figures) console.log(line);
console.log(
  `catalog page: ${htmlBytes} B HTML + ${assetBytes} B CSS/JS (${assets.length} files) = ${((htmlBytes + assetBytes) / 1024).toFixed(1)} KB, uncompressed`,
);
console.log(htmlBytes + assetBytes < 60 * 1024 ? 'goal page < 60 KB: met' : 'goal page < 60 KB: NOT met');
console.log(
  `the map, when scrolled to: ${laterBytes} B more (${later.length} files: Leaflet's script and stylesheet, the markers)`,
);
process.exit(failed ? 1 : 0);

/** Signed-in parents of Smolensk with two children each and a session each (created directly, no sign-in). */
async function createParents(db: Database, count: number): Promise<string[]> {
  await queryRows(db.db, sql`delete from users where email like 'catalog-bench-%@example.ru'`);
  const cookies: string[] = [];
  for (let n = 0; n < count; n++) {
    const [user] = await queryRows(
      db.db,
      sql`insert into users (email, email_verified_at, password_hash, last_name, first_name, phone, municipality_id, applicant_kind)
          values (${`catalog-bench-${n}@example.ru`}, now(), 'bench-parents-sign-in-by-session', 'Родитель',
                  'Нагрузочный', '+79000000000', 1, 'parent')
          returning id`,
    );
    await queryRows(
      db.db,
      sql`insert into children (owner_user_id, last_name, first_name, birth_date, sex, document_type, document_series,
                                document_number, document_issued_at, document_issued_by, municipality_id,
                                registration_address, identity_key, data_status)
          select ${String(user!.id)}, 'Нагрузочный', 'Ребёнок' || k, date '2015-01-01' + k * 700, 'male',
                 'birth_certificate', 'I-МП', '2000' || k, '2015-02-01', 'ЗАГС', 1, 'г. Смоленск',
                 'catalog-bench|' || ${String(user!.id)} || '|' || k, 'confirmed'
            from generate_series(1, 2) as k`,
    );
    const token = randomToken();
    await queryRows(
      db.db,
      sql`insert into sessions (token_hash, user_id, expires_at) values (${hashToken(token)}, ${String(user!.id)}, now() + interval '1 day')`,
    );
    cookies.push(`__Host-sid=${token}`);
  }
  return cookies;
}
