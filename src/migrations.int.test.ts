import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKind } from '../tests/support/database.js';
import { adminUrl, databaseName, databaseUrlFor } from '../tests/support/postgres-names.js';
import { periodOf } from './modules/funding/money.js';
import { openDatabase, type Database } from './platform/db/client.js';
import { migrationsFolder, runMigrations } from './platform/db/migrate.js';
import { regionToday } from './platform/views/format.js';

/*
 * The hand-written data steps of migrations (ADR 0039), run as an upgrade runs them: an empty database migrated to
 * the migration before, filled with the old shape's data, then the rest of the migrations.
 */

let database: Database;
let dropServerDatabase: (() => Promise<void>) | undefined;
let folders: string[] = [];

/** An empty database of the tier (no migrations, no reference data). */
async function emptyDatabase(): Promise<Database> {
  if (testDatabaseKind() === 'pglite') return openDatabase({ kind: 'pglite' });
  const baseUrl = process.env.TEST_DATABASE_URL!;
  const name = `${databaseName(baseUrl)}_migrations_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl(baseUrl) });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  dropServerDatabase = async () => {
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.end();
  };
  return openDatabase({ kind: 'postgres', url: databaseUrlFor(baseUrl, name), poolSize: 2 });
}

/** Applies the committed migrations up to `lastTag` (inclusive), from a copy of the folder with a shorter journal. */
async function migrateUpTo(lastTag: string) {
  const folder = await fs.mkdtemp(path.join(os.tmpdir(), 'navigator-migrations-'));
  folders.push(folder);
  await fs.cp(migrationsFolder, folder, { recursive: true });
  const journalFile = path.join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(await fs.readFile(journalFile, 'utf8')) as { entries: { tag: string }[] };
  const last = journal.entries.findIndex((entry) => entry.tag === lastTag);
  expect(last, lastTag).toBeGreaterThan(0);
  journal.entries = journal.entries.slice(0, last + 1);
  await fs.writeFile(journalFile, JSON.stringify(journal));
  const config = { migrationsFolder: folder, migrationsSchema: 'drizzle' };
  if (database.kind === 'pglite') await migratePglite(database.db as unknown as PgliteDatabase, config);
  else await migrateNodePg(database.db as unknown as NodePgDatabase, config);
}

beforeAll(async () => {
  database = await emptyDatabase();
});

afterAll(async () => {
  await database?.close();
  await dropServerDatabase?.();
  await Promise.all(folders.map((folder) => fs.rm(folder, { recursive: true, force: true })));
  folders = [];
});

describe('0033: free programs per child move from the municipality to the funding period', () => {
  it('gives each limit to the current education year, making its period (closed) where there is none', async () => {
    await migrateUpTo('0032_report_covering_indexes');
    const current = periodOf(regionToday());
    await database.sql.executeSql(
      `insert into municipalities (id, code, name, kind, sort_order, free_programs_per_year) values
         (1, 'a', 'Без периода', 'city', 1, 3),
         (2, 'b', 'С периодом', 'city', 2, 2),
         (3, 'c', 'Без лимита', 'district', 3, null),
         (4, 'd', 'Без лимита, с периодом', 'district', 4, null)`,
    );
    // Municipalities 2 and 4 already have this year's period (2 funds now), and 2 last year's too.
    await database.sql.executeSql(
      `insert into funding_periods (municipality_id, starts_on, ends_on, open, contracts_banned_from) values
         (2, $1, $2, true, $2), (4, $1, $2, false, null),
         (2, ($1::date - interval '1 year')::date, ($1::date - interval '1 day')::date, false, null)`,
      [current.startsOn, current.endsOn],
    );

    await runMigrations(database);

    const { rows } = await database.sql.executeSql(
      `select municipality_id, starts_on::text, ends_on::text, open, contracts_banned_from::text,
              free_programs_per_child
         from funding_periods order by municipality_id, starts_on`,
    );
    const previous = periodOf(`${Number(current.startsOn.slice(0, 4)) - 1}-09-01`);
    expect(rows.map((row) => ({ ...row, municipality_id: Number(row.municipality_id) }))).toEqual([
      {
        municipality_id: 1,
        starts_on: current.startsOn,
        ends_on: current.endsOn,
        open: false,
        contracts_banned_from: null,
        free_programs_per_child: 3,
      },
      {
        municipality_id: 2,
        starts_on: previous.startsOn,
        ends_on: previous.endsOn,
        open: false,
        contracts_banned_from: null,
        free_programs_per_child: null,
      },
      {
        municipality_id: 2,
        starts_on: current.startsOn,
        ends_on: current.endsOn,
        open: true,
        contracts_banned_from: current.endsOn,
        free_programs_per_child: 2,
      },
      {
        municipality_id: 4,
        starts_on: current.startsOn,
        ends_on: current.endsOn,
        open: false,
        contracts_banned_from: null,
        free_programs_per_child: null,
      },
    ]);
    const { rows: columns } = await database.sql.executeSql(
      `select column_name from information_schema.columns
        where table_name = 'municipalities' and column_name = 'free_programs_per_year'`,
    );
    expect(columns).toEqual([]);
  });
});
