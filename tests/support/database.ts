import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type Database, type DatabaseTarget } from '../../src/platform/db/client.js';
import { adminUrl, databaseName, databaseUrlFor } from './postgres-names.js';

export type TestDatabaseKind = 'pglite' | 'postgres';

export function testDatabaseKind(): TestDatabaseKind {
  return process.env.TEST_DB === 'postgres' ? 'postgres' : 'pglite';
}

/**
 * A fresh, migrated database with the region's reference data, private to the calling test file.
 * `close()` also drops it on a server.
 */
export async function createTestDatabase(): Promise<Database> {
  if (testDatabaseKind() === 'pglite') {
    const dump = await fs.readFile(inject('pgliteTemplate'));
    return openDatabase({ kind: 'pglite', loadDataDir: new Blob([dump]) });
  }
  const server = await serverDatabase();
  const database = await openDatabase({ kind: 'postgres', url: server.url, poolSize: 20 });
  return {
    ...database,
    async close() {
      await database.close();
      await server.drop();
    },
  };
}

/** A database on the server made from the migrated template, private to the caller; `drop` removes it. */
async function serverDatabase(label?: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const baseUrl = process.env.TEST_DATABASE_URL!;
  const name = `${databaseName(baseUrl)}${label ? `_${label}` : ''}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl(baseUrl) });
  await admin.connect();
  await admin.query(`create database "${name}" template "${inject('postgresTemplate')}"`);
  return {
    url: databaseUrlFor(baseUrl, name),
    async drop() {
      await admin.query(`drop database if exists "${name}" with (force)`);
      await admin.end();
    },
  };
}

/**
 * A database of the tier for a command that opens its own (db:backup, doctor): the embedded one unpacked from the
 * template into `dataDir`, or a server database from the template (`label` in its name). `drop` removes the
 * server's; the caller removes its folder.
 */
export async function createCommandTarget(
  dataDir: string,
  label: string,
): Promise<{ target: DatabaseTarget; drop: () => Promise<void> }> {
  if (testDatabaseKind() === 'pglite') {
    const template = await fs.readFile(inject('pgliteTemplate'));
    await (await openDatabase({ kind: 'pglite', dataDir, loadDataDir: new Blob([template]) })).close();
    return { target: { kind: 'pglite', dataDir }, drop: () => Promise.resolve() };
  }
  const server = await serverDatabase(label);
  return { target: { kind: 'postgres', url: server.url }, drop: server.drop };
}
