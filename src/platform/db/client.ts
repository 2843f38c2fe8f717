import fs from 'node:fs';
import path from 'node:path';
import { PGlite, type Transaction as PgliteTransaction } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import type { SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import type { Config } from '../config.js';
import { DataDirLockedError, lockDataDir } from './lock.js';

/**
 * Drizzle on either driver: modules write queries against this type only. It carries no schema (modules import
 * their own tables; nothing uses drizzle's relational `db.query`), so platform depends on no module.
 */
export type Db = PgDatabase<PgQueryResultHKT>;

/** Rows of a hand-written query (both drivers answer with `{ rows }`), for SQL that drizzle's builder cannot say. */
export async function queryRows(db: Db, query: SQL): Promise<Record<string, unknown>[]> {
  const result: unknown = await db.execute(query);
  return (result as { rows: Record<string, unknown>[] }).rows;
}

export interface SqlResult {
  rows: Record<string, unknown>[];
}

/**
 * Plain SQL on one connection. pg-boss talks to the database through this shape, which lets a job be
 * enqueued on the connection of the caller's transaction.
 */
export interface SqlExecutor {
  executeSql(text: string, values?: unknown[]): Promise<SqlResult>;
}

/**
 * A statement of a hot path, prepared once per server connection (PostgreSQL plans it once instead of at every
 * call). PGlite runs it as a plain query.
 */
export interface PreparedSql {
  name: string;
  text: string;
}

/** Runs a prepared statement on the executor's connection (a pooled one, or the transaction's). */
export function runPrepared(
  executor: SqlExecutor,
  statement: PreparedSql,
  values: unknown[],
): Promise<SqlResult> {
  const prepared = (executor as Partial<PreparingExecutor>).executePrepared;
  return prepared ? prepared(statement, values) : executor.executeSql(statement.text, values);
}

interface PreparingExecutor extends SqlExecutor {
  executePrepared(statement: PreparedSql, values: unknown[]): Promise<SqlResult>;
}

/** What a transaction callback receives: drizzle and plain SQL bound to the same connection. */
export interface Tx {
  db: Db;
  sql: SqlExecutor;
}

export interface Database extends Tx {
  kind: 'pglite' | 'postgres';
  /**
   * Runs `work` in one transaction. Inside it use only `tx`: PGlite has a single connection, so a query
   * on the outer `db`/`sql` would wait for this very transaction to end (a deadlock). On a server, `work` runs a
   * second time when the connection was lost before COMMIT, so keep it free of effects outside the database.
   */
  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** A server's pool: connections in use and idle, and queries waiting for one (PGlite has no pool). */
  poolStats?(): { inUse: number; idle: number; waiting: number };
  /** PGlite only: the whole data directory as a tarball (test templates, backups of a demo). */
  dumpDataDir?(): Promise<Blob>;
}

export const pgliteExtensions = { pg_trgm };

export type DatabaseTarget =
  | { kind: 'postgres'; url: string; poolSize?: number }
  | {
      kind: 'pglite';
      dataDir?: string;
      loadDataDir?: Blob;
      /**
       * Called with `dataDir` once this process holds its lock and before PGlite opens it: a directory without a
       * database may be filled here (the first start copies a prepared image, ADR 0031).
       */
      fillEmpty?: (dataDir: string) => Promise<void>;
    };

/** Where the data lives: a PostgreSQL server when DATABASE_URL is set, else embedded PGlite in DATA_DIR. */
export function databaseTarget(
  config: Pick<Config, 'databaseUrl' | 'dataDir' | 'databasePoolSize'>,
): DatabaseTarget {
  return config.databaseUrl
    ? { kind: 'postgres', url: config.databaseUrl, poolSize: config.databasePoolSize }
    : { kind: 'pglite', dataDir: path.join(config.dataDir, 'pglite') };
}

export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  return target.kind === 'postgres'
    ? openPostgres(target.url, target.poolSize ?? 10)
    : await openPglite(target);
}

