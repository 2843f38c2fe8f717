/**
 * `npm run bench:rush` — the enrolment rush: signed-in parents fire applications through the HTTP API at
 * 50 groups × 20 places (the children with last year's finished applications), then the database is checked
 * (oversold groups, acknowledged-but-missing applications, duplicates, queue order), every letter is awaited at
 * an SMTP sink, and `pgbench -N` runs on the same server.
 *
 * Real parts only: a PostgreSQL server (BENCH_DATABASE_URL, default `navigator_bench_rush` on 127.0.0.1),
 * the app in production mode as its own process (with its job worker sending every letter to an SMTP sink on
 * loopback), HTTP over loopback. It adapts to the server it finds: the client count is cut to what
 * `max_connections` leaves free (pgbench opens one connection per client), and it never asks to change settings.
 *
 * Closed loop (default): --clients N connections (autocannon), each sending its next application as soon as the
 * last one is answered; pgbench -N runs with the same N clients and with the app's pool size, and the ratio is
 * taken to the best of the two. Open loop: --rate 300 --duration 60 sends applications at a fixed arrival rate,
 * whatever the answers, and prints the latency percentiles (from each application's due moment) and the time until
 * every letter of the run was accepted by SMTP. Options: --clients 70 --duration 30 --groups 50 --places 20
 * --pool 20 --parents (default: enough for every application to be a new one) --skip-pgbench --port --smtp-port;
 * --before-run-sql runs a statement on the bench's own database before the rush, to measure what a part costs;
 * --worker-process runs the jobs (notices, letters) in `src/worker.ts` beside the web process, as compose.yaml does.
 *
 * Where the CPU went (bench/cpu.ts, when PostgreSQL runs on this machine): per application during the run, per
 * letter after it, per pgbench transaction; and the floor (closed loop, --skip-floor to leave it out): the same
 * client count against Fastify and pg alone (floor-server.ts), below which no design of the app can go here.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { ensureReferenceData } from '../src/modules/reference/service.js';
import { openDatabase, queryRows, type Database } from '../src/platform/db/client.js';
import { runMigrations } from '../src/platform/db/migrate.js';
import { hashToken, randomToken } from '../src/platform/security/tokens.js';
import { createOpenGroup, createOrganization } from '../tests/support/enrolment.js';
import { describeCpu, measureCpu, type CpuUse } from './cpu.js';
import { benchAppEnv } from './support.js';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '70' },
    duration: { type: 'string' },
    rate: { type: 'string' },
    groups: { type: 'string', default: '50' },
    places: { type: 'string', default: '20' },
    pool: { type: 'string', default: '20' },
    parents: { type: 'string' },
    'children-per-parent': { type: 'string', default: '4' },
    'skip-pgbench': { type: 'boolean', default: false },
    /** Without the floor: Fastify and pg alone, 2 reads and an insert per request (floor-server.ts). */
    'skip-floor': { type: 'boolean', default: false },
    /** The jobs (notices, letters) in a worker process of their own, as compose.yaml deploys them. */
    'worker-process': { type: 'boolean', default: false },
    'letters-timeout': { type: 'string', default: '180' },
    /** A what-if: SQL run on the bench's own database before the rush (drop a constraint, an index); printed. */
    'before-run-sql': { type: 'string' },
    port: { type: 'string', default: '3901' },
    'smtp-port': { type: 'string', default: '2601' },
  },
});
const rate = values.rate ? Number(values.rate) : null;
const duration = Number(values.duration ?? (rate ? 60 : 30));
const groupCount = Number(values.groups);
const places = Number(values.places);
const poolSize = Number(values.pool);
const childrenPerParent = Number(values['children-per-parent']);
const PORT = Number(values.port);
const SMTP_PORT = Number(values['smtp-port']);
const workerProcess = values['worker-process'];
/** The separate worker's pool (src/worker.ts): its jobs take batches, a few connections are enough. */
const WORKER_POOL = 10;

const databaseUrl =
  process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/navigator_bench_rush';
// The bench drops and recreates its database (and `<name>_pgbench`): never one that is not a bench's own.
if (!/^\/navigator_bench/.test(new URL(databaseUrl).pathname)) {
  console.error('BENCH_DATABASE_URL must name a database of its own whose name starts with navigator_bench');
  process.exit(2);
}
const pgbenchUrl = new URL(databaseUrl);
pgbenchUrl.pathname = `${pgbenchUrl.pathname}_pgbench`;
const pgbenchDatabase = pgbenchUrl.pathname.slice(1);

