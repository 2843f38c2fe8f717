import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCommandTarget, testDatabaseKind } from '../../../tests/support/database.js';
import { backupDatabase, BackupError, backupKind, restoreDatabase } from './backup.js';
import { openDatabase, type Database, type DatabaseTarget } from './client.js';
import { DataDirLockedError } from './lock.js';

/**
 * npm run db:backup / db:restore round trip on the database of the tier: rows written, backed up, then deleted and
 * the table altered; the restore brings the rows and the table's shape back, and the reference data with them.
 */

let folder: string;
let target: DatabaseTarget;
let dropServerDatabase: () => Promise<void> = () => Promise.resolve();

beforeAll(async () => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'navigator-backup-'));
  ({ target, drop: dropServerDatabase } = await createCommandTarget(
    path.join(folder, 'data', 'pglite'),
    'backup',
  ));
});

afterAll(async () => {
  await dropServerDatabase();
  fs.rmSync(folder, { recursive: true, force: true });
});

async function withDatabase<T>(work: (database: Database) => Promise<T>): Promise<T> {
  const database = await openDatabase(target);
  try {
    return await work(database);
  } finally {
    await database.close();
  }
}

const probe = (database: Database) =>
  database.sql
    .executeSql('select id, note from backup_probe order by id')
    .then(({ rows }) => rows.map((row) => `${String(row.id)}:${String(row.note)}`));
const municipalities = (database: Database) =>
  database.sql.executeSql('select count(*)::int as n from municipalities').then(({ rows }) => rows[0]!.n);

describe('db:backup and db:restore', () => {
  // The embedded database opens four times (some seconds each on a busy machine).
  it('bring back rows deleted and a table altered after the backup', { timeout: 120_000 }, async () => {
    const before = await withDatabase(async (database) => {
      await database.sql.executeSql('create table backup_probe (id int primary key, note text not null)');
      await database.sql.executeSql(
        "insert into backup_probe values (1, 'Робототехника'), (2, 'Шахматы'), (3, 'Хор')",
      );
      return { rows: await probe(database), municipalities: await municipalities(database) };
    });
    expect(before.rows).toEqual(['1:Робототехника', '2:Шахматы', '3:Хор']);
    expect(before.municipalities).toBeGreaterThan(0);

    const file = path.join(folder, 'backups', `backup.${target.kind === 'postgres' ? 'dump' : 'tar.gz'}`);
    await backupDatabase(target, file);
    expect(backupKind(file)).toBe(target.kind);
    // Children's personal data: the backup and the folder made for it are the owner's alone, whatever the umask.
    expect((fs.statSync(file).mode & 0o777).toString(8)).toBe('600');
    expect((fs.statSync(path.dirname(file)).mode & 0o777).toString(8)).toBe('700');

    await withDatabase(async (database) => {
      await database.sql.executeSql('delete from backup_probe where id > 1');
      await database.sql.executeSql('alter table backup_probe add column extra int');
      expect(await probe(database)).toEqual(['1:Робототехника']);
    });

    const { keptAside } = await restoreDatabase(target, file);
    if (target.kind === 'pglite') expect(fs.existsSync(path.join(keptAside!, 'PG_VERSION'))).toBe(true);

    await withDatabase(async (database) => {
      expect(await probe(database)).toEqual(before.rows);
      expect(await municipalities(database)).toBe(before.municipalities);
      const { rows } = await database.sql.executeSql(
        "select column_name from information_schema.columns where table_name = 'backup_probe' order by ordinal_position",
      );
      expect(rows.map((row) => row.column_name)).toEqual(['id', 'note']);
    });
  });

  it('refuses a backup of the other kind of database, naming both', async () => {
    const other = path.join(folder, 'other');
    fs.writeFileSync(
      other,
      target.kind === 'postgres' ? Buffer.from([0x1f, 0x8b, 8, 0, 0]) : 'PGDMP-not-really',
    );
    await expect(restoreDatabase(target, other)).rejects.toThrow(BackupError);
    await expect(restoreDatabase(target, other)).rejects.toThrow(/backup of .* but the target is/);
  });
});

describe.runIf(testDatabaseKind() === 'pglite')('the embedded database held by the app', () => {
  it(
    'is neither backed up nor replaced, and the command says who holds it',
    { timeout: 120_000 },
    async () => {
      const file = path.join(folder, 'held.tar.gz');
      await backupDatabase(target, file);
      const dataDir = (target as { dataDir: string }).dataDir;
      const database = await openDatabase(target);
      const entriesBefore = fs.readdirSync(path.dirname(dataDir));
      try {
        await expect(backupDatabase(target, path.join(folder, 'no.tar.gz'))).rejects.toThrow(
          DataDirLockedError,
        );
        await expect(restoreDatabase(target, file)).rejects.toThrow(DataDirLockedError);
        expect(fs.existsSync(path.join(folder, 'no.tar.gz'))).toBe(false);
        expect(fs.readdirSync(path.dirname(dataDir))).toEqual(entriesBefore);

        const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
          const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/db-backup.ts'], {
            // Vitest puts its own BASE_URL ("/") into the environment.
            env: { ...process.env, DATA_DIR: path.join(folder, 'data'), BASE_URL: 'http://localhost:3000' },
          });
          let stderr = '';
          child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
          child.on('exit', (code) => resolve({ code, stderr }));
        });
        expect(result.code).toBe(1);
        expect(result.stderr).toContain(`процессом ${process.pid}`);
        expect(result.stderr.trim().split('\n')).toHaveLength(1);
        expect(await probe(database)).toEqual(['1:Робототехника', '2:Шахматы', '3:Хор']);
      } finally {
        await database.close();
      }
    },
  );
});
