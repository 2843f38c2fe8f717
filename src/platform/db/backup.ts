import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { PGlite } from '@electric-sql/pglite';
import { pgliteExtensions, type DatabaseTarget } from './client.js';
import { lockDataDir } from './lock.js';

/**
 * Backups of either database (ADR 0025). A server: `pg_dump --format=custom`, restored by `pg_restore --clean`.
 * The embedded database: its whole data directory as a gzipped tarball (PGlite's dumpDataDir), restored into a
 * fresh directory. The embedded database belongs to one process at a time (lock.ts): while the app holds it,
 * both refuse with DataDirLockedError.
 */

export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

const gzip = promisify(zlib.gzip);
const gunzip = promisify(zlib.gunzip);

/**
 * An empty file only its owner may read, whatever the umask: a backup holds children's personal data (152-ФЗ).
 * Made before anything is written into it, so that no moment exists when another user could open it.
 */
function privateFile(file: string): void {
  fs.writeFileSync(file, '', { mode: 0o600 });
  fs.chmodSync(file, 0o600);
}

/** Writes a backup of `target` to `file` (its folder is created, for the owner only; the file is mode 600). */
export async function backupDatabase(target: DatabaseTarget, file: string): Promise<void> {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true, mode: 0o700 });
  if (target.kind === 'postgres') {
    // Written beside and renamed when complete: a failed dump leaves no file that looks like a backup.
    const partial = `${file}.partial`;
    try {
      // pg_dump truncates the file it is given and keeps its mode.
      privateFile(partial);
      await runTool(
        'pg_dump',
        ['--format=custom', '--no-owner', '--no-privileges', `--file=${partial}`],
        target.url,
      );
      fs.renameSync(partial, file);
    } finally {
      fs.rmSync(partial, { force: true });
    }
    return;
  }
  const dataDir = requireDataDir(target);
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION')))
    throw new BackupError(`There is no embedded database in ${dataDir} (DATA_DIR) to back up.`);
  const release = lockDataDir(dataDir);
  try {
    const client = await PGlite.create({ dataDir, extensions: pgliteExtensions });
    try {
      const tarball = Buffer.from(await (await client.dumpDataDir('none')).arrayBuffer());
      privateFile(`${file}.partial`);
      fs.writeFileSync(`${file}.partial`, await gzip(tarball));
      fs.renameSync(`${file}.partial`, file);
    } finally {
      await client.close();
    }
  } finally {
    release();
  }
}

/**
 * Replaces the database of `target` by the backup in `file`. A server's objects named in the backup are dropped
 * and recreated in one transaction. The embedded database's directory is moved aside (kept beside it, its name
 * returned) and the backup unpacked in its place; should that fail, the old directory is put back.
 */
export async function restoreDatabase(target: DatabaseTarget, file: string): Promise<{ keptAside?: string }> {
  const kind = backupKind(file);
  if (kind !== target.kind)
    throw new BackupError(
      `${file} is a backup of ${kind === 'postgres' ? 'a PostgreSQL server (pg_dump)' : 'the embedded database'}, ` +
        `but the target is ${target.kind === 'postgres' ? 'a PostgreSQL server (DATABASE_URL)' : 'the embedded database (no DATABASE_URL)'}.`,
    );
  if (target.kind === 'postgres') {
    await runTool(
      'pg_restore',
      [
        '--clean',
        '--if-exists',
        '--no-owner',
        '--no-privileges',
        '--single-transaction',
        '--exit-on-error',
        file,
      ],
      target.url,
    );
    return {};
  }
  const dataDir = requireDataDir(target);
  const tarball = await gunzip(fs.readFileSync(file)).catch(() => {
    throw new BackupError(`${file} is not a readable backup of the embedded database (a .tar.gz).`);
  });
  const release = lockDataDir(dataDir);
  try {
    const keptAside = fs.existsSync(dataDir) ? `${dataDir}.before-restore-${stamp()}` : undefined;
    if (keptAside) fs.renameSync(dataDir, keptAside);
    try {
      fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      const client = await PGlite.create({
        dataDir,
        loadDataDir: new Blob([tarball]),
        extensions: pgliteExtensions,
      });
      try {
        await client.query('select 1');
      } finally {
        await client.close();
      }
    } catch (error) {
      fs.rmSync(dataDir, { recursive: true, force: true });
      if (keptAside) fs.renameSync(keptAside, dataDir);
      throw error;
    }
    return { keptAside };
  } finally {
    release();
  }
}

/** What a backup file holds, by its first bytes: pg_dump's custom format or a gzip stream. */
export function backupKind(file: string): 'postgres' | 'pglite' {
  let head: Buffer;
  try {
    const handle = fs.openSync(file, 'r');
    head = Buffer.alloc(5);
    fs.readSync(handle, head, 0, 5, 0);
    fs.closeSync(handle);
  } catch {
    throw new BackupError(`Cannot read the backup ${file}.`);
  }
  if (head.toString('latin1') === 'PGDMP') return 'postgres';
  if (head[0] === 0x1f && head[1] === 0x8b) return 'pglite';
  throw new BackupError(`${file} is not a backup made by npm run db:backup.`);
}

/** The default file name: backups/navigator-<kind>-<UTC time>.<dump|tar.gz>. */
export function defaultBackupFile(target: DatabaseTarget, now = new Date()): string {
  const extension = target.kind === 'postgres' ? 'dump' : 'tar.gz';
  return path.join('backups', `navigator-${target.kind}-${stamp(now)}.${extension}`);
}

function stamp(now = new Date()): string {
  return now.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
}

function requireDataDir(target: { dataDir?: string }): string {
  if (!target.dataDir) throw new BackupError('The embedded database in memory has nothing to back up.');
  return path.resolve(target.dataDir);
}

/**
 * Runs pg_dump or pg_restore on the server of `url`. The password goes through PGPASSWORD, not the command
 * line (which other users of the machine can read); what the tool says on failure is passed on.
 */
function runTool(tool: 'pg_dump' | 'pg_restore', args: string[], url: string): Promise<void> {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  return new Promise((resolve, reject) => {
    const child = spawn(tool, [`--dbname=${parsed.href}`, ...args], {
      env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(
        new BackupError(
          error.code === 'ENOENT'
            ? `${tool} is not installed: install the PostgreSQL client of the server's version (apt-get install postgresql-client).`
            : `${tool} could not start: ${error.message}`,
        ),
      ),
    );
    child.on('close', (code) => {
      if (code === 0) resolve();
      else
        reject(
          new BackupError(`${tool} failed (exit code ${code}): ${stderr.trim().split('\n').join(' / ')}`),
        );
    });
  });
}
