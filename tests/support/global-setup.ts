import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/platform/db/client.js';
import { runMigrations } from '../../src/platform/db/migrate.js';
import { ensureReferenceData } from '../../src/modules/reference/service.js';
import { adminUrl, databaseUrlFor, templateNameFor } from './postgres-names.js';
import pg from 'pg';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    postgresTemplate: string;
  }
}

/**
 * Migrates one template database per run; every test file then starts from a copy of it
 * (a PGlite data dump, or CREATE DATABASE … TEMPLATE on a server) and creates its own data.
 */
export default async function setup(project: TestProject) {
  const kind = project.config.env?.TEST_DB;
  if (kind === 'pglite') {
    const database = await openDatabase({ kind: 'pglite' });
    await runMigrations(database);
    await ensureReferenceData(database.db);
    const dump = await database.dumpDataDir!();
    const file = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'navigator-test-')), 'template.tar');
    await fs.writeFile(file, Buffer.from(await dump.arrayBuffer()));
    await database.close();
    project.provide('pgliteTemplate', file);
    return async () => fs.rm(path.dirname(file), { recursive: true, force: true });
  }

  const baseUrl = process.env.TEST_DATABASE_URL!;
  const template = templateNameFor(baseUrl);
  const admin = new pg.Client({ connectionString: adminUrl(baseUrl) });
  await admin.connect();
  await dropDatabasesOf(admin, baseUrl);
  await admin.query(`create database "${template}"`);
  const database = await openDatabase({
    kind: 'postgres',
    url: databaseUrlFor(baseUrl, template),
    poolSize: 2,
  });
  await runMigrations(database);
  await ensureReferenceData(database.db);
  await database.close();
  project.provide('postgresTemplate', template);
  return async () => {
    await dropDatabasesOf(admin, baseUrl);
    await admin.end();
  };
}

async function dropDatabasesOf(admin: pg.Client, baseUrl: string) {
  const prefix = templateNameFor(baseUrl).replace(/_tpl$/, '');
  const { rows } = await admin.query<{ datname: string }>(
    `select datname from pg_database where datname like $1`,
    [`${prefix}\\_%`],
  );
  for (const { datname } of rows) await admin.query(`drop database if exists "${datname}" with (force)`);
}
