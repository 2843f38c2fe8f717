import { createApp, databaseTarget, prepareDatabase } from './app.js';
import { loadConfigOrExit } from './platform/config.js';
import { openDatabaseOrExit } from './platform/db/client.js';
import { createLogger } from './platform/logger.js';

const startedAt = performance.now();
const config = loadConfigOrExit();
const logger = createLogger(config);

const target = databaseTarget(config);
// An empty embedded database with demo data starts from a prepared image (ADR 0031).
if (target.kind === 'pglite' && config.demoData) {
  const { fillFromImage } = await import('./embedded-image.js');
  target.fillEmpty = async (dataDir) => {
    if (await fillFromImage(dataDir, logger)) logger.info('embedded database copied from the prepared image');
  };
}
const database = await openDatabaseOrExit(target);
await prepareDatabase(database, config, logger);
const app = await createApp({ config, database, logger, runWorker: config.runJobsInWeb });
await app.http.listen({ port: config.port, host: config.host });
logger.info(
  {
    database: database.kind,
    worker: config.runJobsInWeb,
    startupMs: Math.round(performance.now() - startedAt),
  },
  `navigator is ready at ${config.baseUrl}`,
);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  await app.close();
  await database.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
