import type { ChildProcess } from 'node:child_process';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testDatabaseKind } from '../../../tests/support/database.js';
import { databaseUrlFor } from '../../../tests/support/postgres-names.js';
import { loopback, register, spawnServer, waitReady, type Answer } from '../../../tests/support/server.js';
import { addressesOf, eventually, freePort, SmtpSink } from '../../../tests/support/smtp.js';
import { queryRows, type Database } from '../db/client.js';

/**
 * Fault test (issue 12, 10b): the SMTP server goes down in the middle of a burst of registrations and comes back.
 * Every registration's letter arrives once after it returns. The outage lasts the full minute with the
 * production retry delays (5–10 s, then 10–20 s, 20–40 s, 40–80 s…), so the letters wait for the retry that comes
 * after the server is back: about two minutes in all, which CI affords.
 */

const REGISTRATIONS = 24;
const OUTAGE_MS = 60_000;
let database: Database;
let sink: SmtpSink;
let port: number;
let server: ChildProcess | undefined;

describe.skipIf(testDatabaseKind() === 'pglite')(
  'an SMTP outage during registrations (PostgreSQL only: the app runs as its own process)',
  () => {
    beforeAll(async () => {
      database = await createTestDatabase();
      const [current] = await queryRows(database.db, sql`select current_database() as name`);
      const databaseUrl = databaseUrlFor(process.env.TEST_DATABASE_URL!, String(current!.name));
      sink = await SmtpSink.start();
      port = await freePort();
      server = spawnServer(port, { DATABASE_URL: databaseUrl, SMTP_URL: sink.url });
      await waitReady(port);
    });

    afterAll(async () => {
      server?.kill('SIGKILL');
      await sink?.stop();
      await database?.close();
    });

    it('delivers every letter exactly once after the server is back', async () => {
      const requests: Promise<Answer & { to: string }>[] = [];
      let outage: Promise<number> | undefined;
      for (let i = 0; i < REGISTRATIONS; i++) {
        const to = `outage-registrant${i}@example.ru`;
        requests.push(register(port, to, loopback(i)).then((answer) => ({ ...answer, to })));
        // The first letter goes out, then the server stops while registrations keep coming.
        if (i === 0) {
          outage = (async () => {
            await sink.waitFor(to, 30_000);
            await sink.stop();
            await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
            await sink.listen();
            return Date.now();
          })();
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const answers = await Promise.all(requests);
      const backAt = await outage!;
      expect(answers.every((answer) => answer.status === 202)).toBe(true);
      const deliveredBefore = sink.received.length;
      const [waiting] = await queryRows(
        database.db,
        sql`select count(*)::int as n from pgboss.job where name = 'mail.send' and state = 'retry'`,
      );

      const promised = answers.map((answer) => answer.to);
      await eventually(() => promised.every((to) => sink.arrivals.has(to)), 180_000);
      const delays = promised
        .map((to) => sink.arrivals.get(to)! - backAt)
        .filter((delay) => delay >= 0)
        .sort((a, b) => a - b);
      console.log(
        `[fault 10b] ${REGISTRATIONS} registrations, SMTP down ${OUTAGE_MS / 1000} s: ${deliveredBefore} letters ` +
          `before it stopped, ${Number(waiting!.n)} waiting for a retry; after it returned ${delays.length} ` +
          `arrived within ${delays.map((ms) => (ms / 1000).toFixed(1)).join(', ')} s`,
      );
      expect(deliveredBefore).toBeGreaterThan(0);
      expect(Number(waiting!.n)).toBeGreaterThan(0);

      // Nothing more is on its way, and each address got its letter once.
      await eventually(async () => {
        const [left] = await queryRows(
          database.db,
          sql`select count(*)::int as n from pgboss.job where name = 'mail.send' and state <> 'completed'`,
        );
        return Number(left!.n) === 0;
      }, 60_000);
      const letters = new Map<string, number>();
      for (const mail of sink.received)
        for (const to of addressesOf(mail)) letters.set(to, (letters.get(to) ?? 0) + 1);
      for (const to of promised) expect({ to, letters: letters.get(to) }).toEqual({ to, letters: 1 });
    }, 360_000);
  },
);
