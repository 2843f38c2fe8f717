/** What the benches share: a PostgreSQL database of their own, seeded once with the synthetic catalog. */
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { generateSyntheticCatalog, insertCatalog } from '../src/modules/programs/index.js';
import { ensureReferenceData } from '../src/modules/reference/index.js';
import { openDatabase, queryRows, type Database } from '../src/platform/db/client.js';
import { runMigrations } from '../src/platform/db/migrate.js';

/** Creates the database of `url` on its server unless it is there already. */
export async function ensureDatabase(url: string) {
  const name = new URL(url).pathname.slice(1);
  const adminUrl = new URL(url);
  adminUrl.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: adminUrl.toString() });
  await admin.connect();
  const exists = await admin.query('select 1 from pg_database where datname = $1', [name]);
  if (exists.rowCount === 0) await admin.query(`create database "${name}"`);
  await admin.end();
}

/** The number of rows of a table (a bench's own database: the name is never from outside). */
export async function countOf(database: Database, table: string): Promise<number> {
  return Number((await queryRows(database.db, sql.raw(`select count(*) as n from ${table}`)))[0]!.n);
}

/**
 * The bench's database, migrated, with the region's reference data and `programs` synthetic programs (the
 * generator of `npm run db:seed`); seeded again only when the count differs or `reseed` asks for it.
 */
export async function openCatalogDatabase(
  databaseUrl: string,
  { programs, reseed }: { programs: number; reseed: boolean },
): Promise<Database> {
  await ensureDatabase(databaseUrl);
  const database = await openDatabase({ kind: 'postgres', url: databaseUrl, poolSize: 4 });
  await runMigrations(database);
  await ensureReferenceData(database.db);
  if (reseed || (await countOf(database, 'programs')) !== programs) {
    console.log(`seeding ${programs} programs…`);
    await queryRows(database.db, sql`truncate organizations, programs, program_groups, search_terms cascade`);
    const started = performance.now();
    await insertCatalog(database.db, generateSyntheticCatalog(programs, new Date(), 67), { batchSize: 1000 });
    console.log(`seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  return database;
}

/** The environment of the app as the benches run it: production mode on `databaseUrl`, letters to `smtpUrl`. */
export function benchAppEnv({
  databaseUrl,
  smtpUrl,
  port,
}: {
  databaseUrl: string;
  smtpUrl: string;
  port: number;
}): Record<string, string> {
  return {
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    SMTP_URL: smtpUrl,
    BASE_URL: 'https://navigator.bench',
    SESSION_SECRET: 'bench-secret-bench-secret-bench-secret',
    LOG_LEVEL: 'warn',
    PORT: String(port),
    HOST: '127.0.0.1',
  };
}
