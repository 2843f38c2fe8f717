import { spawn, type ChildProcess } from 'node:child_process';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testDatabaseKind } from '../../../tests/support/database.js';
import {
  createFamily,
  createOpenGroup,
  createOrganization,
  type Family,
} from '../../../tests/support/enrolment.js';
import { databaseUrlFor } from '../../../tests/support/postgres-names.js';
import { eventually, freePort, SmtpSink } from '../../../tests/support/smtp.js';
import { queryRows, type Database } from '../../platform/db/client.js';
import { hashToken, randomToken } from '../../platform/security/tokens.js';

/**
 * The app process is killed (SIGKILL, no shutdown) in the middle of a burst of applications and started again:
 * every application that got a success answer is in the database, the queue order is what each parent was told,
 * places are exact, and the letters of the acknowledged applications still go out.
 *
 * Runs against the PostgreSQL server (the production database, which the server process shares with this test);
 * the embedded PGlite lives inside one process and is for local use.
 */

const APPLICANTS = 120;
let database: Database;
let databaseUrl: string;
let sink: SmtpSink;
let port: number;
let server: ChildProcess | null = null;
const families: (Family & { token: string })[] = [];
let groupId: string;

function startServer(): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      SMTP_URL: sink.url,
      BASE_URL: 'https://navigator.test',
      SESSION_SECRET: 'crash-test-secret-crash-test-secret-0',
      LOG_LEVEL: 'error',
      PORT: String(port),
      HOST: '127.0.0.1',
      DEMO_DATA: 'false',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return child;
}

async function ready(): Promise<void> {
  await eventually(async () => {
    try {
      return (await fetch(`http://127.0.0.1:${port}/readyz`)).ok ? true : null;
    } catch {
      return null;
    }
  }, 60_000);
}

async function applyOverHttp(family: Family & { token: string }) {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/api/v1/applications`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `__Host-sid=${family.token}` },
      body: JSON.stringify({ childId: family.childId, groupId }),
    });
    const body = (await response.json()) as { id?: string; status?: string; queuePlace?: number | null };
    return { family, status: response.status, body };
  } catch {
    return { family, status: 0, body: {} };
  }
}

describe.skipIf(testDatabaseKind() === 'pglite')('a crash in the middle of a burst', () => {
  beforeAll(async () => {
    database = await createTestDatabase();
    const [current] = await queryRows(database.db, sql`select current_database() as name`);
    databaseUrl = databaseUrlFor(process.env.TEST_DATABASE_URL!, String(current!.name));
    sink = await SmtpSink.start();
    port = await freePort();
    const organizationId = await createOrganization(database.db);
    ({ groupId } = await createOpenGroup(database.db, { organizationId, capacity: 20 }));
    for (let i = 0; i < APPLICANTS; i++) {
      const family = await createFamily(database.db, { email: `crash${i}@example.ru` });
      const token = randomToken();
      await queryRows(
        database.db,
        sql`insert into sessions (token_hash, user_id, expires_at)
            values (${hashToken(token)}, ${family.userId}, now() + interval '1 hour')`,
      );
      families.push({ ...family, token });
    }
  });

  afterAll(async () => {
    server?.kill('SIGKILL');
    await sink?.stop();
    await database?.close();
  });

  it('keeps every acknowledged application and the queue order; retries find what was filed', async () => {
    server = startServer();
    await ready();
    let acknowledged = 0;
    const answers = Promise.all(
      families.map(async (family, index) => {
        // A burst spread over a moment, so that the kill lands in the middle of it.
        await new Promise((resolve) => setTimeout(resolve, index * 4));
        const answer = await applyOverHttp(family);
        if (answer.status === 201 && ++acknowledged === 30) server!.kill('SIGKILL');
        return answer;
      }),
    );
    const results = await answers;
    const succeeded = results.filter((result) => result.status === 201);
    const failed = results.filter((result) => result.status !== 201);
    expect(succeeded.length).toBeGreaterThanOrEqual(30);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((result) => result.status === 0)).toBe(true);

    server = startServer();
    await ready();

    // Every success answer is in the database as it was told.
    const stored = await queryRows(
      database.db,
      sql`select id, child_id, status,
                 case when status = 'queued' then
                   row_number() over (partition by status order by arrival) end as place
            from applications where group_id = ${groupId}`,
    );
    const byId = new Map(stored.map((row) => [String(row.id), row]));
    for (const { family, body } of succeeded) {
      const row = byId.get(body.id!);
      expect(row?.child_id).toBe(family.childId);
      expect(row?.status).toBe(body.status);
      if (body.status === 'queued') expect(Number(row?.place)).toBe(body.queuePlace);
    }

    // The parents whose answer was lost try again: those filed before the crash are told so, the rest are filed.
    const retried = await Promise.all(failed.map(({ family }) => applyOverHttp(family)));
    expect(retried.every((result) => result.status === 201 || result.status === 409)).toBe(true);
    const [totals] = await queryRows(
      database.db,
      sql`select count(*)::int as applications, count(distinct child_id)::int as children,
                 count(*) filter (where status = 'new')::int as holding,
                 (select taken from group_places where group_id = ${groupId}) as seats
            from applications where group_id = ${groupId}`,
    );
    expect(totals).toMatchObject({ applications: APPLICANTS, children: APPLICANTS, holding: 20, seats: 20 });
    const queue = await queryRows(
      database.db,
      sql`select arrival from applications where group_id = ${groupId} and status = 'queued' order by arrival`,
    );
    expect(queue).toHaveLength(APPLICANTS - 20);

    // The letters of what was acknowledged before the crash still go out: their events (the outbox of ADR 0051)
    // committed with them, and a batch the killed process had claimed rolled back with it. Letter jobs it had taken
    // are retried once their attempt expires (15–20 s) and maintenance notices (≤ 5 s).
    const first = succeeded[0]!.family;
    await sink.waitFor(`crash${families.indexOf(first)}@example.ru`, 120_000);
    await eventually(async () => {
      const [row] = await queryRows(
        database.db,
        sql`select count(*)::int as missing from application_events e
             where e.notice_due or not exists (select 1 from application_notices n where n.event_id = e.id)`,
      );
      return Number(row!.missing) === 0 ? true : null;
    }, 120_000);
  }, 300_000);
});
