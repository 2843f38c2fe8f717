import { createBackground, databaseTarget, prepareDatabase } from './app.js';
import { loadConfigOrExit } from './platform/config.js';
import { openDatabaseOrExit } from './platform/db/client.js';
import { createLogger } from './platform/logger.js';

// A worker of its own handles background jobs while web processes set RUN_JOBS_IN_WEB=false.
const config = loadConfigOrExit();
const logger = createLogger(config);
if (!config.databaseUrl) {
  console.error(
    'Invalid configuration: DATABASE_URL is required for a separate worker (the embedded database opens in one process only; npm start runs the worker inside the web process)',
  );
  process.exit(1);
}
const database = await openDatabaseOrExit(databaseTarget(config));
await prepareDatabase(database, config, logger);
const background = await createBackground({ config, database, logger, runWorker: true });
logger.info('worker is running');

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  await background.close();
  await database.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
