import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { test } from '@playwright/test';
import pg from 'pg';
import { adminUrl, databaseUrlFor } from '../support/postgres-names.js';
import { SmtpSink } from '../support/smtp.js';

/** The project's root, where the app's commands run. */
export const ROOT = path.resolve(import.meta.dirname, '../..');

/** A spec's own app: its PostgreSQL database, its SMTP sink, its address, and what it has logged so far. */
export interface OwnApp {
  readonly baseUrl: string;
  readonly databaseUrl: string;
  readonly sink: SmtpSink;
  /** The app's environment, also for the CLI commands a spec runs as an operator would (same database). */
  readonly env: NodeJS.ProcessEnv;
  log(): string;
}

/**
 * A spec whose app must share its database with a CLI (the embedded database of the other specs belongs to one
 * process) gets an app of its own: before its tests a fresh database on the PostgreSQL server and an SMTP sink,
 * then `prepare` (e.g. the build or the first account), then `command` started and awaited until /readyz
 * answers; after them the app stopped, the sink closed and the database dropped. CI always has the server; a
 * developer without one is told, not failed.
 */
export function ownApp(options: {
  /** In the database's name: navigator_e2e_<label>_<pid>_<time>. */
  label: string;
  port: number;
  smtpPort: number;
  /** The program and its arguments, run in ROOT. */
  command: [string, ...string[]];
  /** The app's settings beyond the database, SMTP, address and port. */
  env: NodeJS.ProcessEnv;
  prepare?: (app: OwnApp) => void | Promise<void>;
  startSeconds?: number;
}): OwnApp {
  const serverUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const database = `navigator_e2e_${options.label}_${process.pid}_${Date.now()}`;
  const baseUrl = `http://127.0.0.1:${options.port}`;
  const sink = new SmtpSink(options.smtpPort);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrlFor(serverUrl, database),
    SMTP_URL: sink.url,
    BASE_URL: baseUrl,
    PORT: String(options.port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    MAP_TILES_URL: '/static/no-tiles/{z}/{x}/{y}.png',
    ...options.env,
  };
  delete env.DATA_DIR;
  delete env.DEMO_DATA;
  let log = '';
  const app: OwnApp = { baseUrl, databaseUrl: env.DATABASE_URL!, sink, env, log: () => log };
  let server: ChildProcess | undefined;
  let created = false;

  async function onServer(statement: string) {
    const client = new pg.Client({ connectionString: adminUrl(serverUrl) });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  }

  test.beforeAll(async () => {
    const seconds = options.startSeconds ?? 120;
    test.setTimeout(seconds * 1000);
    try {
      await onServer('select 1');
    } catch (error) {
      if (process.env.CI || process.env.TEST_DATABASE_URL) throw error;
      test.skip(true, `no PostgreSQL server at ${adminUrl(serverUrl)} (${String(error)})`);
    }
    await onServer(`create database ${database}`);
    created = true;
    await sink.listen();
    await options.prepare?.(app);
    const [program, ...args] = options.command;
    server = spawn(program, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    server.stdout!.on('data', (chunk: Buffer) => (log += chunk.toString()));
    server.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
    for (const deadline = Date.now() + (seconds - 10) * 1000; ;) {
      try {
        if ((await fetch(`${baseUrl}/readyz`)).ok) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline || server.exitCode !== null)
        throw new Error(`the app did not start:\n${log}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  });

  test.afterAll(async () => {
    // The app's own shutdown may take 20 s (two pg-boss stops of up to 10 s each, ADR 0041) before the sink and
    // the database are closed; once in CI it took more than the default 30 s of a hook, so a slow one says so.
    test.setTimeout(90_000);
    if (server?.pid && server.exitCode === null) {
      const stopped = new Promise((resolve) => server!.once('exit', resolve));
      const started = Date.now();
      process.kill(-server.pid, 'SIGTERM');
      await stopped;
      if (Date.now() - started > 15_000)
        console.warn(`the app took ${Date.now() - started} ms to stop; its last lines:\n${log.slice(-3000)}`);
    }
    await sink.stop();
    if (created) await onServer(`drop database if exists ${database} with (force)`);
  });

  return app;
}
