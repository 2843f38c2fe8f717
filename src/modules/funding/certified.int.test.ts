import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMailingTestApp } from '../../../tests/support/app.js';
import { TestClient, textOf } from '../../../tests/support/client.js';
import { createFamily, createOpenGroup, createOrganization } from '../../../tests/support/enrolment.js';
import type { App } from '../../app.js';
import type { Actor } from '../../platform/access/policy.js';
import { queryRows, type Database } from '../../platform/db/client.js';
import { formatDate, regionToday } from '../../platform/views/format.js';
import { hashPassword } from '../accounts/password.js';
import { createStaffAccount } from '../accounts/service.js';
import { periodOf, sumsOf, type Movement } from './money.js';

/**
 * Certified programs (ADR 0033): the normative cost, the split a funded child's certificate gives on the program
 * page and the review step, the refusals of funding, and a certificate of учёт funded by applying.
 */

const PASSWORD = 'Сертифицированные-67';
let testbed: Awaited<ReturnType<typeof createMailingTestApp>>;
let database: Database;
let app: App;
let passwordHash: string;
let families = 0;
const period = periodOf(regionToday());
const today = regionToday();
let coordinator: TestClient;
let admin: TestClient;
let adminActor: Actor;
let programId: string;
let groupId: string;
const plain = (text: string) => text.replace(/\u00a0/g, ' ');

async function signedIn(email: string): Promise<TestClient> {
  const client = new TestClient(app.http, `198.51.100.${(families % 200) + 1}`);
  const response = await client.submit('/login', { email, password: PASSWORD });
  expect(response.status).toBe(303);
  return client;
}

async function parent(municipalityId = 1) {
  const email = `certified-parent${++families}@example.ru`;
  const family = await createFamily(database.db, { email, passwordHash });
  if (municipalityId !== 1)
    await database.db.execute(
      sql`update children set municipality_id = ${municipalityId} where id = ${family.childId}`,
    );
  return { ...family, email, client: await signedIn(email) };
}

/** Every certificate's sums from the ledger: nothing negative, and money only on funded certificates. */
async function ledgerInvariant() {
  const rows = await queryRows(
    database.db,
    sql`select certificate_id, period_id, kind, amount_kopecks from funding_ledger`,
  );
  const byCertificate = new Map<string, { kind: Movement; amountKopecks: number }[]>();
  for (const row of rows) {
    const key = `${String(row.certificate_id)}/${String(row.period_id)}`;
    byCertificate.set(key, [
      ...(byCertificate.get(key) ?? []),
      { kind: row.kind as Movement, amountKopecks: Number(row.amount_kopecks) },
    ]);
  }
  for (const movements of byCertificate.values()) {
    const sums = sumsOf(movements);
    expect(sums.balance).toBeGreaterThanOrEqual(0);
    expect(sums.reserved).toBeGreaterThanOrEqual(0);
    expect(sums.granted).toBe(sums.balance + sums.reserved + sums.spent + sums.expired);
  }
  const [orphans] = await queryRows(
    database.db,
    sql`select count(*)::int as n from funding_ledger l join certificates c on c.id = l.certificate_id
         where c.type <> 'funded'`,
  );
  expect(Number(orphans!.n)).toBe(0);
}

async function fundMunicipality(
  municipalityId: number,
  nominalKopecks: number,
  quota: number,
  banned?: string,
) {
  const funding = app.services.funding;
  const actor = municipalityId === 2 ? adminActor : coordinatorActor;
  await funding.saveCategory(
    actor,
    municipalityId,
    period,
    null,
    { name: 'Дети 5–18 лет', ageFrom: 5, ageTo: 18, nominalKopecks, quota, nominalCapKopecks: null },
    true,
  );
  await funding.savePeriod(actor, municipalityId, period, {
    open: true,
    contractsBannedFrom: banned ?? null,
  });
}

let coordinatorActor: Actor;