// ---- What the server allows: pgbench needs one connection per client next to everybody else's.
const pgServer = await serverFacts();
const BENCH_OWN = 8;
const free = pgServer.maxConnections - pgServer.reserved - pgServer.inUse - BENCH_OWN - 5;
const requestedClients = Number(values.clients);
const clients = Math.max(1, Math.min(requestedClients, free));
if (clients < requestedClients)
  console.log(
    `the server allows ${pgServer.maxConnections} connections (${pgServer.reserved} reserved, ${pgServer.inUse} in use): ` +
      `${clients} clients instead of ${requestedClients}`,
  );
if (poolSize + (workerProcess ? WORKER_POOL : 0) > free) {
  console.error(`the app's pool of ${poolSize} does not fit in the ${free} free connections; use --pool`);
  process.exit(2);
}
const pgbenchCounts = [...new Set([clients, Math.min(poolSize, clients)])];

// Every application must be a new (child, group) pair: enough parents for the run at the expected pace.
const expected = rate ? rate * duration : 3000 * duration;
const parentCount = Number(
  values.parents ?? Math.max(clients, Math.ceil((expected * 1.2) / (childrenPerParent * groupCount))),
);

// ---- A fresh database with the groups and the signed-in parents.
await recreateDatabase(databaseUrl);
const database = await openDatabase({ kind: 'postgres', url: databaseUrl, poolSize: BENCH_OWN });
await runMigrations(database);
await ensureReferenceData(database.db);
const organizationId = await createOrganization(database.db, 'Дворец творчества (нагрузочный тест)');
const groupIds: string[] = [];
for (let i = 0; i < groupCount; i++)
  groupIds.push(
    (await createOpenGroup(database.db, { organizationId, capacity: places, groupName: `Группа ${i + 1}` }))
      .groupId,
  );
console.log(
  `creating ${parentCount} parents with ${childrenPerParent} children each, certificates and sessions…`,
);
const families = await createParents(database, parentCount, childrenPerParent);
await seedLastYear(database, organizationId);
const beforeRunSql = values['before-run-sql'];
if (beforeRunSql) {
  console.log(`a what-if, before the rush: ${beforeRunSql}`);
  await database.sql.executeSql(beforeRunSql, []);
}
await queryRows(database.db, sql`analyze`);

// ---- The app in production mode, its letters going to a sink on loopback.
// Letters by Message-ID (the mail job's id): a copy sent again after a retry is counted once, and shown.
const letterIds = new Set<string>();
let lettersReceived = 0;
let copies = 0;
let lastLetterAt = 0;
const sink = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onData(stream, _session, callback) {
    let head = '';
    stream.on('data', (chunk: Buffer) => {
      if (head.length < 4096) head += chunk.toString('latin1');
    });
    stream.on('end', () => {
      const id = /^Message-ID:\s*(\S+)/im.exec(head)?.[1] ?? `unnamed-${letterIds.size}`;
      if (letterIds.has(id)) copies++;
      else {
        letterIds.add(id);
        lettersReceived++;
        lastLetterAt = Date.now();
      }
      callback();
    });
  },
});
await new Promise<void>((resolve) => sink.listen(SMTP_PORT, '127.0.0.1', resolve));
const appEnv = {
  ...process.env,
  ...benchAppEnv({ databaseUrl, smtpUrl: `smtp://127.0.0.1:${SMTP_PORT}`, port: PORT }),
  DATABASE_POOL_SIZE: String(poolSize),
  DEMO_DATA: 'false',
  RUN_JOBS_IN_WEB: workerProcess ? 'false' : (process.env.RUN_JOBS_IN_WEB ?? 'true'),
};
const nodeFlags = process.env.BENCH_NODE_FLAGS?.split(' ') ?? [];
const server = spawn('npx', ['tsx', ...nodeFlags, 'src/server.ts'], {
  env: appEnv,
  stdio: ['ignore', 'inherit', 'inherit'],
  detached: true,
});
const worker = workerProcess
  ? spawn('npx', ['tsx', ...nodeFlags, 'src/worker.ts'], {
      env: { ...appEnv, DATABASE_POOL_SIZE: String(WORKER_POOL) },
      stdio: ['ignore', 'inherit', 'inherit'],
      detached: true,
    })
  : null;
