import { parseArgs } from 'node:util';
import { databaseTarget } from '../app.js';
import { generateDemoCatalog, generateSyntheticCatalog, insertCatalog } from '../modules/programs/index.js';
import { ensureReferenceData } from '../modules/reference/index.js';
import { loadConfigOrExit } from '../platform/config.js';
import { openDatabaseOrExit } from '../platform/db/client.js';
import { runMigrations } from '../platform/db/migrate.js';

// npm run db:seed                      — reference data and the demo catalog
// npm run db:seed -- --programs 100000 — plus a synthetic catalog of that many programs (benchmarks)
const { values } = parseArgs({
  options: { programs: { type: 'string' }, 'no-demo': { type: 'boolean', default: false } },
});
const programCount = values.programs === undefined ? 0 : Number(values.programs);
if (!Number.isInteger(programCount) || programCount < 0) {
  console.error('--programs must be a whole number, e.g. --programs 100000');
  process.exit(1);
}

const config = loadConfigOrExit();
const database = await openDatabaseOrExit(databaseTarget(config));
await runMigrations(database);
await ensureReferenceData(database.db);
console.log('Reference data: 27 municipalities, 6 направленностей.');

if (!values['no-demo']) {
  const totals = await insertCatalog(database.db, generateDemoCatalog());
  console.log(
    `Demo catalog: ${totals.organizations} organizations, ${totals.programs} programs, ${totals.groups} groups.`,
  );
}

if (programCount > 0) {
  const started = performance.now();
  let lastReport = 0;
  const totals = await insertCatalog(
    database.db,
    generateSyntheticCatalog(programCount, new Date(), Date.now() % 100_000),
    {
      batchSize: 1000,
      onProgress: (done) => {
        if (done - lastReport >= 10_000 || done === programCount) {
          lastReport = done;
          const seconds = (performance.now() - started) / 1000;
          console.log(`  ${done} / ${programCount} programs (${Math.round(done / seconds)} per second)`);
        }
      },
    },
  );
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `Synthetic catalog: ${totals.organizations} organizations, ${totals.programs} programs, ${totals.groups} groups in ${seconds} s.`,
  );
}
await database.close();
