import fs from 'node:fs';
import path from 'node:path';
import { loadConfigOrExit } from './platform/config.js';
import { databaseTarget, openDatabaseOrExit } from './platform/db/client.js';
import { createLogger } from './platform/logger.js';

// Milliseconds since the process started, at the end of each phase: logged with «ready» (ADR 0041).
const phases: Record<string, number> = {};
const phase = (name: string) => (phases[name] = Math.round(performance.now()));
phase('imports');
const config = loadConfigOrExit();
const logger = createLogger(config);

// The app's modules load while the database opens: PGlite reads and compiles its WebAssembly off the main
// thread, and module evaluation fills that time (ADR 0041).
const appModule = import('./app.js');
appModule.catch(() => undefined);
const target = databaseTarget(config);
// An empty embedded database with demo data starts from a prepared image (ADR 0031).
if (target.kind === 'pglite' && config.demoData) {
  target.fillEmpty = async (dataDir) => {
    // A restart does not load the image's code (it imports the whole app) before the database opens.
    if (fs.existsSync(path.join(dataDir, 'PG_VERSION'))) return;
    const { fillFromImage } = await import('./embedded-image.js');
    if (await fillFromImage(dataDir, logger)) logger.info('embedded database copied from the prepared image');
    phase('image');
  };
}
const database = await openDatabaseOrExit(target);
phase('database');
const { createApp, prepareDatabase } = await appModule;
phase('app');
await prepareDatabase(database, config, logger);
phase('prepare');
// The worker starts after listen: job fetches would otherwise queue before the first request.
const app = await createApp({ config, database, logger, runWorker: config.runJobsInWeb, deferWorker: true });
phase('build');
await app.http.listen({ port: config.port, host: config.host });
phase('listen');
await app.startWorker();
phase('worker');
logger.info(
  { database: database.kind, worker: config.runJobsInWeb, startupMs: phases.worker, phases },
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
