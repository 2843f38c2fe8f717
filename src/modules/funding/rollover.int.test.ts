import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMailingTestApp } from '../../../tests/support/app.js';
import { TestClient, textOf } from '../../../tests/support/client.js';
import { activeContract, createFundingStaff } from '../../../tests/support/contracts.js';
import { createFamily, createOrganization } from '../../../tests/support/enrolment.js';
import type { App } from '../../app.js';
import type { Actor } from '../../platform/access/policy.js';
import { queryRows, type Database } from '../../platform/db/client.js';
import { MAIL_JOB_NAME } from '../../platform/mail/mailer.js';
import { regionToday } from '../../platform/views/format.js';
import { hashPassword } from '../accounts/password.js';
import { PERIOD_ENDED_REASON } from './contracts.js';
import { nextPeriod, periodOf, proratedNominal } from './money.js';
import { PERIOD_CLOSE_JOB, type PeriodCloseReport } from './rollover.js';

/**
 * The period close and the rollover (issue 13, item 2; ADR 0039): what is left expires, contracts end, the queue is
 * withdrawn or carried, the certificates funded again in the next period in their order, the invariant after
 * every step, and a close run twice at once or again writes nothing twice.
 */

const PASSWORD = 'Новый-учебный-год-67';
let testbed: Awaited<ReturnType<typeof createMailingTestApp>>;
let database: Database;
let app: App;
let passwordHash: string;
let people = 0;
let coordinator: Actor;
let provider: Actor;
let coordinatorClient: TestClient;
let organizationId: string;
const period = periodOf(regionToday());
const next = nextPeriod(period);
const by = { job: PERIOD_CLOSE_JOB };
/** The rollover as it runs on the next period's first day. */
const onFirstDay = { today: next.startsOn };
const CONTEXT = { requestId: 'rollover-test', clientAddress: '127.0.0.1' };
const category = (nominalKopecks: number, quota: number) => ({
  name: 'Дети 5–18 лет',
  ageFrom: 5,
  ageTo: 18,
  nominalKopecks,
  quota,
  nominalCapKopecks: null,
});

type Family = Awaited<ReturnType<typeof family>>;
const smolensk = {} as Record<'a' | 'b' | 'd' | 'e', Family>;
const desnogorsk = {} as Record<'f' | 'g', Family>;
let contractId: string;

async function family(municipalityId: number) {
  const email = `rollover-parent${++people}@example.ru`;
  const made = await createFamily(database.db, { email, passwordHash });
  if (municipalityId !== 1)
    await queryRows(
      database.db,
      sql`update children set municipality_id = ${municipalityId} where id = ${made.childId}`,
    );
  const actor: Actor = { id: made.userId, emailVerified: true, staff: null };
  const state = await app.services.funding.request(actor, made.childId);
  const [certificate] = await queryRows(
    database.db,
    sql`select id from certificates where child_id = ${made.childId}`,
  );
  return { ...made, email, actor, status: state.status, certificateId: String(certificate!.id) };
}

/** nominal = balance + reserved + spent + expired for every certificate and period; no balance or reserve below 0. */
async function ledgerInvariant() {
  const rows = await queryRows(
    database.db,
    sql`select certificate_id, period_id,
               coalesce(sum(amount_kopecks) filter (where kind = 'grant'), 0) as granted,
               sum(case kind when 'grant' then amount_kopecks when 'reserve' then -amount_kopecks
                             when 'release' then amount_kopecks when 'refund' then amount_kopecks
                             when 'expire' then -amount_kopecks else 0 end) as balance,
               sum(case kind when 'reserve' then amount_kopecks when 'release' then -amount_kopecks
                             when 'charge' then -amount_kopecks else 0 end) as reserved,
               sum(case kind when 'charge' then amount_kopecks when 'refund' then -amount_kopecks else 0 end) as spent,
               coalesce(sum(amount_kopecks) filter (where kind = 'expire'), 0) as expired,
               bool_and(actor_user_id is not null or job is not null) as authored
          from funding_ledger group by certificate_id, period_id`,
  );
  for (const row of rows) {
    expect(Number(row.balance)).toBeGreaterThanOrEqual(0);
    expect(Number(row.reserved)).toBeGreaterThanOrEqual(0);
    expect(Number(row.granted)).toBe(
      Number(row.balance) + Number(row.reserved) + Number(row.spent) + Number(row.expired),
    );
    expect(row.authored).toBe(true);
  }
}

