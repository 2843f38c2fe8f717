/**
 * npm run bench:funding — the month close (ADR 0035) for N active contracts on PostgreSQL: time, peak memory, and
 * a second run that writes nothing.
 *
 * A scratch database (BENCH_DATABASE_URL, default `navigator_bench_funding` on 127.0.0.1:5432, dropped and made
 * again at each run: the funding ledger refuses TRUNCATE) is seeded in bulk SQL: a small catalog, N parents with a
 * child, a funded certificate and an active contract each, whose months are the month before, the month closed and
 * the month after (400 ₽ a month by certificate, all reserved). Closing the current month then makes N invoices of
 * the month before (no advance was taken for it), N advances, N letters. Goal: < 60 s for 100,000, flat memory.
 *
 *   npm run bench:funding                       # 100,000 contracts
 *   npm run bench:funding -- --contracts 10000
 */
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { createBackground } from '../src/app.js';
import { createAccountingService, createContractsService } from '../src/modules/funding/index.js';
import { generateSyntheticCatalog, insertCatalog } from '../src/modules/programs/index.js';
import { ensureReferenceData } from '../src/modules/reference/index.js';
import { loadConfig } from '../src/platform/config.js';
import { openDatabase, queryRows } from '../src/platform/db/client.js';
import { runMigrations } from '../src/platform/db/migrate.js';
import { createLogger } from '../src/platform/logger.js';
import { regionToday } from '../src/platform/views/format.js';
import { shiftMonth } from '../src/modules/funding/accounting.js';
import { periodOf } from '../src/modules/funding/money.js';

const { values } = parseArgs({ options: { contracts: { type: 'string', default: '100000' } } });
const count = Number(values.contracts);
if (!Number.isInteger(count) || count < 1) throw new Error('--contracts must be a positive whole number');

const databaseUrl =
  process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/navigator_bench_funding';
await recreateDatabase(databaseUrl);
const database = await openDatabase({ kind: 'postgres', url: databaseUrl, poolSize: 4 });
await runMigrations(database);
await ensureReferenceData(database.db);
const month = `${regionToday().slice(0, 7)}-01`;
const period = periodOf(month);
const months = [shiftMonth(month, -1), month, shiftMonth(month, 1)];
const run = (query: ReturnType<typeof sql>) => queryRows(database.db, query);

const seeding = performance.now();
await insertCatalog(database.db, generateSyntheticCatalog(20, new Date(), 67), { batchSize: 20 });
const [group] = await run(
  sql`select g.id as group_id, p.id as program_id, p.organization_id
        from program_groups g join programs p on p.id = g.program_id order by g.id limit 1`,
);
const [periodRow] = await run(
  sql`insert into funding_periods (municipality_id, starts_on, ends_on, open)
      values (1, ${period.startsOn}, ${period.endsOn}, true) returning id`,
);
const [category] = await run(
  sql`insert into funding_categories (period_id, name, age_from, age_to, nominal_kopecks, quota)
      values (${periodRow!.id}, 'Дети 5–18 лет', 5, 18, 500000, ${count}) returning id`,
);
await run(
  sql`insert into users (id, email, password_hash, last_name, first_name, phone, municipality_id, applicant_kind)
      select md5('user' || i)::uuid, 'bench' || i || '@example.ru', 'x', 'Иванова', 'Анна',
             '+7900' || lpad(i::text, 7, '0'), 1, 'parent'
        from generate_series(1, ${count}) as i`,
);
await run(
  sql`insert into children (id, owner_user_id, last_name, first_name, birth_date, sex, document_type,
                            document_series, document_number, document_issued_at, document_issued_by,
                            municipality_id, registration_address, identity_key, data_status)
      select md5('child' || i)::uuid, md5('user' || i)::uuid, 'Иванов', 'Ребёнок' || i,
             current_date - 10 * 365, 'male', 'birth_certificate', 'I-МП', lpad(i::text, 6, '0'), '2016-01-01',
             'ЗАГС', 1, 'ул. Ленина, 1', 'bench|' || i, 'confirmed'
        from generate_series(1, ${count}) as i`,
);
await run(
  sql`insert into certificates (id, child_id, number, status, issued_at, valid_until, holder_key)
      select md5('cert' || i)::uuid, md5('child' || i)::uuid, lpad((6700000000 + i)::text, 10, '0'), 'active',
             now(), current_date + 3650, 'bench|' || i
        from generate_series(1, ${count}) as i`,
);
await run(
  sql`insert into funding_requests (certificate_id, category_id, period_id, status, requested_by, decided_at)
      select md5('cert' || i)::uuid, ${category!.id}, ${periodRow!.id}, 'funded', md5('user' || i)::uuid, now()
        from generate_series(1, ${count}) as i`,
);
const monthsJson = JSON.stringify(
  months.map((m) => ({ month: m, certificateKopecks: 40_000, familyKopecks: 0 })),
);
await run(
  sql`insert into funding_contracts (id, number, application_id, certificate_id, period_id, municipality_id,
                                     organization_id, program_id, group_id, child_id, parent_user_id, status,
                                     starts_on, ends_on, price_kopecks, certificate_kopecks, family_kopecks, months,
                                     accepted_at)
      select md5('contract' || i)::uuid, 'B-' || i, md5('application' || i)::uuid, md5('cert' || i)::uuid,
             ${periodRow!.id}, 1, ${group!.organization_id}, ${group!.program_id}, ${group!.group_id},
             md5('child' || i)::uuid, md5('user' || i)::uuid, 'active', ${months[0]}::date,
             (${months[2]}::date + interval '1 month' - interval '1 day')::date, 40000, 120000, 0,
             ${monthsJson}::jsonb, now()
        from generate_series(1, ${count}) as i`,
);
await run(
  sql`insert into funding_ledger (certificate_id, period_id, contract_id, kind, amount_kopecks, job, reason)
      select md5('cert' || i)::uuid, ${periodRow!.id}::uuid, null::uuid, 'grant'::funding_movement, 500000, 'bench', 'Номинал'
        from generate_series(1, ${count}) as i
      union all
      select md5('cert' || i)::uuid, ${periodRow!.id}::uuid, md5('contract' || i)::uuid, 'reserve', 120000, 'bench', 'Резерв'
        from generate_series(1, ${count}) as i`,
);
await run(sql`vacuum analyze`);
console.log(`seeded ${count} active contracts in ${((performance.now() - seeding) / 1000).toFixed(1)} s`);

