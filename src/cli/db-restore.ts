import { parseArgs } from 'node:util';
import { databaseTarget } from '../app.js';
import { loadConfigOrExit, maskSecrets } from '../platform/config.js';
import { BackupError, restoreDatabase } from '../platform/db/backup.js';
import { DataDirLockedError } from '../platform/db/lock.js';

// npm run db:restore -- FILE --yes: replaces the database by a backup of npm run db:backup. Stop the app (web
// processes and workers) first; the embedded database refuses while anything holds it.
const USAGE = 'Usage: npm run db:restore -- FILE --yes (replaces the current database by the backup in FILE)';
const { values, positionals } = parseArgs({ options: { yes: { type: 'boolean' } }, allowPositionals: true });
const [file] = positionals;
if (!file || positionals.length > 1 || !values.yes) {
  console.error(USAGE);
  process.exit(1);
}
const config = loadConfigOrExit();
const target = databaseTarget(config);
try {
  const { keptAside } = await restoreDatabase(target, file);
  const where = target.kind === 'postgres' ? maskSecrets(target.url) : target.dataDir;
  console.log(`Restored ${file} into ${where}.`);
  if (keptAside)
    console.log(`The previous embedded database is kept in ${keptAside} (delete it when satisfied).`);
  console.log('Start the app: it applies any migrations newer than the backup.');
} catch (error) {
  if (!(error instanceof BackupError || error instanceof DataDirLockedError)) throw error;
  console.error(error.message);
  process.exit(1);
}
