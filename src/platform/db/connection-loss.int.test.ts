import type { ChildProcess } from 'node:child_process';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testDatabaseKind } from '../../../tests/support/database.js';
import { createOpenGroup, createOrganization } from '../../../tests/support/enrolment.js';
import { adminUrl, databaseUrlFor } from '../../../tests/support/postgres-names.js';
import {
  apply,
  call,
  loopback,
  register,
  signedInFamilies,
  spawnServer,
  waitReady,
  type Answer,
  type SignedInFamily,
} from '../../../tests/support/server.js';
import { addressesOf, eventually, freePort, SmtpSink } from '../../../tests/support/smtp.js';
import { queryRows, type Database } from './client.js';

/**
 * Fault test (issue 12, 10a): PostgreSQL drops the app's connections every 0.5 s (pg_terminate_backend on its
 * application_name) during a burst of registrations and applications. The process stays up and answers every
 * request (a success, or 503 «Сервис временно недоступен»; never 500, never a reset), it works again within 5 s
 * of the last termination, every acknowledged write is stored whole, and the job queue still delivers the letters.
 */

const APP_NAME = 'navigator-fault-connection-loss';
const REGISTRATIONS = 40;
const APPLICANTS = 40;
let database: Database;
let sink: SmtpSink;
let port: number;
let server: ChildProcess | undefined;
let admin: pg.Client;
let families: SignedInFamily[];
let groupId: string;

