import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testDatabaseKind } from '../../../tests/support/database.js';
import { CommitOutcomeUnknown, isConnectionError, type Database } from './client.js';

/**
 * A transaction whose connection is lost before COMMIT runs once more on a fresh connection; one lost during COMMIT
 * is never repeated (it may have been applied). Both cases are produced for real: the backend terminates itself,
 * in the middle of the work, or from a deferred trigger that fires inside COMMIT.
 */

let database: Database;

describe.skipIf(testDatabaseKind() === 'pglite')(
  'transactions on a lost connection (PostgreSQL only: PGlite has no connection to lose)',
  () => {
    beforeAll(async () => {
      database = await createTestDatabase();
      await database.sql.executeSql(`
        create table fault_probe (id int primary key, note text);
        create function fault_die() returns trigger language plpgsql as $$
          begin
            if new.note = 'die at commit' then perform pg_terminate_backend(pg_backend_pid()); end if;
            return new;
          end $$;
        create constraint trigger fault_die after insert on fault_probe
          deferrable initially deferred for each row execute function fault_die();`);
    });
    afterAll(async () => {
      await database?.close();
    });

    it('runs the work again when the connection was lost before COMMIT, and writes once', async () => {
      let runs = 0;
      const id = await database.transaction(async (tx) => {
        runs++;
        await tx.sql.executeSql(`insert into fault_probe (id, note) values (1, 'first')`);
        if (runs === 1) await tx.sql.executeSql('select pg_terminate_backend(pg_backend_pid())');
        return 1;
      });
      expect(id).toBe(1);
      expect(runs).toBe(2);
      const { rows } = await database.sql.executeSql(
        'select count(*)::int as n from fault_probe where id = 1',
      );
      expect(rows[0]!.n).toBe(1);
      // The pool threw the broken client away: the next statements work.
      expect((await database.sql.executeSql('select 1 as ok')).rows[0]!.ok).toBe(1);
    });

    it('does not repeat a transaction whose connection was lost during COMMIT', async () => {
      let runs = 0;
      const failure = await database
        .transaction(async (tx) => {
          runs++;
          await tx.sql.executeSql(`insert into fault_probe (id, note) values (2, 'die at commit')`);
        })
        .then(
          () => null,
          (error: unknown) => error,
        );
      expect(runs).toBe(1);
      expect(failure).toBeInstanceOf(CommitOutcomeUnknown);
      expect(isConnectionError(failure)).toBe(true);
      expect((await database.sql.executeSql('select 1 as ok')).rows[0]!.ok).toBe(1);
    });

    it('gives up after one retry: a connection lost twice is reported, not looped on', async () => {
      let runs = 0;
      const failure = await database
        .transaction(async (tx) => {
          runs++;
          await tx.sql.executeSql('select pg_terminate_backend(pg_backend_pid())');
        })
        .then(
          () => null,
          (error: unknown) => error,
        );
      expect(runs).toBe(2);
      expect(isConnectionError(failure)).toBe(true);
    });

    it('does not retry an ordinary failure', async () => {
      let runs = 0;
      await expect(
        database.transaction(async (tx) => {
          runs++;
          await tx.sql.executeSql(`insert into fault_probe (id, note) values (1, 'duplicate')`);
        }),
      ).rejects.toThrow();
      expect(runs).toBe(1);
    });
  },
);