// The app runs in a process group of its own (the worker too): neither may outlive the bench, whatever ends it.
process.on('exit', () => {
  for (const child of [server, worker]) {
    try {
      if (child) process.kill(-child.pid!, 'SIGTERM');
    } catch {
      // already stopped
    }
  }
});
const base = `http://127.0.0.1:${PORT}`;
await waitUntilReady(base, 'the app');
/** The app's process groups (each child runs in a group of its own), for where the CPU went. */
const appGroups = [server.pid!, ...(worker ? [worker.pid!] : [])];

// ---- The rush: parents take turns, each applying with each child to the groups in turn.
interface Acknowledged {
  id: string;
  childId: string;
  groupId: string;
  status: string;
  queuePlace: number | null;
}
const acknowledged: Acknowledged[] = [];
const statuses = new Map<number, number>();
const latencies: number[] = [];
let nextTurn = 0;
let errors = 0;
let timeouts = 0;

/** The next parent's next (child, group): each parent starts at a different group, as real ones click different «Записаться». */
function nextApplication() {
  const turn = nextTurn++;
  const family = families[turn % families.length]!;
  const round = Math.floor(turn / families.length);
  const childId = family.childIds[round % family.childIds.length]!;
  const groupId = groupIds[(family.index + Math.floor(round / family.childIds.length)) % groupIds.length]!;
  return { token: family.token, childId, groupId };
}

function record(status: number, body: string, pending: { childId: string; groupId: string }) {
  statuses.set(status, (statuses.get(status) ?? 0) + 1);
  if (status !== 201) return;
  const answer = JSON.parse(body) as { id: string; status: string; queuePlace: number | null };
  acknowledged.push({ childId: pending.childId, groupId: pending.groupId, ...answer });
}

const loadBefore = os.loadavg();
console.log(
  rate
    ? `rush, open loop: ${rate} applications/s for ${duration} s, ${groupCount} groups × ${places} places`
    : `rush, closed loop: ${clients} connections, ${groupCount} groups × ${places} places, ${duration} s`,
);
const started = Date.now();
const appCpu = measureCpu(appGroups);
if (rate) await openLoop(rate, duration);
else await closedLoop();
const elapsed = (Date.now() - started) / 1000;
const appCpuUse = appCpu.end();
// The letters still due at the end of the run go out now, with nothing else to do: their own cost.
const lettersAtRunEnd = lettersReceived;
const drainCpu = measureCpu(appGroups);
const runEnded = Date.now();
const loadDuring = os.loadavg();

// ---- Every letter of the run accepted by the SMTP sink (one per status change).
// Requests the closed loop cut off at its end may still be filed: the count of letters due is taken again.
// Last year's events (seedLastYear) are a year old and not due.
const countEvents = async () =>
  Number(
    (
      await queryRows(
        database.db,
        sql`select count(*)::int as n from application_events where created_at > now() - interval '1 day'`,
      )
    )[0]!.n,
  );
let lettersDue = await countEvents();
const lettersDeadline = runEnded + Number(values['letters-timeout']) * 1000;
while ((workerProcess || process.env.RUN_JOBS_IN_WEB !== 'false') && Date.now() < lettersDeadline) {
  if (lettersReceived >= lettersDue && (lettersDue = await countEvents()) <= lettersReceived) break;
  await new Promise((r) => setTimeout(r, 200));
}
const lettersAfterRun = lettersReceived >= lettersDue ? Math.max(0, lastLetterAt - runEnded) / 1000 : null;
const drainCpuUse = drainCpu.end();
const lettersDrained = lettersReceived - lettersAtRunEnd;

// ---- What the database says.
const checks = await checkDatabase(database, acknowledged);
for (const child of [server, worker]) {
  if (!child) continue;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(-child.pid!, 'SIGTERM');
  await exited;
}
sink.close();
await database.close();

latencies.sort((a, b) => a - b);
const percentile = (p: number) =>
  latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)] ?? NaN;
const appsPerSecond = acknowledged.length / elapsed;