/** The certificate's sums in a period, from its ledger. */
async function sumsIn(certificateId: string, startsOn: string) {
  const [row] = await queryRows(
    database.db,
    sql`select coalesce(sum(amount_kopecks) filter (where kind = 'grant'), 0)::bigint as granted,
               coalesce(sum(case kind when 'grant' then amount_kopecks when 'reserve' then -amount_kopecks
                                      when 'release' then amount_kopecks when 'refund' then amount_kopecks
                                      when 'expire' then -amount_kopecks else 0 end), 0)::bigint as balance,
               coalesce(sum(case kind when 'charge' then amount_kopecks when 'refund' then -amount_kopecks
                                      else 0 end), 0)::bigint as spent,
               coalesce(sum(amount_kopecks) filter (where kind = 'expire'), 0)::bigint as expired,
               count(*) filter (where kind = 'expire')::int as expiries
          from funding_ledger l join funding_periods p on p.id = l.period_id
         where l.certificate_id = ${certificateId} and p.starts_on = ${startsOn}`,
  );
  return {
    granted: Number(row!.granted),
    balance: Number(row!.balance),
    spent: Number(row!.spent),
    expired: Number(row!.expired),
    expiries: Number(row!.expiries),
  };
}

async function requestIn(certificateId: string, startsOn: string, municipalityId = 1) {
  const rows = await queryRows(
    database.db,
    sql`select r.status::text as status, r.requested_at::text as requested_at, r.carried_from_id,
               (select o.requested_at::text from funding_requests o where o.id = r.carried_from_id) as carried_at
          from funding_requests r join funding_periods p on p.id = r.period_id
         where r.certificate_id = ${certificateId} and p.starts_on = ${startsOn}
           and p.municipality_id = ${municipalityId}
         order by r.requested_at`,
  );
  return rows;
}

async function typeOf(certificateId: string) {
  const [row] = await queryRows(
    database.db,
    sql`select type::text from certificates where id = ${certificateId}`,
  );
  return String(row!.type);
}

const sum = (reports: PeriodCloseReport[], pick: (report: PeriodCloseReport) => number) =>
  reports.reduce((total, report) => total + pick(report), 0);

beforeAll(async () => {
  testbed = await createMailingTestApp();
  ({ database, app } = testbed);
  passwordHash = await hashPassword(PASSWORD);
  organizationId = await createOrganization(database.db, 'Центр «Новый год»');
  ({ coordinator, provider } = await createFundingStaff(database, organizationId, 'rollover', PASSWORD));
  coordinatorClient = new TestClient(app.http, '198.51.100.7');
  expect(
    (
      await coordinatorClient.submit('/login', {
        email: 'rollover-coordinator@example.ru',
        password: PASSWORD,
      })
    ).status,
  ).toBe(303);
  const funding = app.services.funding;
  // Смоленск funds two certificates this year; Десногорск one, and has no next period.
  await funding.saveCategory(coordinator, 1, period, null, category(500_000, 2), true);
  await funding.savePeriod(coordinator, 1, period, { open: true, contractsBannedFrom: null });
  await funding.saveCategory(coordinator, 2, period, null, category(300_000, 1), true);
  await funding.savePeriod(coordinator, 2, period, { open: true, contractsBannedFrom: null });
  for (const key of ['a', 'b', 'd', 'e'] as const) smolensk[key] = await family(1);
  for (const key of ['f', 'g'] as const) desnogorsk[key] = await family(2);
  expect([smolensk.a.status, smolensk.b.status, smolensk.d.status, smolensk.e.status]).toEqual([
    'funded',
    'funded',
    'queued',
    'queued',
  ]);
  expect([desnogorsk.f.status, desnogorsk.g.status]).toEqual(['funded', 'queued']);

  // A's contract in force: 100 ₽ a month to the period's end.
  ({ contractId } = await activeContract(app, database.db, {
    parent: smolensk.a.actor,
    childId: smolensk.a.childId,
    provider,
    organizationId,
    price: 100,
    context: CONTEXT,
  }));
}, 180_000);

afterEach(ledgerInvariant, 120_000);

afterAll(async () => {
  await testbed?.close();
});

