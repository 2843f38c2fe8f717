import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createBackground, prepareDatabase } from './app.js';
import { loadConfig } from './platform/config.js';
import { openDatabase } from './platform/db/client.js';
import { migrationsFolder } from './platform/db/migrate.js';
import type { Logger } from './platform/logger.js';

/**
 * The first start on an empty DATA_DIR (issue 16): instead of creating the embedded database (initdb), applying
 * every migration and writing the reference and demo data — 11–15 s — the app copies a data directory where all of
 * that was done once, kept under `.cache/pglite-image/<key>/` of the project and built on this machine (never
 * fetched). The key is a hash of what the image is made of: the migrations, the code that writes the reference and
 * demo data, PGlite's version, and the day (demo enrolment windows are relative to it), so a change of any of them
 * builds a new image at the next empty start. The job queue's schema and queues are in it too (ADR 0041). The
 * certificate number key is not in it: each data directory makes its own at start (ADR 0007). See ADR 0031.
 */

const root = fileURLToPath(new URL('..', import.meta.url));
const imagesDir = path.join(root, '.cache', 'pglite-image');

/** The files whose content the image holds, besides the migrations (relative to the project; absent ones skipped). */
const SOURCES = [
  'src/app.ts',
  'src/embedded-image.ts',
  'src/modules/programs/generator.ts',
  'src/modules/programs/search-index.ts',
  'src/modules/reference/data.ts',
  'src/modules/reference/service.ts',
  'src/modules/accounts/service.ts',
  'src/modules/accounts/password.ts',
  'node_modules/@electric-sql/pglite/package.json',
  'node_modules/pg-boss/package.json',
];

export function imageKey(today = new Date()): string {
  const hash = createHash('sha256');
  const migrations = fs
    .readdirSync(migrationsFolder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
  for (const file of [...migrations, ...SOURCES.map((source) => path.join(root, source))]) {
    if (!fs.existsSync(file)) continue;
    hash.update(path.relative(root, file)).update('\0').update(fs.readFileSync(file)).update('\0');
  }
  hash.update(today.toISOString().slice(0, 10));
  return hash.digest('hex').slice(0, 16);
}

/** The image's directory for today, built now when there is none. */
export async function ensureImage(logger: Logger, today = new Date()): Promise<string> {
  const key = imageKey(today);
  const image = path.join(imagesDir, key);
  if (fs.existsSync(path.join(image, 'PG_VERSION'))) return image;
  const started = performance.now();
  const building = `${image}.building-${process.pid}`;
  fs.rmSync(building, { recursive: true, force: true });
  const database = await openDatabase({ kind: 'pglite', dataDir: building });
  try {
    await prepareDatabase(database, { demoData: true }, logger, { numberKey: false });
    // pg-boss' schema and the app's queues too: creating them (a table per queue) was most of a first start
    // after the copy. A start still brings them in step with the code (ADR 0041).
    const background = await createBackground({
      config: loadConfig({}),
      database,
      logger,
      runWorker: false,
    });
    await background.close();
    await database.sql.executeSql('checkpoint');
  } finally {
    await database.close();
  }
  fs.rmSync(`${building}.lock`, { force: true });
  try {
    fs.renameSync(building, image);
  } catch (error) {
    // Another process built the same image at the same time: theirs is as good.
    fs.rmSync(building, { recursive: true, force: true });
    if (!fs.existsSync(path.join(image, 'PG_VERSION'))) throw error;
  }
  // Older images (other keys) are of no use any more.
  for (const entry of fs.readdirSync(imagesDir)) {
    if (entry !== key && !entry.includes('.building-')) {
      fs.rmSync(path.join(imagesDir, entry), { recursive: true, force: true });
    }
  }
  logger.info(
    { image: path.relative(root, image), ms: Math.round(performance.now() - started) },
    'embedded database image built',
  );
  return image;
}

/**
 * Fills an empty embedded data directory from the image (building the image first when there is none). Returns
 * false, doing nothing, when the directory already holds a database.
 */
export async function fillFromImage(dataDir: string, logger: Logger): Promise<boolean> {
  if (fs.existsSync(path.join(dataDir, 'PG_VERSION'))) return false;
  const image = await ensureImage(logger);
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  fs.cpSync(image, dataDir, { recursive: true });
  return true;
}
