import fs from 'node:fs';
import path from 'node:path';

/**
 * PGlite keeps the whole database in one process's memory and writes its own state over the files: a second
 * process on the same DATA_DIR would report success for writes that are then lost. So the process that opens it
 * holds a lock file beside it (`pglite.lock`: pid, command, start time), and any other process refuses to start.
 * A lock whose process no longer runs (killed, crashed) is stale and taken over.
 */

interface Holder {
  pid: number;
  command: string;
  startedAt: string;
}

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: Holder,
  ) {
    super(
      `Встроенная база данных ${dataDir} уже открыта процессом ${holder.pid} (${holder.command}, с ${holder.startedAt}): ` +
        `остановите его или укажите DATABASE_URL. / The embedded database ${dataDir} is in use by process ` +
        `${holder.pid} (${holder.command}): stop it, or set DATABASE_URL to use a PostgreSQL server.`,
    );
    this.name = 'DataDirLockedError';
  }
}

/** Takes the lock of `dataDir` or throws DataDirLockedError. Returns its release (also done at process exit). */
export function lockDataDir(dataDir: string): () => void {
  const file = `${dataDir.replace(/[/\\]+$/, '')}.lock`;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const mine: Holder = {
    pid: process.pid,
    command: commandLine(),
    startedAt: new Date().toISOString().slice(0, 19).replace('T', ' ') + ' UTC',
  };
  for (let attempt = 0; ; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify(mine), { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
      const holder = readHolder(file);
      if (holder && isRunning(holder.pid)) throw new DataDirLockedError(dataDir, holder);
      // Left by a process that is gone (or half written by one that died at once): take it over.
      fs.rmSync(file, { force: true });
    }
  }
  const release = () => {
    if (readHolder(file)?.pid === process.pid) fs.rmSync(file, { force: true });
    process.off('exit', release);
  };
  process.on('exit', release);
  return release;
}

function readHolder(file: string): Holder | null {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<Holder>;
    return typeof parsed.pid === 'number'
      ? { pid: parsed.pid, command: String(parsed.command), startedAt: String(parsed.startedAt) }
      : null;
  } catch {
    return null;
  }
}

function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** What the holder runs, as a person would recognise it: "npm start", "npm run admin", or the script's name. */
function commandLine(): string {
  const file = path.relative(process.cwd(), process.argv[1] ?? '');
  const script = process.env.npm_lifecycle_event;
  // npm's script only when it runs this very file (not, say, npx running a test runner that spawned us).
  if (script && file && process.env.npm_lifecycle_script?.includes(file))
    return script === 'start' ? 'npm start' : `npm run ${script}`;
  return `node ${file || process.argv0}`;
}