const config = loadConfig({
  NODE_ENV: 'test',
  DATABASE_URL: databaseUrl,
  LOG_LEVEL: 'silent',
  BASE_URL: 'https://navigator.example',
});
const background = await createBackground({
  config,
  database,
  logger: createLogger(config),
  runWorker: false,
});
const contracts = createContractsService({ database, mailer: background.mailer, baseUrl: config.baseUrl });
const accounting = createAccountingService({
  database,
  mailer: background.mailer,
  baseUrl: config.baseUrl,
  contracts,
});
const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const ledgerRows = async () =>
  Number((await run(sql`select count(*)::bigint as n from funding_ledger`))[0]!.n);

let peak = process.memoryUsage().rss;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
console.log(`RSS before the close: ${megabytes(process.memoryUsage().rss)}`);
for (const attempt of ['first', 'second']) {
  const before = await ledgerRows();
  const started = performance.now();
  const report = await accounting.closeMonth(month, { job: 'bench' });
  const seconds = (performance.now() - started) / 1000;
  const written = (await ledgerRows()) - before;
  console.log(
    `${attempt} close of ${month.slice(0, 7)}: ${seconds.toFixed(1)} s, ${report.advances.count} advances, ` +
      `${report.invoices.count} invoices of ${report.invoices.month.slice(0, 7)}, ${report.ended} ended, ` +
      `${written} ledger rows written; peak RSS so far ${megabytes(peak)}`,
  );
  if (attempt === 'first' && (report.advances.count !== count || report.invoices.count !== count))
    throw new Error('the first close should make an advance and an invoice per contract');
  if (attempt === 'second' && written + report.advances.count + report.invoices.count > 0)
    throw new Error('the second close wrote something');
}
clearInterval(sampler);
const [letters] = await run(sql`select count(*)::int as n from pgboss.job where name = 'mail.send'`);
console.log(
  `letters queued: ${Number(letters!.n)}; peak RSS ${megabytes(peak)} (maxRSS ${megabytes(process.resourceUsage().maxRSS * 1024)})`,
);
await background.close();
await database.close();

async function recreateDatabase(url: string) {
  const name = new URL(url).pathname.slice(1);
  const admin = new pg.Client({ connectionString: url.replace(/\/[^/]*$/, '/postgres') });
  await admin.connect();
  await admin.query(`drop database if exists "${name}" with (force)`);
  await admin.query(`create database "${name}"`);
  await admin.end();
}
