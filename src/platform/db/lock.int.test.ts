import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKind } from '../../../tests/support/database.js';
import { call } from '../../../tests/support/server.js';
import { eventually, freePort } from '../../../tests/support/smtp.js';
import { openDatabase } from './client.js';

/**
 * `npm run admin` beside a running `npm start` on the same DATA_DIR (embedded PGlite): the command refuses at once
 * with one line naming the server's pid, and reports no success; after the server was killed (a stale lock) the
 * same command works and its account is in the database the server opens next.
 */

let dataDir: string;
let port: number;
let server: ChildProcess | undefined;

const env = () => ({
  ...process.env,
  NODE_ENV: 'development',
  // Vitest puts its own BASE_URL ("/") into the environment.
  BASE_URL: `http://127.0.0.1:${port}`,
  DATA_DIR: dataDir,
  DEMO_DATA: 'false',
  LOG_LEVEL: 'fatal',
  PORT: String(port),
  HOST: '127.0.0.1',
});

function run(
  script: string,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { env: env() });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const createCoordinator = (email: string) =>
  run('src/cli/admin.ts', [
    'user:create',
    '--role',
    'coordinator',
    '--email',
    email,
    '--password',
    'Длинный-пароль-координатора-7',
    '--last-name',
    'Соколова',
    '--first-name',
    'Анна',
  ]);

const ORGANIZATION = [
  'org:create',
  '--municipality',
  '67-01',
  '--inn',
  '6731000014',
  '--kpp',
  '673101001',
  '--ogrn',
  '1027700132195',
  '--name',
  'Муниципальное бюджетное учреждение дополнительного образования «Дом детского творчества»',
  '--short-name',
  'ДДТ',
  '--kind',
  'Муниципальное бюджетное учреждение дополнительного образования',
  '--category',
  'creativity_centre',
  '--address',
  'г. Смоленск, ул. Шевченко, д. 7',
];

describe.skipIf(testDatabaseKind() === 'postgres')(
  'a second process on the embedded database (PGlite only: a server is shared safely)',
  () => {
    beforeAll(async () => {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'navigator-lock-'));
      port = await freePort();
    });
    afterAll(() => {
      server?.kill('SIGKILL');
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    it('refuses beside a running server, and works once the server is gone', async () => {
      server = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
        env: env(),
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      const child = server;
      await eventually(async () => {
        if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
        return (await call(port, 'GET', '/readyz')).status === 200;
      }, 90_000);

      const started = Date.now();
      const refused = await createCoordinator('beside@example.ru');
      expect(refused.code).toBe(1);
      expect(refused.stdout).toBe('');
      const lines = refused.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`уже открыта процессом ${server.pid}`);
      expect(lines[0]).toContain('остановите его или укажите DATABASE_URL');
      console.log(`[lock] npm run admin beside npm start refused in ${Date.now() - started} ms: ${lines[0]}`);
      const orgRefused = await run('src/cli/admin.ts', ORGANIZATION);
      expect(orgRefused.code).toBe(1);
      expect(orgRefused.stderr).toContain(`уже открыта процессом ${server.pid}`);
      // Wrong values are told before the database is opened, one line per field.
      const wrong = await run('src/cli/admin.ts', [
        ...ORGANIZATION,
        '--inn',
        '6731000015',
        '--municipality',
        '99-01',
      ]);
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toContain('--inn: Проверьте ИНН: контрольные цифры не совпадают');
      expect(wrong.stderr).toContain('--municipality: no municipality "99-01"');

      // Killed: the lock is stale, the command takes it over, and its account is there for the next start.
      const killed = server;
      killed.kill('SIGKILL');
      await new Promise((resolve) => killed.once('exit', resolve));
      server = undefined;
      const created = await createCoordinator('after@example.ru');
      expect(created.code).toBe(0);
      const organization = await run('src/cli/admin.ts', ORGANIZATION);
      expect(organization.code).toBe(0);
      expect(organization.stdout.trim()).toMatch(/^[0-9a-f-]{36}$/);
      const again = await run('src/cli/admin.ts', ORGANIZATION);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('--inn: Организация с таким ИНН и КПП уже есть');
      const database = await openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'pglite') });
      try {
        const { rows } = await database.sql.executeSql('select email from users order by email');
        expect(rows.map((row) => row.email)).toEqual(['after@example.ru']);
        const { rows: created } = await database.sql.executeSql(
          'select municipality_id, inn from organizations',
        );
        expect(created).toEqual([{ municipality_id: 1, inn: '6731000014' }]);
      } finally {
        await database.close();
      }
    }, 180_000);
  },
);