beforeAll(async () => {
  testbed = await createMailingTestApp();
  ({ database, app } = testbed);
  passwordHash = await hashPassword(PASSWORD);
  const ids: Record<string, string> = {};
  for (const [key, role] of [
    ['coordinator', { role: 'coordinator' as const }],
    ['admin', { role: 'municipal_admin' as const, municipalityId: 2 }],
  ] as const) {
    ids[key] = (await createStaffAccount(database, {
      ...role,
      email: `certified-${key}@example.ru`,
      password: PASSWORD,
      lastName: 'Волкова',
      firstName: 'Ирина',
    }))!;
  }
  coordinator = await signedIn('certified-coordinator@example.ru');
  admin = await signedIn('certified-admin@example.ru');
  coordinatorActor = {
    id: ids.coordinator!,
    emailVerified: true,
    staff: { role: 'coordinator', municipalityId: null, organizationId: null },
  };
  adminActor = {
    id: ids.admin!,
    emailVerified: true,
    staff: { role: 'municipal_admin', municipalityId: 2, organizationId: null },
  };
  const organizationId = await createOrganization(database.db);
  // 72 hours over 9 months: 8 hours a month; 4 000 ₽ a month by certificate.
  ({ programId, groupId } = await createOpenGroup(database.db, {
    organizationId,
    financing: 'certificate',
    monthlyCostCertificate: 4000,
    programName: 'Робототехника по сертификату',
  }));
  // Lessons from today to the period's end: at least one month of contract whatever the day the tests run.
  await database.db.execute(
    sql`update program_groups set study_start = ${today}, study_end = ${period.endsOn} where id = ${groupId}`,
  );
}, 120_000);

afterEach(ledgerInvariant, 120_000);

afterAll(async () => {
  await testbed?.close();
});

describe('the normative cost', () => {
  it('is the coordinator’s: computed from the hourly rate, set per program, audited, bad input refused', async () => {
    const form = `/staff/funding/normative/${programId}`;
    expect((await admin.get(form)).status).toBe(403);
    expect((await admin.get('/staff/funding/normative')).status).toBe(403);
    expect((await new TestClient(app.http).get(form)).status).toBe(303);
    expect((await coordinator.get(`/staff/funding/normative/${crypto.randomUUID()}`)).status).toBe(404);
    expect(await app.services.funding.normativeCostOf(programId)).toBeNull();

    // The hourly rate in the period's settings: 400 ₽ × 8 hours a month = 3 200 ₽.
    const rate = await coordinator.submit(
      '/staff/funding/1',
      { open: '', hourlyRate: '400' },
      '/staff/funding/1/period',
    );
    expect(rate.status).toBe(303);
    expect(await app.services.funding.normativeCostOf(programId)).toBe(320_000);
    expect(plain(textOf((await coordinator.get('/staff/funding/normative?q=сертификату')).body))).toContain(
      '3 200 ₽ в месяц (по стоимости часа)',
    );
    // A municipal administrator cannot change the rate, even by posting the field.
    await admin.submit('/staff/funding/2', { open: '', hourlyRate: '1' }, '/staff/funding/2/period');
    const [desnogorsk] = await queryRows(
      database.db,
      sql`select hourly_rate_kopecks from funding_periods where municipality_id = 2`,
    );
    expect(desnogorsk?.hourly_rate_kopecks ?? null).toBeNull();

    const bad = await coordinator.submit(form, { monthly: '<script>alert(1)</script>' });
    expect(bad.status).toBe(400);
    expect(textOf(bad.body)).toContain('Введите нормативную стоимость месяца в рублях');
    expect(bad.body).not.toContain('<script>alert(1)');
    expect(bad.body).toContain('value="&lt;script>');
    expect((await coordinator.submit(form, { monthly: '0' })).status).toBe(400);
    expect((await coordinator.post(form, { monthly: '3000' })).status).toBe(403); // no CSRF token

    expect((await coordinator.submit(form, { monthly: '3 000' })).status).toBe(303);
    expect(await app.services.funding.normativeCostOf(programId)).toBe(300_000);
    // Emptied: the hourly rate applies again.
    expect((await coordinator.submit(form, { monthly: '' })).status).toBe(303);
    expect(await app.services.funding.normativeCostOf(programId)).toBe(320_000);
    const audited = await queryRows(
      database.db,
      sql`select details from audit_events where action = 'funding.normative_set' and subject_id = ${programId}
           order by id`,
    );
    expect(audited.map((row) => row.details)).toEqual([
      { before: null, after: 300_000 },
      { before: 300_000, after: null },
    ]);
  }, 120_000);
});