// ---- pgbench -N on the same server for the same time: with the app's client count and with its pool size.
const tps = new Map<number, { tps: number; cpu: CpuUse | null; transactions: number }>();
let floor: { requestsPerSecond: number; requests: number; cpu: CpuUse | null } | null = null;
if ((!values['skip-pgbench'] || !values['skip-floor']) && !rate) {
  const pgbench = findPgbench();
  await recreateDatabase(pgbenchUrl.toString());
  const connection = [
    '-h',
    pgbenchUrl.hostname,
    '-p',
    pgbenchUrl.port || '5432',
    '-U',
    pgbenchUrl.username || 'postgres',
  ];
  const init = spawnSync(pgbench, [...connection, '-i', '-q', '-s', '10', pgbenchDatabase], {
    encoding: 'utf8',
  });
  if (init.status !== 0) throw new Error(`pgbench -i failed: ${init.stderr}`);
  for (const count of values['skip-pgbench'] ? [] : pgbenchCounts) {
    console.log(`${pgbench} -N -c ${count} -j 2 -T ${duration}…`);
    const cpu = measureCpu([]);
    const run = spawnSync(
      pgbench,
      [...connection, '-N', '-n', '-c', String(count), '-j', '2', '-T', String(duration), pgbenchDatabase],
      { encoding: 'utf8' },
    );
    if (run.status !== 0) throw new Error(`pgbench failed: ${run.stderr}`);
    tps.set(count, {
      tps: Number(/tps = ([\d.]+)/.exec(run.stdout)?.[1]),
      cpu: cpu.end(),
      transactions: Number(/actually processed: (\d+)/.exec(run.stdout)?.[1]),
    });
  }
  if (!values['skip-floor']) floor = await runFloor(pgbenchUrl.toString());
  await dropDatabase(pgbenchUrl.toString());
}

const ms = (value: number) => `${value.toFixed(1)} ms`;
const count = (status: number) => statuses.get(status) ?? 0;
const load = (l: number[]) => l.map((v) => v.toFixed(2)).join(' ');
console.log('');
console.log(
  `machine: ${os.cpus().length} cores, load average ${load(loadBefore)} before the run, ${load(loadDuring)} at its end`,
);
console.log(
  `requests: ${latencies.length}; answers: ${[...statuses].map(([s, n]) => `${n} × ${s}`).join(', ')}; errors ${errors}, timeouts ${timeouts}`,
);
console.log(
  `applications acknowledged (201): ${acknowledged.length} in ${elapsed.toFixed(1)} s = ${appsPerSecond.toFixed(0)} applications/s`,
);
console.log(
  `  of them holding a place: ${acknowledged.filter((a) => a.status !== 'queued').length}, queued: ${acknowledged.filter((a) => a.status === 'queued').length}`,
);
console.log(
  `latency${rate ? " (from each application's due moment)" : ''}: p50 ${ms(percentile(50))}, p95 ${ms(percentile(95))}, p99 ${ms(percentile(99))}, max ${ms(latencies.at(-1) ?? NaN)}`,
);
console.log(`oversold groups: ${checks.oversold}`);
console.log(`acknowledged but missing: ${checks.missing}`);
console.log(`duplicates: ${checks.duplicates}`);
console.log(`queue order broken: ${checks.queueOrderBroken} groups (places told vs. places by arrival)`);
console.log(
  `letters: ${lettersReceived} of ${lettersDue} status changes accepted by the SMTP sink (${copies} copies)` +
    (lettersAfterRun === null
      ? ` (NOT all within ${values['letters-timeout']} s after the run)`
      : `, the last ${lettersAfterRun.toFixed(1)} s after the run ended`),
);
if (appCpuUse) console.log(`  during the run: ${describeCpu(appCpuUse, acknowledged.length, 'application')}`);
if (drainCpuUse && lettersDrained > 100)
  console.log(
    `  after the run, ${lettersDrained} letters with their notices: ${describeCpu(drainCpuUse, lettersDrained, 'letter')}`,
  );