function openPostgres(url: string, poolSize: number): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    // Seen in pg_stat_activity (an application_name in the URL wins).
    application_name: 'navigator',
    // A server that is down or unreachable answers the request with 503 within seconds instead of never.
    connectionTimeoutMillis: 10_000,
    keepAlive: true,
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  // pg-pool listens for errors only on idle clients: a checked-out client whose connection is lost (even between
  // being handed out and its first query) emits an 'error' event that would otherwise end the process. Its
  // queries fail as well, which is what requests act on, and the pool throws the client away on release.
  pool.on('connect', (client) => client.on('error', () => undefined));
  const executor = (client: pg.Pool | pg.PoolClient): PreparingExecutor => ({
    executeSql: async (text, values) => {
      const result = await client.query(text, values);
      return { rows: result.rows as Record<string, unknown>[] };
    },
    executePrepared: async (statement, values) => {
      const result = await client.query({ name: statement.name, text: statement.text, values });
      return { rows: result.rows as Record<string, unknown>[] };
    },
  });
  const attempt = async <T>(work: (tx: Tx) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    let broken: unknown;
    let committing = false;
    try {
      await client.query('BEGIN');
      const result = await work({ db: drizzleNodePg(client), sql: executor(client) });
      committing = true;
      await client.query('COMMIT');
      return result;
    } catch (error) {
      const lost = isConnectionError(error);
      if (lost) broken = error;
      else await client.query('ROLLBACK').catch((rollbackError: unknown) => (broken = rollbackError));
      throw committing && lost ? new CommitOutcomeUnknown(error) : error;
    } finally {
      // A client whose connection broke is thrown away, not returned to the pool.
      client.release(broken !== undefined);
    }
  };
  return {
    kind: 'postgres',
    db: drizzleNodePg(pool),
    sql: executor(pool),
    async transaction(work) {
      try {
        return await attempt(work);
      } catch (error) {
        // Lost before COMMIT was sent: nothing was written, so the work runs once more on a fresh connection.
        // A COMMIT that failed may still have been applied; repeating it could write twice.
        if (error instanceof CommitOutcomeUnknown || !isConnectionError(error)) throw error;
        return attempt(work);
      }
    },
    close: () => pool.end(),
    poolStats: () => ({
      inUse: pool.totalCount - pool.idleCount,
      idle: pool.idleCount,
      waiting: pool.waitingCount,
    }),
  };
}

/** The connection was lost while COMMIT was on its way: the transaction may or may not have been applied. */
export class CommitOutcomeUnknown extends Error {
  constructor(cause: unknown) {
    super('The connection to the database was lost during COMMIT', { cause });
    this.name = 'CommitOutcomeUnknown';
  }
}

// Class 08 (connection exception) and 57P0x (the server shut the connection down or is starting).
const CONNECTION_SQLSTATE = /^(08|57P0)/;
const CONNECTION_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH']);
// node-postgres reports a dropped socket and a pool wait that timed out with plain messages.
const CONNECTION_MESSAGE =
  /Connection terminated|not queryable|Connection ended unexpectedly|timeout exceeded when trying to connect/i;

/**
 * The database server could not be reached or dropped the connection: nothing was wrong with the request, and
 * it may succeed a moment later. Drizzle wraps driver errors, so their causes are looked at too.
 */
export function isConnectionError(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    if (typeof current !== 'object') return false;
    const { code, message, cause } = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (current instanceof CommitOutcomeUnknown) return true;
    if (typeof code === 'string' && (CONNECTION_SQLSTATE.test(code) || CONNECTION_ERRNO.has(code)))
      return true;
    if (typeof message === 'string' && CONNECTION_MESSAGE.test(message)) return true;
    current = cause;
  }
  return false;
}

/** A unique index refused the row (SQLSTATE 23505), from `pg` or PGlite, possibly wrapped by Drizzle. */
export function isUniqueViolation(error: unknown): boolean {
  const failure = error as { code?: string; cause?: { code?: string } } | null;
  return (failure?.cause?.code ?? failure?.code) === '23505';
}

/**
 * For entry points: opens the database, or prints one line and exits when another process holds the embedded
 * database (server, CLI commands and seeding must not share a DATA_DIR, see lock.ts).
 */
export async function openDatabaseOrExit(target: DatabaseTarget): Promise<Database> {
  try {
    return await openDatabase(target);
  } catch (error) {
    if (!(error instanceof DataDirLockedError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}

async function openPglite(target: Extract<DatabaseTarget, { kind: 'pglite' }>): Promise<Database> {
  let unlock: (() => void) | undefined;
  if (target.dataDir) {
    fs.mkdirSync(target.dataDir, { recursive: true });
    unlock = lockDataDir(target.dataDir);
  }
  let client: PGlite;
  try {
    if (target.dataDir && target.fillEmpty) await target.fillEmpty(target.dataDir);
    client = await PGlite.create({
      dataDir: target.dataDir,
      loadDataDir: target.loadDataDir,
      extensions: pgliteExtensions,
    });
  } catch (error) {
    unlock?.();
    throw error;
  }
  // PGlite runs one statement at a time; statements without parameters may hold several
  // commands (pg-boss migrations do), which only the simple-query protocol (`exec`) accepts.
  const executor = (conn: PGlite | PgliteTransaction): SqlExecutor => ({
    executeSql: async (text, values) => {
      if (values && values.length > 0) {
        const result = await conn.query<Record<string, unknown>>(text, values);
        return { rows: result.rows };
      }
      const results = await conn.exec(text);
      return { rows: results.at(-1)?.rows ?? [] };
    },
  });
  return {
    kind: 'pglite',
    db: drizzlePglite(client),
    sql: executor(client),
    transaction: (work) =>
      client.transaction((conn) =>
        // drizzle's PGlite driver only calls `query` on its client, which a PGlite transaction has.
        work({ db: drizzlePglite(conn as unknown as PGlite), sql: executor(conn) }),
      ),
    async close() {
      await client.close();
      unlock?.();
    },
    dumpDataDir: () => client.dumpDataDir('none'),
  };
}
