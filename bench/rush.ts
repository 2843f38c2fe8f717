/**
 * `npm run bench:rush` — the enrolment rush: signed-in parents fire applications through the HTTP API at
 * 50 groups × 20 places, then the database is checked (oversold groups, acknowledged-but-missing applications,
 * duplicates, queue order) and `pgbench -N` runs with the same number of clients on the same server.
 *
 * Real parts only: a PostgreSQL server (BENCH_DATABASE_URL, default `navigator_bench_rush` on 127.0.0.1),
 * the app in production mode as its own process (with its job worker sending every letter to an SMTP sink on
 * loopback), autocannon over HTTP. Options: --clients 500 --duration 30 --groups 50 --places 20 --pool 20.
 * pgbench needs `max_connections` above the client count (see the message if it is not).
 */
import { spawn, spawnSync } from 'node:child_process';
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

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '500' },
    duration: { type: 'string', default: '30' },
    groups: { type: 'string', default: '50' },
    places: { type: 'string', default: '20' },
    pool: { type: 'string', default: '20' },
    'children-per-parent': { type: 'string', default: '4' },
    'skip-pgbench': { type: 'boolean', default: false },
  },
});
const clients = Number(values.clients);
const duration = Number(values.duration);
const groupCount = Number(values.groups);
const places = Number(values.places);
const childrenPerParent = Number(values['children-per-parent']);
const PORT = 3901;
const SMTP_PORT = 2601;

const databaseUrl =
  process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/navigator_bench_rush';
const pgbenchUrl = new URL(databaseUrl);
pgbenchUrl.pathname = '/navigator_bench_pgbench';

const maxConnections = await serverSetting('max_connections');
if (!values['skip-pgbench'] && maxConnections < clients + Number(values.pool) + 10) {
  console.error(
    `pgbench with ${clients} clients needs max_connections ≥ ${clients + Number(values.pool) + 10} (the server has ${maxConnections}).\n` +
      `Raise it, e.g.: psql -U postgres -c "alter system set max_connections = ${clients + 200}" and restart PostgreSQL\n` +
      `(pg_ctlcluster --skip-systemctl-redirect <version> main restart); or run with --skip-pgbench.`,
  );
  process.exit(2);
}

// ---- A fresh database with the groups and the signed-in parents.
await recreateDatabase(databaseUrl);
const database = await openDatabase({ kind: 'postgres', url: databaseUrl, poolSize: 8 });
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
  `creating ${clients} parents with ${childrenPerParent} children each, certificates and sessions…`,
);
const families = await createParents(database, clients, childrenPerParent);
await queryRows(database.db, sql`analyze`);

// ---- The app in production mode, its letters going to a sink on loopback.
let lettersReceived = 0;
const sink = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onData(stream, _session, callback) {
    stream.on('data', () => undefined);
    stream.on('end', () => {
      lettersReceived++;
      callback();
    });
  },
});
await new Promise<void>((resolve) => sink.listen(SMTP_PORT, '127.0.0.1', resolve));
const server = spawn('npx', ['tsx', ...(process.env.BENCH_NODE_FLAGS?.split(' ') ?? []), 'src/server.ts'], {
  env: {
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_SIZE: String(values.pool),
    SMTP_URL: `smtp://127.0.0.1:${SMTP_PORT}`,
    BASE_URL: 'https://navigator.bench',
    SESSION_SECRET: 'bench-secret-bench-secret-bench-secret',
    LOG_LEVEL: 'warn',
    PORT: String(PORT),
    HOST: '127.0.0.1',
    DEMO_DATA: 'false',
    RUN_JOBS_IN_WEB: process.env.RUN_JOBS_IN_WEB ?? 'true',
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

// ---- The rush: each connection is one parent who applies with each of their children to the groups in turn.
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
interface ConnectionContext {
  pending?: { childId: string; groupId: string };
}

console.log(`rush: ${clients} parents, ${groupCount} groups × ${places} places, ${duration} s`);
const started = Date.now();
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
            // Each request is the next parent's next (child, group): parents take turns, each starting at a
            // different group, as real ones click different «Записаться» buttons. (autocannon resets a
            // connection's context after every request, so the turn is counted here.)
            const turn = nextTurn++;
            const family = families[turn % families.length]!;
            const round = Math.floor(turn / families.length);
            const childId = family.childIds[round % family.childIds.length]!;
            const groupId =
              groupIds[(family.index + Math.floor(round / family.childIds.length)) % groupIds.length]!;
            context.pending = { childId, groupId };
            return {
              ...request,
              headers: { 'content-type': 'application/json', cookie: `__Host-sid=${family.token}` },
              body: JSON.stringify({ childId, groupId }),
            };
          },
          onResponse: (status: number, body: string, context: ConnectionContext) => {
            statuses.set(status, (statuses.get(status) ?? 0) + 1);
            if (status !== 201) return;
            const answer = JSON.parse(body) as { id: string; status: string; queuePlace: number | null };
            acknowledged.push({ ...context.pending!, ...answer });
          },
        },
      ],
    },
    (error, done) => (error ? reject(error as Error) : resolve(done)),
  );
  instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
});
const elapsed = (Date.now() - started) / 1000;
await new Promise((resolve) => setTimeout(resolve, 2000));

