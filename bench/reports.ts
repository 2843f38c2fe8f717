/**
 * npm run bench:reports — how long each staff report takes on the 100,000-program synthetic catalog.
 *
 * A PostgreSQL server (BENCH_DATABASE_URL, default `navigator_bench_reports` on 127.0.0.1:5432) seeded once with
 * the same generator as `npm run db:seed` (100,000 programs, about 300,000 groups) and, in SQL, 30,000 children
 * with certificates (some confirmed, some funded) and 100,000 applications to random groups. Each report is built
 * by the reports service as the coordinator (the whole region, the largest query) and as a municipal
 * administrator, 5 times after a warm-up; the median and the slowest are printed. Goal: < 500 ms each. The
 * programs report reads figures a job gathers every 5 minutes (ADR 0045): the time to gather them is printed too.
 *
 *   npm run bench:reports                    # seeds once, reuses the seeded database on later runs
 *   npm run bench:reports -- --reseed --programs 100000 --children 30000 --applications 100000
 */
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { REPORTS, createReportsService } from '../src/modules/reports/index.js';
import { createReportQueries } from '../src/modules/reports/queries.js';
import type { Operator } from '../src/platform/http/request-context.js';
import { queryRows } from '../src/platform/db/client.js';
import { regionToday } from '../src/platform/views/format.js';
import { countOf as countRows, openCatalogDatabase } from './support.js';

const { values } = parseArgs({
  options: {
    programs: { type: 'string', default: '100000' },
    children: { type: 'string', default: '30000' },
    applications: { type: 'string', default: '100000' },
    reseed: { type: 'boolean', default: false },
    runs: { type: 'string', default: '5' },
  },
});
const programCount = Number(values.programs);
const childCount = Number(values.children);
const applicationCount = Number(values.applications);
const runs = Number(values.runs);

const databaseUrl =
  process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/navigator_bench_reports';
const database = await openCatalogDatabase(databaseUrl, { programs: programCount, reseed: values.reseed });
const countOf = (table: string) => countRows(database, table);
if (values.reseed || (await countOf('applications')) !== applicationCount) {
  console.log(`seeding ${childCount} children with certificates and ${applicationCount} applications…`);
  // The funding ledger is append-only (a trigger refuses even TRUNCATE): people are seeded into a fresh database.
  if ((await countOf('users')) > 0)
    throw new Error(`drop the database ${new URL(databaseUrl).pathname.slice(1)} to seed its people again`);
  // One parent per four children; ages 4–19 so that some fall outside the bands.
  await queryRows(
    database.db,
    sql`insert into users (id, email, password_hash, last_name, first_name, phone, municipality_id, applicant_kind)
        select md5('user' || i)::uuid, 'bench' || i || '@example.ru', 'x', 'Иванова', 'Анна',
               '+7900' || lpad(i::text, 7, '0'), 1 + i % 27, 'parent'
          from generate_series(1, ${Math.ceil(childCount / 4)}) as i`,
  );
  await queryRows(
    database.db,
    sql`insert into children (id, owner_user_id, last_name, first_name, birth_date, sex, document_type,
                              document_series, document_number, document_issued_at, document_issued_by,
                              municipality_id, registration_address, identity_key, data_status)
        select md5('child' || i)::uuid, md5('user' || (1 + (i - 1) / 4))::uuid, 'Иванов', 'Ребёнок' || i,
               current_date - (4 * 365 + (i * 7919) % (15 * 365)), 'male', 'birth_certificate', 'I-МП',
               lpad(i::text, 6, '0'), '2015-01-01', 'ЗАГС', 1 + i % 27, 'ул. Ленина, 1', 'bench|' || i,
               (case when i % 3 = 0 then 'unconfirmed' else 'confirmed' end)::child_data_status
          from generate_series(1, ${childCount}) as i`,
  );
  await queryRows(
    database.db,
    sql`insert into certificates (child_id, number, status, issued_at, valid_until, holder_key)
        select md5('child' || i)::uuid, lpad((6700000000 + i)::text, 10, '0'),
               (case when i % 3 = 0 then 'awaiting_confirmation' else 'active' end)::certificate_status,
               now() - make_interval(days => (i * 31) % 700), current_date + 3650, 'bench|' || i
          from generate_series(1, ${childCount}) as i`,
  );
  // Applications to random groups of published programs, spread over the last 300 days, statuses mixed.
  await queryRows(
    database.db,
    sql`with g as (select g.id, g.program_id, p.organization_id, row_number() over () as n
                     from program_groups g join programs p on p.id = g.program_id where p.status = 'published'),
             total as (select count(*) as n from g)
        insert into applications (group_id, program_id, organization_id, child_id, applicant_user_id,
                                  filed_by_user_id, channel, status, created_at)
        select g.id, g.program_id, g.organization_id, md5('child' || c)::uuid, md5('user' || (1 + (c - 1) / 4))::uuid,
               md5('user' || (1 + (c - 1) / 4))::uuid, 'online',
               (array['new','accepted','accepted','accepted','rejected','queued','cancelled','completed'])[1 + i % 8]::application_status,
               now() - make_interval(days => (i * 13) % 300)
          from generate_series(1, ${applicationCount}) as i
          cross join lateral (select 1 + (i * 7) % ${childCount} as c) as child
          cross join total
          join g on g.n = 1 + (i::bigint * 104729) % total.n
        on conflict do nothing`,
  );
  // Funded requests need a funding period and a category per municipality.
  await queryRows(
    database.db,
    sql`insert into funding_periods (municipality_id, starts_on, ends_on, open)
        select id, date_trunc('year', current_date)::date, date_trunc('year', current_date)::date + 364, true
          from municipalities`,
  );
  await queryRows(
    database.db,
    sql`insert into funding_categories (period_id, name, age_from, age_to, nominal_kopecks, quota)
        select id, 'Все', 5, 18, 1000000, 100000 from funding_periods`,
  );
  await queryRows(
    database.db,
    sql`insert into funding_requests (certificate_id, category_id, period_id, status, requested_by)
        select cert.id, fc.id, fp.id, 'funded', ch.owner_user_id
          from certificates cert join children ch on ch.id = cert.child_id
          join funding_periods fp on fp.municipality_id = ch.municipality_id
          join funding_categories fc on fc.period_id = fp.id
         where cert.status = 'active' and (hashtext(cert.id::text) % 2) = 0`,
  );
}
// What autovacuum does on a live server soon after a load: statistics, and the visibility map that lets the
// reports count from their indexes alone (index-only scans).
await queryRows(database.db, sql`vacuum analyze`);
console.log(
  `data: ${await countOf('programs')} programs, ${await countOf('program_groups')} groups, ` +
    `${await countOf('organizations')} organizations, ${await countOf('children')} children, ` +
    `${await countOf('certificates')} certificates, ${await countOf('applications')} applications`,
);

