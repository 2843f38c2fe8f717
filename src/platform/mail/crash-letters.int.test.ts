import type { ChildProcess } from 'node:child_process';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testDatabaseKind } from '../../../tests/support/database.js';
import { createOpenGroup, createOrganization } from '../../../tests/support/enrolment.js';
import { databaseUrlFor } from '../../../tests/support/postgres-names.js';
import {
  apply,
  loopback,
  register,
  signedInFamilies,
  spawnServer,
  waitReady,
  type Answer,
  type SignedInFamily,
} from '../../../tests/support/server.js';
import { addressesOf, eventually, freePort, SmtpSink } from '../../../tests/support/smtp.js';
import { queryRows, type Database } from '../db/client.js';

/**
 * Fault test (issue 12, 10e): the app is killed with SIGKILL right after the last answer of a burst of
 * registrations and applications, and started again. Every letter those answers promised arrives within 60 s of
 * the restart (jobs the killed process held are retried once their attempt expires). None arrives twice, except a
 * letter the SMTP server accepted in the moment before its hand-over was recorded (at-least-once, ADR 0016): the
 * test lists the letters the killed process was handing over and allows a second copy of those only.
 */

const REGISTRATIONS = 20;
const APPLICANTS = 15;
let database: Database;
let databaseUrl: string;
let sink: SmtpSink;
let port: number;
let server: ChildProcess | undefined;
let families: SignedInFamily[];
let groupId: string;

const start = () => spawnServer(port, { DATABASE_URL: databaseUrl, SMTP_URL: sink.url });

describe.skipIf(testDatabaseKind() === 'pglite')(
  'letters after a crash (PostgreSQL only: the killed process and this test share the database)',
  () => {
    beforeAll(async () => {
      database = await createTestDatabase();
      const [current] = await queryRows(database.db, sql`select current_database() as name`);
      databaseUrl = databaseUrlFor(process.env.TEST_DATABASE_URL!, String(current!.name));
      sink = await SmtpSink.start();
      port = await freePort();
      const organizationId = await createOrganization(database.db);
      ({ groupId } = await createOpenGroup(database.db, { organizationId, capacity: 10 }));
      families = await signedInFamilies(database.db, 'crash-letter-applicant', APPLICANTS);
    });

    afterAll(async () => {
      server?.kill('SIGKILL');
      await sink?.stop();
      await database?.close();
    });

    it('delivers every promised letter within 60 s of the restart; a recorded one never twice', async () => {
      server = start();
      await waitReady(port);
      const total = REGISTRATIONS + APPLICANTS;
      let answered = 0;
      const killed = server;
      const onAnswer = <T extends Answer>(answer: T): T => {
        // Killed at once after the last answer, while its letters may still be on their way.
        if (++answered === total) killed.kill('SIGKILL');
        return answer;
      };
      const requests: Promise<Answer & { to: string }>[] = [];
      for (let i = 0; i < total; i++) {
        if (i < REGISTRATIONS) {
          const to = `crash-letter-registrant${i}@example.ru`;
          requests.push(register(port, to, loopback(i)).then((answer) => onAnswer({ ...answer, to })));
        } else {
          const family = families[i - REGISTRATIONS]!;
          requests.push(
            apply(port, family, groupId).then((answer) => onAnswer({ ...answer, to: family.email })),
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const answers = await Promise.all(requests);
      await new Promise((resolve) => killed.once('exit', resolve));
      const deliveredBeforeKill = sink.received.length;
      const [held] = await queryRows(
        database.db,
        sql`select count(*) filter (where state = 'active')::int as active,
                   count(*) filter (where state in ('created', 'retry'))::int as waiting
              from pgboss.job where name in ('mail.send', 'applications.notify')`,
      );
      // Letters the killed process was handing over: the server may have accepted them before their hand-over
      // was recorded. Only these may arrive twice (at-least-once, ADR 0016); a recorded one never does.
      const unrecorded = await queryRows(
        database.db,
        sql`select j.id::text as id from pgboss.job j
             where j.name = 'mail.send' and j.state = 'active'
               and not exists (select 1 from mail_deliveries d where d.job_id = j.id)`,
      );
      const inFlight = new Set(unrecorded.map((row) => `<${String(row.id)}@navigator.mail>`));
      expect(answers.every((answer) => answer.status === 202 || answer.status === 201)).toBe(true);

      server = start();
      const restartedAt = Date.now();
      await waitReady(port);
      const promised = answers.map((answer) => answer.to);
      await eventually(() => promised.every((to) => sink.arrivals.has(to)), 60_000);
      const delays = promised
        .map((to) => sink.arrivals.get(to)! - restartedAt)
        .filter((delay) => delay > 0)
        .sort((a, b) => a - b);
      console.log(
        `[fault 10e] killed after the last of ${total} answers: ${deliveredBeforeKill} letters delivered before, ` +
          `${Number(held!.active)} jobs held by the killed process, ${Number(held!.waiting)} waiting; after the restart ` +
          `${delays.length} letters arrived in ${delays.map((ms) => (ms / 1000).toFixed(1)).join(', ')} s`,
      );
      expect(delays.every((delay) => delay < 60_000)).toBe(true);

      // Nothing more is on its way (every job is done), and each address got its letter once.
      await eventually(async () => {
        const [left] = await queryRows(
          database.db,
          sql`select (select count(*)::int from pgboss.job
                       where name in ('mail.send', 'applications.notify') and state <> 'completed')
                   + (select count(*)::int from application_events where notice_due) as n`,
        );
        return Number(left!.n) === 0;
      }, 60_000);
      const letters = new Map<string, string[]>();
      for (const mail of sink.received)
        for (const to of addressesOf(mail))
          letters.set(to, [...(letters.get(to) ?? []), mail.messageId ?? '']);
      const copies = promised.filter((to) => letters.get(to)!.length > 1);
      console.log(
        `[fault 10e] ${promised.length} letters, ${copies.length} sent twice ` +
          `(${inFlight.size} were being handed over, unrecorded, at the kill)`,
      );
      for (const to of promised) {
        const ids = letters.get(to)!;
        // One letter per address; a second copy only of a letter in flight at the kill, with the same Message-ID.
        expect(new Set(ids).size).toBe(1);
        if (ids.length > 1)
          expect({ to, copies: ids.length, inFlight: inFlight.has(ids[0]!) }).toEqual({
            to,
            copies: 2,
            inFlight: true,
          });
      }
      expect(copies.length).toBeLessThanOrEqual(inFlight.size);
    }, 180_000);
  },
);
