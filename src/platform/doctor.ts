import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig, maskSecrets, type Config } from './config.js';
import { openDatabase, type Database, type DatabaseTarget } from './db/client.js';
import { DataDirLockedError } from './db/lock.js';
import { migrationsFolder } from './db/migrate.js';
import { smtpTransport } from './mail/transport.js';

/**
 * `npm run doctor`: what an operator checks before (or instead of) reading logs — the configuration, the database
 * connection, migrations not yet applied, and the SMTP server — one line each (ADR 0025). A problem is `fail`;
 * `skip` is a check that could not run and says why, and is no problem by itself.
 */

export interface Finding {
  status: 'ok' | 'fail' | 'skip';
  check: 'config' | 'database' | 'migrations' | 'mail';
  message: string;
}

export async function diagnose(
  env: NodeJS.ProcessEnv,
  targetOf: (config: Config) => DatabaseTarget,
): Promise<Finding[]> {
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.lines.map((line) => ({ status: 'fail', check: 'config', message: line }));
  }
  const target = targetOf(config);
  const findings: Finding[] = [
    {
      status: 'ok',
      check: 'config',
      message: `${config.env}, ${target.kind === 'postgres' ? 'PostgreSQL server' : 'embedded database'}, ${config.smtpUrl ? 'SMTP' : 'development mailbox'}, public address ${config.baseUrl}`,
    },
  ];
  findings.push(...(await checkDatabase(target)));
  findings.push(await checkMail(config));
  return findings;
}

/** One line per finding, as printed: `FAIL database: …`. */
export function formatFinding(finding: Finding): string {
  return `${finding.status.toUpperCase().padEnd(4)} ${finding.check}: ${finding.message}`;
}

async function checkDatabase(target: DatabaseTarget): Promise<Finding[]> {
  const where =
    target.kind === 'postgres'
      ? serverName(target.url)
      : `embedded database in ${target.dataDir ?? 'memory'}`;
  if (target.kind === 'pglite' && target.dataDir && !fs.existsSync(path.join(target.dataDir, 'PG_VERSION')))
    return [
      { status: 'ok', check: 'database', message: `no ${where} yet: the first start creates it` },
      { status: 'skip', check: 'migrations', message: 'all are applied at the first start' },
    ];
  let database: Database;
  try {
    database = await openDatabase(target);
  } catch (error) {
    if (error instanceof DataDirLockedError)
      return [
        {
          status: 'skip',
          check: 'database',
          message: `${where} is open in process ${error.holder.pid} (${error.holder.command}), which alone may use it: not checked while it runs`,
        },
        { status: 'skip', check: 'migrations', message: 'not checked (the database is in use)' },
      ];
    throw error;
  }
  try {
    let version: string;
    try {
      const { rows } = await database.sql.executeSql("select current_setting('server_version') as version");
      version = String(rows[0]?.version);
    } catch (error) {
      return [
        { status: 'fail', check: 'database', message: `cannot reach ${where}: ${describe(error)}` },
        { status: 'skip', check: 'migrations', message: 'not checked (no database connection)' },
      ];
    }
    return [
      { status: 'ok', check: 'database', message: `${where} answers (PostgreSQL ${version})` },
      await checkMigrations(database),
    ];
  } finally {
    await database.close();
  }
}

/** The committed migrations against drizzle's journal table, as drizzle's migrator decides what to apply. */
async function checkMigrations(database: Database): Promise<Finding> {
  const journal = JSON.parse(
    fs.readFileSync(path.join(migrationsFolder, 'meta', '_journal.json'), 'utf8'),
  ) as {
    entries: { tag: string; when: number }[];
  };
  const { rows } = await database.sql.executeSql(
    "select to_regclass('drizzle.__drizzle_migrations') is not null as present",
  );
  let applied: number[] = [];
  if (rows[0]?.present) {
    const result = await database.sql.executeSql('select created_at from drizzle.__drizzle_migrations');
    applied = result.rows.map((row) => Number(row.created_at));
  }
  const last = Math.max(0, ...applied);
  const pending = journal.entries.filter((entry) => entry.when > last).map((entry) => entry.tag);
  if (
    applied.length > journal.entries.length ||
    (last > 0 && !journal.entries.some((entry) => entry.when === last))
  )
    return {
      status: 'fail',
      check: 'migrations',
      message: `the database has migrations this version does not know: it was migrated by a newer version of the app`,
    };
  if (pending.length > 0)
    return {
      status: 'fail',
      check: 'migrations',
      message: `${pending.length} not applied (${pending.join(', ')}): run npm run db:migrate, or start the app, which applies them`,
    };
  return { status: 'ok', check: 'migrations', message: `all ${journal.entries.length} applied` };
}

async function checkMail(config: Config): Promise<Finding> {
  if (!config.smtpUrl)
    return {
      status: 'ok',
      check: 'mail',
      message: 'no SMTP_URL: letters go to the development mailbox (/dev/mail)',
    };
  const url = new URL(config.smtpUrl);
  const where = `SMTP server ${url.hostname}:${url.port || (url.protocol === 'smtps:' ? 465 : 587)}`;
  const transport = smtpTransport(config.smtpUrl);
  try {
    await transport.verify!();
    return {
      status: 'ok',
      check: 'mail',
      message: `${where} accepts the connection${url.username ? ' and the login' : ''}`,
    };
  } catch (error) {
    return { status: 'fail', check: 'mail', message: `${where}: ${describe(error)}` };
  } finally {
    transport.close();
  }
}

function serverName(url: string): string {
  const parsed = new URL(url);
  return `PostgreSQL server ${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
}

/** An error as one line, without the password of any URL it quotes. */
function describe(error: unknown): string {
  // Node reports a refused connection to every address of a name as an AggregateError without a message.
  const first =
    error instanceof AggregateError && error.errors.length > 0 ? (error.errors[0] as unknown) : error;
  const message = first instanceof Error ? first.message || first.name : String(first);
  return message
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[a-z][a-z0-9+.-]*:\/\/\S+/gi, (url) => maskSecrets(url));
}
