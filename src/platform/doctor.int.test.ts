import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCommandTarget, testDatabaseKind } from '../../tests/support/database.js';
import { freePort, SmtpSink } from '../../tests/support/smtp.js';
import { openDatabase, type DatabaseTarget } from './db/client.js';
import { diagnose, formatFinding, type Finding } from './doctor.js';

/**
 * npm run doctor against a real database of the tier and the loopback SMTP server: all well, then one thing
 * wrong at a time, each named in its own line.
 */

let folder: string;
let target: DatabaseTarget;
let smtp: SmtpSink;
let dropServerDatabase: () => Promise<void> = () => Promise.resolve();

beforeAll(async () => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'navigator-doctor-'));
  smtp = await SmtpSink.start();
  ({ target, drop: dropServerDatabase } = await createCommandTarget(path.join(folder, 'pglite'), 'doctor'));
});

afterAll(async () => {
  await smtp.stop();
  await dropServerDatabase();
  fs.rmSync(folder, { recursive: true, force: true });
});

const env = (overrides: Record<string, string> = {}) => ({
  NODE_ENV: 'test',
  BASE_URL: 'https://navigator.example.ru',
  SMTP_URL: smtp.url,
  ...overrides,
});
const statuses = (findings: Finding[]) => findings.map((finding) => `${finding.check} ${finding.status}`);

describe('npm run doctor', () => {
  it('says each check is fine when everything is', async () => {
    const findings = await diagnose(env(), () => target);
    expect(statuses(findings)).toEqual(['config ok', 'database ok', 'migrations ok', 'mail ok']);
    expect(formatFinding(findings[1]!)).toMatch(/^OK {3}database: .* answers \(PostgreSQL \d+/);
    expect(findings[2]!.message).toMatch(/^all \d+ applied$/);
    expect(smtp.received).toEqual([]);
  });

  it('names the migrations not yet applied', async () => {
    const database = await openDatabase(target);
    await database.sql.executeSql(
      'delete from drizzle.__drizzle_migrations where created_at = (select max(created_at) from drizzle.__drizzle_migrations)',
    );
    await database.close();
    const journal = JSON.parse(fs.readFileSync('drizzle/meta/_journal.json', 'utf8')) as {
      entries: { tag: string }[];
    };
    const findings = await diagnose(env(), () => target);
    expect(statuses(findings)).toEqual(['config ok', 'database ok', 'migrations fail', 'mail ok']);
    expect(findings[2]!.message).toBe(
      `1 not applied (${journal.entries.at(-1)!.tag}): run npm run db:migrate, or start the app, which applies them`,
    );
  });

  it('names an SMTP server that does not answer', async () => {
    const port = await freePort();
    const findings = await diagnose(
      env({ SMTP_URL: `smtp://robot:secret-pw@127.0.0.1:${port}` }),
      () => target,
    );
    const mail = findings.find((finding) => finding.check === 'mail')!;
    expect(mail.status).toBe('fail');
    expect(mail.message).toMatch(new RegExp(`^SMTP server 127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`));
    expect(mail.message).not.toContain('secret-pw');
  });

  it('names a database server that cannot be reached, and skips its migrations', async () => {
    const port = await freePort();
    const url = `postgres://navigator:db-secret@127.0.0.1:${port}/navigator`;
    const findings = await diagnose(env({ DATABASE_URL: url }), (config) => ({
      kind: 'postgres',
      url: config.databaseUrl!,
    }));
    expect(statuses(findings)).toEqual(['config ok', 'database fail', 'migrations skip', 'mail ok']);
    expect(findings[1]!.message).toMatch(
      new RegExp(`^cannot reach PostgreSQL server 127\\.0\\.0\\.1:${port}/navigator: .*ECONNREFUSED`),
    );
    expect(findings.map(formatFinding).join('\n')).not.toContain('db-secret');
  });

  it(
    'stops at a wrong configuration, one line per variable, and exits with 1',
    { timeout: 120_000 },
    async () => {
      const findings = await diagnose(env({ PORT: 'abc', SMTP_URL: 'http://mail.example.ru' }), () => target);
      expect(findings.map(formatFinding)).toEqual([
        'FAIL config: Invalid configuration: PORT must be a port number (got "abc")',
        'FAIL config: Invalid configuration: SMTP_URL must be an smtp:// or smtps:// URL (got "http://mail.example.ru")',
      ]);

      const result = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/doctor.ts'], {
          env: { ...process.env, ...env({ PORT: 'abc' }) },
        });
        let stdout = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        child.on('exit', (code) => resolve({ code, stdout }));
      });
      expect(result.code).toBe(1);
      expect(result.stdout).toBe(
        'FAIL config: Invalid configuration: PORT must be a port number (got "abc")\n',
      );
    },
  );
});

describe.runIf(testDatabaseKind() === 'pglite')('npm run doctor beside the running app', () => {
  it('leaves the embedded database to the process that holds it, and says so', async () => {
    const database = await openDatabase(target);
    try {
      const findings = await diagnose(env(), () => target);
      expect(statuses(findings)).toEqual(['config ok', 'database skip', 'migrations skip', 'mail ok']);
      expect(findings[1]!.message).toContain(`is open in process ${process.pid}`);
    } finally {
      await database.close();
    }
  });
});
