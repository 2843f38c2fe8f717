import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirLockedError, lockDataDir } from './lock.js';

let folder: string;
afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

function dataDir(): string {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'navigator-lock-'));
  return path.join(folder, 'pglite');
}

describe('the embedded database lock', () => {
  it('refuses a second holder while the first runs, naming its pid and what to do', () => {
    const dir = dataDir();
    const release = lockDataDir(dir);
    let refusal: unknown;
    try {
      lockDataDir(dir);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(DataDirLockedError);
    const message = (refusal as Error).message;
    expect(message).toContain(`процессом ${process.pid}`);
    expect(message).toContain('DATABASE_URL');
    expect(message).not.toContain('\n');
    release();
    // Released: the next holder gets it.
    lockDataDir(dir)();
  });

  it('takes over a lock left by a process that is gone', () => {
    const dir = dataDir();
    const gone = spawnSync(process.execPath, ['-e', '0']).pid;
    fs.writeFileSync(
      `${dir}.lock`,
      JSON.stringify({ pid: gone, command: 'npm start', startedAt: 'earlier' }),
    );
    const release = lockDataDir(dir);
    expect(JSON.parse(fs.readFileSync(`${dir}.lock`, 'utf8'))).toMatchObject({ pid: process.pid });
    release();
    expect(fs.existsSync(`${dir}.lock`)).toBe(false);
  });
});
