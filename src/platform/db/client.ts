import fs from 'node:fs';
import { PGlite, type Transaction as PgliteTransaction } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import type { SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
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
   * on the outer `db`/`sql` would wait for this very transaction to end (a deadlock).
   */
  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** PGlite only: the whole data directory as a tarball (test templates, backups of a demo). */
  dumpDataDir?(): Promise<Blob>;
}

export const pgliteExtensions = { pg_trgm };

export type DatabaseTarget =
  | { kind: 'postgres'; url: string; poolSize?: number }
  | { kind: 'pglite'; dataDir?: string; loadDataDir?: Blob };

export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  return target.kind === 'postgres'
    ? openPostgres(target.url, target.poolSize ?? 10)
    : await openPglite(target);
}

function openPostgres(url: string, poolSize: number): Database {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
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
  return {
    kind: 'postgres',
    db: drizzleNodePg(pool),
    sql: executor(pool),
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work({ db: drizzleNodePg(client), sql: executor(client) });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

async function openPglite(target: { dataDir?: string; loadDataDir?: Blob }): Promise<Database> {
  if (target.dataDir) fs.mkdirSync(target.dataDir, { recursive: true });
  const client = await PGlite.create({
    dataDir: target.dataDir,
    loadDataDir: target.loadDataDir,
    extensions: pgliteExtensions,
  });
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
    close: () => client.close(),
    dumpDataDir: () => client.dumpDataDir('none'),
  };
}
