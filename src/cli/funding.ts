import { createBackground, databaseTarget } from '../app.js';
import { createAccountingService, createContractsService, parseMonth } from '../modules/funding/index.js';
import { formatRoubles } from '../modules/funding/index.js';
import { loadConfigOrExit } from '../platform/config.js';
import { openDatabaseOrExit } from '../platform/db/client.js';
import { runMigrations } from '../platform/db/migrate.js';
import { createLogger } from '../platform/logger.js';

// npm run funding -- close-month 2026-11 — closes a month by hand, as the job does on the 1st (ADR 0035): the
// advances of that month, the invoices of the month before, the end of contracts that ended. Safe to rerun.
const USAGE = 'Usage: npm run funding -- close-month YYYY-MM';
const [command, argument] = process.argv.slice(2);
const month = argument ? parseMonth(argument) : null;
if (command !== 'close-month' || !month) {
  console.error(USAGE);
  process.exit(1);
}
const config = loadConfigOrExit();
// An embedded database the app holds is refused here with the holder's pid (the one-process lock).
const database = await openDatabaseOrExit(databaseTarget(config));
await runMigrations(database);
const background = await createBackground({
  config,
  database,
  logger: createLogger({ ...config, logLevel: 'warn' }),
  runWorker: false,
});
const contracts = createContractsService({ database, mailer: background.mailer, baseUrl: config.baseUrl });
const accounting = createAccountingService({
  database,
  mailer: background.mailer,
  baseUrl: config.baseUrl,
  contracts,
});
const started = performance.now();
const report = await accounting.closeMonth(month, { job: 'cli.close-month' });
const { advances, invoices } = report;
console.log(`Month ${month.slice(0, 7)} closed in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
console.log(
  `  advances of ${month.slice(0, 7)}: ${advances.count}, charged ${formatRoubles(advances.chargedKopecks)}`,
);
console.log(
  `  invoices of ${invoices.month.slice(0, 7)}: ${invoices.count}, charged ${formatRoubles(invoices.chargedKopecks)}, ` +
    `released ${formatRoubles(invoices.releasedKopecks)}, refunded ${formatRoubles(invoices.refundedKopecks)}`,
);
console.log(`  contracts ended: ${report.ended}`);
if (advances.count + invoices.count + report.ended === 0)
  console.log('  Nothing to do: the month was closed before.');
await background.close();
await database.close();