describe.skipIf(testDatabaseKind() === 'pglite')(
  'connections dropped under load (PostgreSQL only: PGlite has no connections to drop)',
  () => {
    beforeAll(async () => {
      database = await createTestDatabase();
      const [current] = await queryRows(database.db, sql`select current_database() as name`);
      const url = new URL(databaseUrlFor(process.env.TEST_DATABASE_URL!, String(current!.name)));
      url.searchParams.set('application_name', APP_NAME);
      admin = new pg.Client({ connectionString: adminUrl(process.env.TEST_DATABASE_URL!) });
      await admin.connect();
      sink = await SmtpSink.start();
      port = await freePort();
      const organizationId = await createOrganization(database.db);
      ({ groupId } = await createOpenGroup(database.db, { organizationId, capacity: 15 }));
      families = await signedInFamilies(database.db, 'loss-applicant', APPLICANTS);
      server = spawnServer(port, { DATABASE_URL: url.toString(), SMTP_URL: sink.url });
      await waitReady(port);
    });

    afterAll(async () => {
      server?.kill('SIGKILL');
      await admin?.end();
      await sink?.stop();
      await database?.close();
    });

    it('stays up, recovers within 5 s and keeps every acknowledged write whole', async () => {
      let terminated = 0;
      const terminate = async () => {
        const { rows } = await admin.query<{ n: number }>(
          `select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where application_name = $1`,
          [APP_NAME],
        );
        terminated += rows[0]!.n;
      };
      const terminator = setInterval(() => void terminate(), 500);
      let lastTermination = 0;
      const registrations: Promise<Answer & { email: string }>[] = [];
      const applications: Promise<Answer & { family: SignedInFamily }>[] = [];
      const pages: Promise<Answer>[] = [];
      try {
        // The burst is spread over about 4 s, so that it meets several rounds of terminations.
        for (let i = 0; i < Math.max(REGISTRATIONS, APPLICANTS); i++) {
          if (i < REGISTRATIONS) {
            const email = `loss-registrant${i}@example.ru`;
            registrations.push(register(port, email, loopback(i)).then((answer) => ({ ...answer, email })));
          }
          if (i < APPLICANTS) {
            const family = families[i]!;
            applications.push(apply(port, family, groupId).then((answer) => ({ ...answer, family })));
            // A parent's page (their session is looked up in the database on every request).
            pages.push(call(port, 'GET', '/cabinet/applications', { cookie: family.cookie }));
          }
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        await Promise.all([...registrations, ...applications, ...pages]);
      } finally {
        clearInterval(terminator);
        await terminate();
        lastTermination = Date.now();
      }

      // The process answered everything and is still running.
      expect(server!.exitCode).toBeNull();
      const answers = [...(await Promise.all(registrations)), ...(await Promise.all(applications))];
      const statuses = answers.map((answer) => answer.status);
      const count = (status: number) => statuses.filter((s) => s === status).length;
      console.log(
        `[fault 10a] ${terminated} backends terminated during the burst; answers: ` +
          `${count(202)} registrations accepted, ${count(201)} applications filed, ${count(503)} × 503, ` +
          `${statuses.filter((s) => ![201, 202, 503].includes(s)).length} other`,
      );
      expect(terminated).toBeGreaterThan(3);
      expect(statuses.every((status) => status === 201 || status === 202 || status === 503)).toBe(true);
      expect(count(202) + count(201)).toBeGreaterThan(0);
      // Pages: shown, or the Russian 503 page.
      const shown = await Promise.all(pages);
      const unavailable = shown.filter((page) => page.status === 503);
      console.log(
        `[fault 10a] pages: ${shown.length - unavailable.length} shown, ${unavailable.length} × 503 page`,
      );
      expect(shown.every((page) => page.status === 200 || page.status === 503)).toBe(true);
      for (const page of unavailable) expect(page.text).toContain('<h1>Сервис временно недоступен</h1>');

      // Recovery: ready, and a write goes through.
      await eventually(async () => {
        if ((await call(port, 'GET', '/readyz')).status !== 200) return false;
        return (await register(port, 'loss-after@example.ru', '127.0.0.200')).status === 202;
      }, 5_000);
      const recoveryMs = Date.now() - lastTermination;
      console.log(`[fault 10a] recovered ${recoveryMs} ms after the last termination`);
      expect(recoveryMs).toBeLessThan(5_000);

      // Every acknowledged registration is a whole account: the user, both consents and the audit row.
      const accepted = (await Promise.all(registrations)).filter((answer) => answer.status === 202);
      const accounts = await queryRows(
        database.db,
        sql`select u.email,
                   (select count(*)::int from consents c where c.user_id = u.id) as consents,
                   (select count(*)::int from audit_events a
                     where a.subject_id = u.id::text and a.action = 'account.registered') as audits
              from users u where u.email like 'loss-registrant%'`,
      );
      const byEmail = new Map(accounts.map((row) => [String(row.email), row]));
      for (const { email } of accepted) expect(byEmail.get(email)).toMatchObject({ consents: 2, audits: 1 });
      // No account was half written by an answer that was not a success either.
      for (const row of accounts) expect(row).toMatchObject({ consents: 2, audits: 1 });

      // Every filed application is stored with its event, and the group's count of places is exact.
      const filed = (await Promise.all(applications)).filter((answer) => answer.status === 201);
      const stored = await queryRows(
        database.db,
        sql`select a.id, a.child_id, a.status,
                   (select count(*)::int from application_events e where e.application_id = a.id) as events
              from applications a where a.group_id = ${groupId}`,
      );
      const byId = new Map(stored.map((row) => [String(row.id), row]));
      for (const { family, body } of filed)
        expect(byId.get(String(body.id))).toMatchObject({ child_id: family.childId, status: body.status });
      for (const row of stored) expect(Number(row.events)).toBeGreaterThanOrEqual(1);
      const [seats] = await queryRows(
        database.db,
        sql`select g.taken as seats_taken, (select count(*)::int from applications a
                                    where a.group_id = g.group_id and a.status = 'new') as holding
              from group_places g where g.group_id = ${groupId}`,
      );
      expect(seats!.seats_taken).toBe(seats!.holding);

      // The job queue works after the reconnects: every accepted registration's letter arrives.
      const started = Date.now();
      for (const { email } of accepted) await sink.waitFor(email, 60_000);
      const copies = sink.received.filter((mail) =>
        addressesOf(mail).some((to) => to.startsWith('loss-registrant')),
      ).length;
      console.log(
        `[fault 10a] ${accepted.length} confirmation letters delivered (${copies - accepted.length} copies ` +
          `sent twice), the last ${Date.now() - started} ms after the recovery`,
      );
    }, 120_000);
  },
);