let goalsMet = true;
/** pgbench's best throughput of this run; null when pgbench did not run. */
const bestTps = tps.size > 0 ? Math.max(...[...tps.values()].map((run) => run.tps)) : null;
for (const [n, run] of tps) {
  console.log(`pgbench -N: ${run.tps.toFixed(0)} tps with ${n} clients`);
  if (run.cpu) console.log(`  ${describeCpu(run.cpu, run.transactions, 'transaction', false)}`);
}
if (floor) {
  console.log(
    `floor, Fastify and pg alone (2 reads and an insert per request, ${clients} connections): ` +
      `${floor.requestsPerSecond.toFixed(0)} requests/s` +
      (bestTps ? ` = ${(floor.requestsPerSecond / bestTps).toFixed(2)} of pgbench's best` : ''),
  );
  if (floor.cpu) console.log(`  ${describeCpu(floor.cpu, floor.requests, 'request')}`);
}
if (bestTps) {
  const ratio = appsPerSecond / bestTps;
  console.log(
    `ratio applications/s ÷ pgbench's best tps: ${ratio.toFixed(2)} (goal ≥ 0.3: ${ratio >= 0.3 ? 'met' : 'NOT met'})`,
  );
}
if (rate) {
  const p99Met = percentile(99) < 250;
  const lettersMet = lettersAfterRun !== null && lettersAfterRun <= 120;
  goalsMet = p99Met && lettersMet;
  console.log(`goal p99 < 250 ms: ${p99Met ? 'met' : 'NOT met'}`);
  console.log(`goal every letter within 120 s after the run: ${lettersMet ? 'met' : 'NOT met'}`);
}
const healthy =
  checks.oversold === 0 && checks.missing === 0 && checks.duplicates === 0 && checks.queueOrderBroken === 0;
console.log(healthy ? 'integrity: OK' : 'integrity: FAILED');
console.log(goalsMet ? '' : '(speed goals are reported, not enforced: the exit code reflects integrity)');
// 5xx answers are failures; 4xx would be a bench bug (every request is valid and unique).
process.exit(healthy && count(500) === 0 ? 0 : 1);

async function closedLoop() {
  interface ConnectionContext {
    pending?: { childId: string; groupId: string };
  }
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: base,
        connections: clients,
        duration,
        timeout: 30,
        requests: [
          {
            method: 'POST',
            path: '/api/v1/applications',
            setupRequest: (request: autocannon.Request, context: ConnectionContext) => {
              // autocannon resets a connection's context after every request, so the turn is counted globally.
              const { token, childId, groupId } = nextApplication();
              context.pending = { childId, groupId };
              return {
                ...request,
                headers: { 'content-type': 'application/json', cookie: `__Host-sid=${token}` },
                body: JSON.stringify({ childId, groupId }),
              };
            },
            onResponse: (status: number, body: string, context: ConnectionContext) =>
              record(status, body, context.pending!),
          },
        ],
      },
      (error, done) => (error ? reject(error as Error) : resolve(done)),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
  errors = result.errors;
  timeouts = result.timeouts;
}

/**
 * A fixed arrival rate: application k is due at start + k/rate and sent then, whether or not earlier ones were
 * answered (keep-alive connections, a new one when all are busy). Latency counts from the due moment, so a
 * server that falls behind shows it instead of slowing the senders down (no coordinated omission).
 */
async function openLoop(perSecond: number, seconds: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1000 });
  const total = Math.round(perSecond * seconds);
  const begin = performance.now();
  let sent = 0;
  const inFlight = new Set<Promise<void>>();
  const send = (due: number) => {
    const { token, childId, groupId } = nextApplication();
    const body = JSON.stringify({ childId, groupId });
    const done = new Promise<void>((resolve) => {
      const request = http.request(
        `${base}/api/v1/applications`,
        {
          method: 'POST',
          agent,
          timeout: 30_000,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            cookie: `__Host-sid=${token}`,
          },
        },
        (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (text += chunk));
          response.on('end', () => {
            latencies.push(performance.now() - due);
            record(response.statusCode ?? 0, text, { childId, groupId });
            resolve();
          });
        },
      );
      request.on('timeout', () => {
        timeouts++;
        request.destroy();
      });
      request.on('error', () => {
        errors++;
        resolve();
      });
      request.end(body);
    });
    inFlight.add(done);
    void done.then(() => inFlight.delete(done));
  };
  while (sent < total) {
    const now = performance.now();
    const dueCount = Math.min(total, Math.floor(((now - begin) / 1000) * perSecond) + 1);
    for (; sent < dueCount; sent++) send(begin + (sent / perSecond) * 1000);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  await Promise.all(inFlight);
  agent.destroy();
}