const today = regionToday();
const yearAgo = `${Number(today.slice(0, 4)) - 1}${today.slice(4)}`;
const coordinator: Operator = {
  id: '00000000-0000-4000-8000-0000000000e1',
  emailVerified: true,
  staff: { role: 'coordinator', municipalityId: null, organizationId: null },
} as Operator;
const admin: Operator = {
  id: '00000000-0000-4000-8000-0000000000d1',
  emailVerified: true,
  staff: { role: 'municipal_admin', municipalityId: 1, organizationId: null },
} as Operator;
const reports = createReportsService({ database });

// The programs report reads figures gathered every 5 minutes (ADR 0045): what gathering them costs, as the job
// pays it in the background, then the report as staff read it.
const gatherTimes: number[] = [];
for (let run = 0; run < 3; run++) {
  const started = performance.now();
  await createReportQueries(database).refreshPrograms();
  gatherTimes.push(performance.now() - started);
}
gatherTimes.sort((a, b) => a - b);
console.log(
  `programs figures gathered (the job, every 5 minutes): median ${gatherTimes[1]!.toFixed(0)} ms, ` +
    `slowest ${gatherTimes[2]!.toFixed(0)} ms (a background job; not a report)`,
);

let slowest = 0;
for (const [who, operator] of [
  ['coordinator, region', coordinator],
  ['municipal admin, Смоленск', admin],
] as const) {
  for (const report of REPORTS) {
    const filter = { municipalityId: null, from: yearAgo, to: today };
    await reports.build(operator, report.slug, filter); // warm-up
    const times: number[] = [];
    for (let run = 0; run < runs; run++) {
      const started = performance.now();
      await reports.build(operator, report.slug, filter);
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)]!;
    slowest = Math.max(slowest, times.at(-1)!);
    console.log(
      `${who.padEnd(26)} ${report.slug.padEnd(14)} median ${median.toFixed(0).padStart(4)} ms, slowest ${times.at(-1)!.toFixed(0).padStart(4)} ms`,
    );
  }
}
console.log(`slowest report: ${slowest.toFixed(0)} ms (goal < 500 ms) ${slowest < 500 ? 'OK' : 'TOO SLOW'}`);
await database.close();