// ---- What the database says.
const checks = await checkDatabase(database, acknowledged);
const lettersDue = Number(
  (await queryRows(database.db, sql`select count(*)::int as n from application_events`))[0]!.n,
);
// Give the worker time to send the letters of the rush, then stop the app.
const mailDeadline = Date.now() + 60_000;
while (process.env.RUN_JOBS_IN_WEB !== 'false' && lettersReceived < lettersDue && Date.now() < mailDeadline)
  await new Promise((r) => setTimeout(r, 1000));
const exited = new Promise((resolve) => server.once('exit', resolve));
process.kill(-server.pid!, 'SIGTERM');
await exited;
sink.close();
await database.close();

latencies.sort((a, b) => a - b);
const percentile = (p: number) =>
  latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)]!;
const appsPerSecond = acknowledged.length / elapsed;

// ---- pgbench -N on the same server with the same clients for the same time.
let tps: number | null = null;
if (!values['skip-pgbench']) {
  await recreateDatabase(pgbenchUrl.toString());
  const connection = [
    '-h',
    pgbenchUrl.hostname,
    '-p',
    pgbenchUrl.port || '5432',
    '-U',
    pgbenchUrl.username || 'postgres',
  ];
  const init = spawnSync('pgbench', [...connection, '-i', '-q', '-s', '10', 'navigator_bench_pgbench'], {
    encoding: 'utf8',
  });
  if (init.status !== 0) throw new Error(`pgbench -i failed: ${init.stderr}`);
  console.log(`pgbench -N -c ${clients} -j 2 -T ${duration}…`);
  const run = spawnSync(
    'pgbench',
    [
      ...connection,
      '-N',
      '-n',
      '-c',
      String(clients),
      '-j',
      '2',
      '-T',
      String(duration),
      'navigator_bench_pgbench',
    ],
    { encoding: 'utf8' },
  );
  if (run.status !== 0) throw new Error(`pgbench failed: ${run.stderr}`);
  tps = Number(/tps = ([\d.]+)/.exec(run.stdout)?.[1]);
}

const ms = (value: number) => `${value.toFixed(1)} ms`;
const count = (status: number) => statuses.get(status) ?? 0;
console.log('');
console.log(
  `requests: ${latencies.length}; answers: ${[...statuses].map(([s, n]) => `${n} × ${s}`).join(', ')}; errors ${result.errors}, timeouts ${result.timeouts}`,
);
console.log(
  `applications acknowledged (201): ${acknowledged.length} in ${elapsed.toFixed(1)} s = ${appsPerSecond.toFixed(0)} applications/s`,
);
console.log(
  `  of them holding a place: ${acknowledged.filter((a) => a.status !== 'queued').length}, queued: ${acknowledged.filter((a) => a.status === 'queued').length}`,
);
console.log(
  `latency: p50 ${ms(percentile(50))}, p95 ${ms(percentile(95))}, p99 ${ms(percentile(99))}, max ${ms(latencies.at(-1)!)}`,
);
console.log(`oversold groups: ${checks.oversold}`);
console.log(`acknowledged but missing: ${checks.missing}`);
console.log(`duplicates: ${checks.duplicates}`);
console.log(`queue order broken: ${checks.queueOrderBroken} groups (places told vs. places by arrival)`);
console.log(`letters: ${lettersReceived} of ${lettersDue} status changes delivered to the SMTP sink`);
if (tps !== null) {
  console.log(`pgbench -N: ${tps.toFixed(0)} tps with ${clients} clients`);
  console.log(
    `ratio applications/s ÷ pgbench tps: ${(appsPerSecond / tps).toFixed(2)} (goal ≥ 0.3: ${appsPerSecond / tps >= 0.3 ? 'met' : 'NOT met'})`,
  );
}
console.log(`goal p99 < 250 ms: ${percentile(99) < 250 ? 'met' : 'NOT met'}`);
const healthy =
  checks.oversold === 0 && checks.missing === 0 && checks.duplicates === 0 && checks.queueOrderBroken === 0;
console.log(healthy ? 'integrity: OK' : 'integrity: FAILED');
// 5xx answers are failures; 4xx would be a bench bug (every request is valid and unique).
process.exit(healthy && count(500) === 0 ? 0 : 1);

// ---- helpers

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
          sql`insert into certificates (child_id, number, status, valid_until)
              select ${String(child.id)}, lpad((6700000000 + nextval('certificate_serial_seq'))::text, 10, '0'), 'active', '2033-01-01'`,
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

async function serverSetting(name: string): Promise<number> {
  const adminUrl = new URL(databaseUrl);
  adminUrl.pathname = '/postgres';
  const client = new pg.Client({ connectionString: adminUrl.toString() });
  await client.connect();
  const { rows } = await client.query<{ setting: string }>(
    'select setting from pg_settings where name = $1',
    [name],
  );
  await client.end();
  return Number(rows[0]?.setting);
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