// ---- helpers

/** Waits for `/readyz` of a server the bench started, for up to a minute. */
async function waitUntilReady(url: string, what: string) {
  for (let attempt = 0; ; attempt++) {
    try {
      if ((await fetch(`${url}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    if (attempt > 120) throw new Error(`${what} did not start`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** The floor (floor-server.ts) on pgbench's tables, driven like the app: the same client count and duration. */
async function runFloor(url: string) {
  const port = PORT + 1;
  console.log(`floor: Fastify and pg alone, ${clients} connections, ${duration} s…`);
  const child = spawn('npx', ['tsx', 'bench/floor-server.ts'], {
    env: { ...process.env, DATABASE_URL: url, DATABASE_POOL_SIZE: String(poolSize), PORT: String(port) },
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: true,
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    await waitUntilReady(`http://127.0.0.1:${port}`, 'the floor server');
    const cpu = measureCpu([child.pid!]);
    const result = await autocannon({
      url: `http://127.0.0.1:${port}/apply`,
      method: 'POST',
      connections: clients,
      duration,
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    const cpuUse = cpu.end();
    if (result.non2xx > 0 || result.errors > 0) throw new Error('the floor server failed requests');
    return {
      requestsPerSecond: result.requests.total / duration,
      requests: result.requests.total,
      cpu: cpuUse,
    };
  } finally {
    // A server that could not start (its port taken) has exited already.
    if (child.exitCode === null && child.signalCode === null) {
      process.kill(-child.pid!, 'SIGTERM');
      await exited;
    }
  }
}

/**
 * A region meets its rush with the years before it in its tables: every child of the bench had two programs last
 * year, finished. Without them the statistics say the applications table is empty, each connection keeps plans
 * made for an empty table (seq scans), and they stay until autovacuum's next analyze, up to a minute later on
 * default settings. That happens once, at a region's very first enrolment. It is not what a rush measures.
 */
async function seedLastYear(db: Database, organizationId: string) {
  const pastGroups: string[] = [];
  for (let i = 0; i < 2; i++)
    pastGroups.push(
      (await createOpenGroup(db.db, { organizationId, capacity: 10_000, groupName: `Прошлый год ${i + 1}` }))
        .groupId,
    );
  await queryRows(
    db.db,
    sql`with past as (
          insert into applications (group_id, program_id, organization_id, child_id, applicant_user_id,
                                    filed_by_user_id, channel, status, created_at, updated_at)
          select g.id, g.program_id, ${organizationId}, c.id, c.owner_user_id, c.owner_user_id, 'online',
                 'completed', now() - interval '1 year', now() - interval '1 year'
            from children c cross join program_groups g
           where g.id in (${sql.join(
             pastGroups.map((id) => sql`${id}::uuid`),
             sql`, `,
           )})
          returning id, created_at)
        insert into application_events (application_id, to_status, created_at, notice_due)
        select id, 'completed', created_at, false from past`,
  );
}

interface Family {
  index: number;
  token: string;
  childIds: string[];
}

async function createParents(db: Database, parents: number, perParent: number): Promise<Family[]> {
  const result: Family[] = [];
  const passwordHash = 'bench-parents-sign-in-by-session';
  for (let start = 0; start < parents; start += 100) {
    const batch = Array.from({ length: Math.min(100, parents - start) }, (_, i) => start + i);
    const users = await queryRows(
      db.db,
      sql`insert into users (email, email_verified_at, password_hash, last_name, first_name, phone, municipality_id, applicant_kind)
          select 'rush' || n || '@example.ru', now(), ${passwordHash}, 'Родитель', 'Нагрузочный', '+79000000000', 1, 'parent'
            from unnest(${`{${batch.join(',')}}`}::int[]) as n
          returning id`,
    );
    for (const user of users) {
      const token = randomToken();
      await queryRows(
        db.db,
        sql`insert into sessions (token_hash, user_id, expires_at) values (${hashToken(token)}, ${String(user.id)}, now() + interval '1 day')`,
      );
      const children = await queryRows(
        db.db,
        sql`insert into children (owner_user_id, last_name, first_name, birth_date, sex, document_type, document_series,
                                  document_number, document_issued_at, document_issued_by, municipality_id,
                                  registration_address, identity_key, data_status)
            select ${String(user.id)}, 'Нагрузочный', 'Ребёнок' || k, date '2015-01-01' + k, 'male', 'birth_certificate', 'I-МП',
                   '1000' || k, '2015-02-01', 'ЗАГС', 1, 'г. Смоленск', ${String(user.id)} || '|' || k, 'confirmed'
              from generate_series(1, ${perParent}) as k
            returning id`,
      );
      for (const child of children)
        await queryRows(
          db.db,
          sql`insert into certificates (child_id, number, status, valid_until, holder_key)
              select c.id, lpad((6700000000 + nextval('certificate_serial_seq'))::text, 10, '0'), 'active', '2033-01-01',
                     c.identity_key
                from children c where c.id = ${String(child.id)}`,
        );
      result.push({ index: result.length, token, childIds: children.map((child) => String(child.id)) });
    }
  }
  return result;
}

async function checkDatabase(db: Database, acks: Acknowledged[]) {
  const [oversold] = await queryRows(
    db.db,
    sql`select count(*)::int as n from group_places g
         where g.taken > g.capacity
            or g.taken <> (select count(*) from applications a
                            where a.group_id = g.group_id and a.status in ('new', 'accepted', 'offered'))`,
  );
  const stored = new Map(
    (await queryRows(db.db, sql`select id, child_id, group_id from applications`)).map((row) => [
      String(row.id),
      `${String(row.child_id)}|${String(row.group_id)}`,
    ]),
  );
  const missing = acks.filter((ack) => stored.get(ack.id) !== `${ack.childId}|${ack.groupId}`).length;
  const [duplicates] = await queryRows(
    db.db,
    sql`select count(*)::int as n from (
          select child_id, group_id from applications
           where status in ('new', 'accepted', 'queued', 'offered')
           group by child_id, group_id having count(*) > 1) d`,
  );
  // Nobody cancels during the rush, so each queued applicant's place must equal what they were told.
  const places = new Map(
    (
      await queryRows(
        db.db,
        sql`select id, group_id, row_number() over (partition by group_id order by arrival) as place
              from applications where status = 'queued'`,
      )
    ).map((row) => [String(row.id), { groupId: String(row.group_id), place: Number(row.place) }]),
  );
  const brokenGroups = new Set<string>();
  for (const ack of acks)
    if (ack.status === 'queued' && places.get(ack.id)?.place !== ack.queuePlace)
      brokenGroups.add(ack.groupId);
  return {
    oversold: Number(oversold!.n),
    missing,
    duplicates: Number(duplicates!.n) + (acks.length - new Set(acks.map((ack) => ack.id)).size),
    queueOrderBroken: brokenGroups.size,
  };
}

async function serverFacts() {
  const adminUrl = new URL(databaseUrl);
  adminUrl.pathname = '/postgres';
  const client = new pg.Client({ connectionString: adminUrl.toString() });
  await client.connect();
  const { rows } = await client.query<{ max: number; reserved: number; in_use: number }>(
    `select current_setting('max_connections')::int as max,
            current_setting('superuser_reserved_connections')::int as reserved,
            (select count(*)::int from pg_stat_activity where backend_type = 'client backend') as in_use`,
  );
  await client.end();
  return { maxConnections: rows[0]!.max, reserved: rows[0]!.reserved, inUse: rows[0]!.in_use };
}

/** pgbench comes with the PostgreSQL server packages; Debian keeps it under /usr/lib/postgresql/<version>/bin. */
function findPgbench(): string {
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root) ? fs.readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const version of versions) {
    const candidate = `${root}/${version}/bin/pgbench`;
    if (fs.existsSync(candidate)) return candidate;
  }
  return 'pgbench';
}

async function dropDatabase(url: string) {
  const name = new URL(url).pathname.slice(1);
  const adminUrl = new URL(url);
  adminUrl.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: adminUrl.toString() });
  await admin.connect();
  await admin.query(`drop database if exists "${name}" with (force)`);
  await admin.end();
}

async function recreateDatabase(url: string) {
  const name = new URL(url).pathname.slice(1);
  const adminUrl = new URL(url);
  adminUrl.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: adminUrl.toString() });
  await admin.connect();
  await admin.query(`drop database if exists "${name}" with (force)`);
  await admin.query(`create database "${name}"`);
  await admin.end();
}