describe('the next period on the settings page', () => {
  it('is created with the current categories copied, only with the password, and audited', async () => {
    const url = `/staff/funding/1?period=${next.startsOn}`;
    const page = await coordinatorClient.get(url);
    expect(textOf(page.body)).toContain('Создать период по образцу текущего');
    const refused = await coordinatorClient.submit(url, {}, '/staff/funding/1/next-period');
    expect(refused.status).toBe(400);
    expect(textOf(refused.body)).toContain('Введите свой пароль');
    const wrong = await coordinatorClient.submit(url, { password: 'не тот' }, '/staff/funding/1/next-period');
    expect(wrong.status).toBe(400);
    expect(textOf(wrong.body)).toContain('Пароль неверный');
    const created = await coordinatorClient.submit(
      url,
      { password: PASSWORD },
      '/staff/funding/1/next-period',
    );
    expect(created.status).toBe(303);
    const [copied] = await queryRows(
      database.db,
      sql`select c.name, c.nominal_kopecks::int as nominal_kopecks, c.quota, p.open from funding_categories c
            join funding_periods p on p.id = c.period_id
           where p.municipality_id = 1 and p.starts_on = ${next.startsOn}`,
    );
    expect(copied).toMatchObject({ name: 'Дети 5–18 лет', nominal_kopecks: 500_000, quota: 2, open: false });
    const [event] = await queryRows(
      database.db,
      sql`select actor_user_id, details from audit_events where action = 'funding.period_created'`,
    );
    expect(event).toMatchObject({ actor_user_id: coordinator.id, details: { startsOn: next.startsOn } });
    // Pressed again: the period exists, nothing is copied twice.
    const again = await coordinatorClient.submit(url, { password: PASSWORD }, '/staff/funding/1/next-period');
    expect(again.status).toBe(400);
    expect(textOf(again.body)).toContain('Следующий период уже создан');
  });
});

