import { createBackground, databaseTarget } from '../app.js';
import { createCertificatesService } from '../modules/certificates/index.js';
import {
  createAccountingService,
  createContractsService,
  createRolloverService,
  formatRoubles,
  parseMonth,
  parsePeriod,
  periodName,
  shiftMonth,
} from '../modules/funding/index.js';
import { loadConfigOrExit } from '../platform/config.js';
import { openDatabaseOrExit } from '../platform/db/client.js';
import { runMigrations } from '../platform/db/migrate.js';
import { createLogger } from '../platform/logger.js';

// npm run funding -- close-month 2026-11 — closes a month by hand, as the job does on the 1st (ADR 0035): the
// advances of that month, the invoices of the month before, the end of contracts that ended. Safe to rerun.
// `close-month 2026-09 2026-11` closes each month from the first to the last in order (months the job missed).
// npm run funding -- close-period 2026 — closes the education year 2026/27 once it has ended, as the nightly job
// does (ADR 0039): its contracts end, what is left expires, the queue is withdrawn or carried, and the certificates
// are funded again in the next period if it is open. Run again after the next period opens, it funds there those
// not carried yet. Safe to rerun.
const USAGE = 'Usage: npm run funding -- close-month YYYY-MM [YYYY-MM] | close-period YYYY';
const [command, argument, last] = process.argv.slice(2);
const months: string[] = [];
let period: ReturnType<typeof parsePeriod> = null;
if (command === 'close-period') {
  period = argument && last === undefined ? parsePeriod(argument) : null;
  if (!period) {
    console.error(USAGE);
    process.exit(1);
  }
} else {
  const first = argument ? parseMonth(argument) : null;
  const until = last === undefined ? first : parseMonth(last);
  if (command !== 'close-month' || !first || !until || until < first || process.argv.length > 5) {
    console.error(USAGE);
    process.exit(1);
  }
  for (let month = first; month <= until; month = shiftMonth(month, 1)) months.push(month);
  if (months.length > 24) {
    console.error('At most 24 months at once.');
    process.exit(1);
  }
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
for (const month of months) {
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
}
let failed = false;
if (period) {
  const started = performance.now();
  const rollover = createRolloverService({
    database,
    mailer: background.mailer,
    baseUrl: config.baseUrl,
    accounting,
    certificates: createCertificatesService({ database }),
  });
  const report = await rollover.closePeriod(period, { job: 'cli.close-period' });
  if (!report.ended) {
    console.error(`${periodName(period)} ends on ${period.endsOn}: it can be closed from the next day.`);
    failed = true;
  } else {
    const { expired, carried } = report;
    console.log(`${periodName(period)} closed in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
    console.log(
      `  municipalities' periods closed now: ${report.closed}, contracts ended: ${report.contractsEnded}`,
    );
    console.log(`  balances expired: ${expired.count}, ${formatRoubles(expired.kopecks)}`);
    console.log(`  queued requests withdrawn: ${report.withdrawn}`);
    console.log(
      `  carried into the next period: ${carried.funded} funded (${formatRoubles(carried.grantedKopecks)}), ` +
        `${carried.queued} queued; certificates of учёт again: ${report.toAccounting}`,
    );
    const done =
      report.closed +
      report.contractsEnded +
      expired.count +
      report.withdrawn +
      carried.funded +
      carried.queued;
    if (done === 0)
      console.log('  Nothing to do: the period was closed before, and nothing is left to carry.');
  }
}
await background.close();
await database.close();
if (failed) process.exit(1);
