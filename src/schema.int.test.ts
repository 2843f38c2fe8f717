import { pushSchema } from 'drizzle-kit/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../tests/support/database.js';
import type { Database } from './platform/db/client.js';
import { runMigrations } from './platform/db/migrate.js';
import * as schema from './schema.js';

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.close();
});

describe('migrations', () => {
  it('produce exactly the schema declared in code', async () => {
    // drizzle-kit compares the migrated database with the code; any difference would be a statement to run.
    const { statementsToExecute } = await pushSchema(schema, database.db as never, ['public']);
    expect(statementsToExecute).toEqual([]);
  });

  it('are idempotent: applying them again changes nothing', async () => {
    await runMigrations(database);
    const { statementsToExecute } = await pushSchema(schema, database.db as never, ['public']);
    expect(statementsToExecute).toEqual([]);
  });
});

describe('Russian search support', () => {
  it('has the russian text search configuration with morphology', async () => {
    const { rows } = await database.sql.executeSql(
      `select to_tsvector('russian', 'Кружки робототехники для детей') @@ to_tsquery('russian', 'робототехника & дети') as found`,
    );
    expect(rows[0]?.found).toBe(true);
  });

  it('has pg_trgm for typos', async () => {
    const { rows } = await database.sql.executeSql(
      `select word_similarity('роботехника', 'Робототехника для начинающих') as score`,
    );
    expect(Number(rows[0]?.score)).toBeGreaterThan(0.5);
  });
});
