import { parseArgs } from 'node:util';
import { databaseTarget } from '../app.js';
import { loadConfigOrExit } from '../platform/config.js';
import { backupDatabase, BackupError, defaultBackupFile } from '../platform/db/backup.js';
import { DataDirLockedError } from '../platform/db/lock.js';

// npm run db:backup [-- --file backups/x.dump]: pg_dump (custom format) of DATABASE_URL, or a tarball of the
// embedded database in DATA_DIR (the app must be stopped: the embedded database is one process's).
const { values } = parseArgs({ options: { file: { type: 'string' } } });
const config = loadConfigOrExit();
const target = databaseTarget(config);
const file = values.file ?? defaultBackupFile(target);
try {
  await backupDatabase(target, file);
  console.log(`Backup written to ${file} (${target.kind}).`);
} catch (error) {
  if (!(error instanceof BackupError || error instanceof DataDirLockedError)) throw error;
  console.error(error.message);
  process.exit(1);
}