describe('applying to a certified program', () => {
  it('refuses when the municipality does not fund, when contracts are banned, and when the balance is short', async () => {
    const closed = await parent(3);
    const closedPage = textOf(
      (await closed.client.get(`/groups/${groupId}/apply?childId=${closed.childId}`)).body,
    );
    expect(closedPage).toContain('В настоящее время финансирование сертификата не осуществляется');
    const closedPost = await closed.client.submit(`/groups/${groupId}/apply?childId=${closed.childId}`, {
      childId: closed.childId,
    });
    expect(closedPost.status).toBe(400);
    expect(textOf(closedPost.body)).toContain(
      'В настоящее время финансирование сертификата не осуществляется',
    );

    await fundMunicipality(4, 5_000_000, 10, today);
    const banned = await parent(4);
    const bannedPost = await banned.client.submit(`/groups/${groupId}/apply?childId=${banned.childId}`, {
      childId: banned.childId,
    });
    expect(bannedPost.status).toBe(400);
    expect(textOf(bannedPost.body)).toContain(
      `С ${formatDate(today)} муниципалитет не заключает новые договоры по сертификатам`,
    );

    // A nominal of 120 ₽ a year: funded, but the balance cannot pay the first month's 3 200 ₽.
    await fundMunicipality(2, 12_000, 10);
    const short = await parent(2);
    expect(
      (
        await app.services.funding.request(
          { id: short.userId, emailVerified: true, staff: null },
          short.childId,
        )
      ).status,
    ).toBe('funded');
    const shortPost = await short.client.submit(`/groups/${groupId}/apply?childId=${short.childId}`, {
      childId: short.childId,
    });
    expect(shortPost.status).toBe(400);
    expect(plain(textOf(shortPost.body))).toContain('Средств сертификата не хватает даже на первый месяц');
    const [filed] = await queryRows(
      database.db,
      sql`select count(*)::int as n from applications where child_id in (${closed.childId}, ${banned.childId}, ${short.childId})`,
    );
    expect(Number(filed!.n)).toBe(0);
  }, 120_000);

  it('funds a certificate of учёт automatically while the quota has room, then queues and says why', async () => {
    await fundMunicipality(1, 5_000_000, 1);
    const first = await parent();
    const review = await first.client.get(`/groups/${groupId}/apply?childId=${first.childId}`);
    expect(review.status).toBe(200);
    const reviewText = plain(textOf(review.body));
    expect(reviewText).toContain('Сертификат покроет 3 200 ₽, доплата семьи 800 ₽ в месяц');
    expect(reviewText).toContain(
      'При подаче заявки он станет сертификатом персонифицированного финансирования',
    );
    const filed = await first.client.submit(`/groups/${groupId}/apply?childId=${first.childId}`, {
      childId: first.childId,
    });
    expect(filed.status).toBe(303);
    expect(filed.location).toMatch(/^\/cabinet\/applications\//);
    expect((await testbed.sink.waitFor(first.email, 15_000, 'персонифицированного')).text).toContain(
      'начислен номинал',
    );

    const second = await parent();
    const queued = await second.client.submit(`/groups/${groupId}/apply?childId=${second.childId}`, {
      childId: second.childId,
    });
    expect(queued.status).toBe(400);
    expect(textOf(queued.body)).toContain('Лимит сертификатов исчерпан. Вы 1-й в очереди');
    expect((await testbed.sink.waitFor(second.email, 15_000, 'вы в очереди')).text).toContain(
      'вы 1-й в очереди',
    );
    const types = await queryRows(
      database.db,
      sql`select c.child_id, c.type from certificates c where c.child_id in (${first.childId}, ${second.childId})`,
    );
    expect(Object.fromEntries(types.map((row) => [row.child_id, row.type]))).toEqual({
      [first.childId]: 'funded',
      [second.childId]: 'accounting',
    });

    // The program page: the funded child's line for its parent only — never for a guest or another parent.
    const page = plain(textOf((await first.client.get(`/programs/${programId}`)).body));
    expect(page).toContain('Анна: Сертификат покроет 3 200 ₽, доплата семьи 800 ₽ в месяц');
    const guest = new TestClient(app.http);
    for (const url of [`/programs/${programId}`, '/programs?financing=certificate']) {
      expect(plain(textOf((await guest.get(url)).body))).not.toContain('Сертификат покроет');
      expect(plain(textOf((await second.client.get(url)).body))).not.toContain('Сертификат покроет');
    }
    // The review step of a funded child: the split for the contract period and the balance left.
    await fundMunicipality(5, 5_000_000, 10);
    const funded = await parent(5);
    await app.services.funding.request(
      { id: funded.userId, emailVerified: true, staff: null },
      funded.childId,
    );
    const fundedReview = plain(
      textOf((await funded.client.get(`/groups/${groupId}/apply?childId=${funded.childId}`)).body),
    );
    expect(fundedReview).toContain('Сертификат покроет 3 200 ₽, доплата семьи 800 ₽ в месяц');
    expect(fundedReview).toContain('Остаток сертификата сейчас');
    expect(fundedReview).toContain('Останется после договора');
    expect(fundedReview).not.toContain('При подаче заявки он станет');
  }, 120_000);
});