describe('the period close', () => {
  it('is refused before the period has ended, and writes nothing', async () => {
    const report = await app.services.rollover.closePeriod(period, by);
    expect(report).toMatchObject({ ended: false, closed: 0, expired: { count: 0 } });
    const [closed] = await queryRows(
      database.db,
      sql`select count(*)::int as n from funding_periods where closed_at is not null`,
    );
    expect(Number(closed!.n)).toBe(0);
  });

  it('expires what is left, ends contracts, withdraws the queue and funds the next period in request order', async () => {
    // The next year: 6 000 ₽ for three children, open.
    const funding = app.services.funding;
    const [nextCategory] = (await funding.settings(coordinator, 1, next)).categories;
    const changed = await funding.saveCategory(
      coordinator,
      1,
      next,
      nextCategory!.id,
      category(600_000, 3),
      true,
    );
    expect(changed.ok).toBe(true);
    await funding.savePeriod(coordinator, 1, next, { open: true, contractsBannedFrom: null });
    const before = {
      a: await sumsIn(smolensk.a.certificateId, period.startsOn),
      b: await sumsIn(smolensk.b.certificateId, period.startsOn),
      f: await sumsIn(desnogorsk.f.certificateId, period.startsOn),
    };
    expect(before.b.granted).toBe(proratedNominal(500_000, period, regionToday()));

    // Two closes at once, as on 1 September: together they do everything once.
    const reports = await Promise.all([
      app.services.rollover.closePeriod(period, by, onFirstDay),
      app.services.rollover.closePeriod(period, by, onFirstDay),
    ]);
    expect(sum(reports, (r) => r.closed)).toBe(2);
    expect(sum(reports, (r) => r.expired.count)).toBe(3);
    expect(sum(reports, (r) => r.withdrawn)).toBe(3);
    expect(sum(reports, (r) => r.carried.funded)).toBe(3);
    expect(sum(reports, (r) => r.carried.queued)).toBe(1);
    expect(sum(reports, (r) => r.carried.grantedKopecks)).toBe(3 * 600_000);
    expect(sum(reports, (r) => r.toAccounting)).toBe(1);

    // The contract's last month was invoiced, then it ended and what it held returned — then expired.
    const [contract] = await queryRows(
      database.db,
      sql`select status::text, close_reason,
                 (select count(*)::int from funding_accruals a where a.contract_id = c.id and a.kind = 'invoice') as invoices
            from funding_contracts c where id = ${contractId}`,
    );
    expect(contract).toMatchObject({ status: 'terminated', close_reason: PERIOD_ENDED_REASON, invoices: 1 });
    const a = await sumsIn(smolensk.a.certificateId, period.startsOn);
    expect(a).toMatchObject({ balance: 0, spent: 10_000, expiries: 1, expired: a.granted - 10_000 });
    for (const [key, certificateId] of [
      ['b', smolensk.b.certificateId],
      ['f', desnogorsk.f.certificateId],
    ] as const)
      expect(await sumsIn(certificateId, period.startsOn)).toMatchObject({
        balance: 0,
        spent: 0,
        expiries: 1,
        expired: before[key].granted,
      });

    // A and B (funded) first, then D (queued first) while the quota of 3 lasts; E waits, first in the queue.
    for (const key of ['a', 'b', 'd'] as const) {
      expect(await sumsIn(smolensk[key].certificateId, next.startsOn)).toMatchObject({
        granted: 600_000,
        balance: 600_000,
      });
      expect(await typeOf(smolensk[key].certificateId)).toBe('funded');
    }
    const [carriedE] = await requestIn(smolensk.e.certificateId, next.startsOn);
    expect(carriedE).toMatchObject({ status: 'queued' });
    expect(carriedE!.requested_at).toBe(carriedE!.carried_at);
    expect(await typeOf(smolensk.e.certificateId)).toBe('accounting');
    for (const key of ['d', 'e'] as const)
      expect((await requestIn(smolensk[key].certificateId, period.startsOn))[0]).toMatchObject({
        status: 'withdrawn',
      });
    // Десногорск has no next period: F is a certificate of учёт again, G's request withdrawn.
    expect(await typeOf(desnogorsk.f.certificateId)).toBe('accounting');
    expect((await requestIn(desnogorsk.g.certificateId, period.startsOn, 2))[0]).toMatchObject({
      status: 'withdrawn',
    });

    // Each parent is told, once.
    expect((await testbed.sink.waitFor(smolensk.b.email, 15_000, 'профинансирован на')).text).toContain(
      'не переносится',
    );
    expect(
      (await testbed.sink.waitFor(smolensk.e.email, 15_000, 'Финансирование сертификата на')).text,
    ).toContain('вы 1-й в очереди');
    expect((await testbed.sink.waitFor(desnogorsk.f.email, 15_000, 'завершено')).text).toContain(
      'сертификат учёта',
    );
    expect((await testbed.sink.waitFor(desnogorsk.g.email, 15_000, 'отозвано')).text).toContain(
      'подайте заявление снова',
    );
    const [letters] = await queryRows(
      database.db,
      sql`select count(*)::int as n from pgboss.job
           where name = ${MAIL_JOB_NAME} and data ->> 'subject' like ${'Сертификат профинансирован на%'}`,
    );
    expect(Number(letters!.n)).toBe(3);

    // The card shows the closed year's sums, with nothing left.
    const client = new TestClient(app.http, '198.51.100.9');
    await client.submit('/login', { email: smolensk.b.email, password: PASSWORD });
    expect(textOf((await client.get(`/cabinet/children/${smolensk.b.childId}/funding`)).body)).toContain(
      '6 000 ₽',
    );
  }, 180_000);

  it('run again writes nothing', async () => {
    const rows = async () =>
      Number((await queryRows(database.db, sql`select count(*)::int as n from funding_ledger`))[0]!.n);
    const ledger = await rows();
    const report = await app.services.rollover.closePeriod(period, by, onFirstDay);
    expect(report).toMatchObject({
      ended: true,
      closed: 0,
      contractsEnded: 0,
      expired: { count: 0, kopecks: 0 },
      withdrawn: 0,
      carried: { funded: 0, queued: 0 },
      toAccounting: 0,
    });
    expect(await rows()).toBe(ledger);
  });

  it('funds the next period when it opens later, prorated by the months left then', async () => {
    const funding = app.services.funding;
    expect((await funding.createNextPeriod(coordinator, 2, true)).ok).toBe(true);
    await funding.savePeriod(coordinator, 2, next, { open: true, contractsBannedFrom: null });
    const october = `${next.startsOn.slice(0, 4)}-10-15`;
    const report = await app.services.rollover.closePeriod(period, by, { today: october });
    expect(report).toMatchObject({ closed: 0, expired: { count: 0 }, carried: { funded: 1, queued: 0 } });
    // 3 000 ₽ a year, opened in October: 11 months of 12.
    expect(await sumsIn(desnogorsk.f.certificateId, next.startsOn)).toMatchObject({
      granted: Math.floor((300_000 * 11) / 12),
    });
    expect(await typeOf(desnogorsk.f.certificateId)).toBe('funded');
    // G's request was withdrawn at the close: it is not carried later (the parent asks again).
    expect(await requestIn(desnogorsk.g.certificateId, next.startsOn, 2)).toEqual([]);
    expect((await app.services.rollover.closePeriod(period, by, { today: october })).carried.funded).toBe(0);
  }, 120_000);
});
