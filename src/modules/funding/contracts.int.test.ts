import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMailingTestApp } from '../../../tests/support/app.js';
import { TestClient, textOf } from '../../../tests/support/client.js';
import {
  applyOnline,
  createFamily,
  createOpenGroup,
  createOrganization,
} from '../../../tests/support/enrolment.js';
import { openFundingPeriod } from '../../../tests/support/contracts.js';
import type { App } from '../../app.js';
import type { Actor } from '../../platform/access/policy.js';
import { queryRows, type Database } from '../../platform/db/client.js';
import { regionToday } from '../../platform/views/format.js';
import { hashPassword } from '../accounts/password.js';
import { createStaffAccount } from '../accounts/service.js';
import { monthsOf, offerDeadline, OFFER_EXPIRED_REASON, PERIOD_ENDED_REASON } from './contracts.js';
import { contractSplit, periodOf } from './money.js';

/** Contracts as offers: the reserve at acceptance, every transition, letters, who sees what, the race. */

const PASSWORD = 'Договор-оферта-67';
let testbed: Awaited<ReturnType<typeof createMailingTestApp>>;
let database: Database;
let app: App;
let passwordHash: string;
let people = 0;
let organizationA: string;
let organizationB: string;
const period = periodOf(regionToday());
type StaffKey = 'orgA' | 'orgB' | 'adminS' | 'adminD' | 'coordinator';
const staff = {} as Record<StaffKey, { client: TestClient; actor: Actor }>;

async function signedIn(email: string): Promise<TestClient> {
  const client = new TestClient(app.http, `203.0.113.${(people % 200) + 1}`);
  const response = await client.submit('/login', { email, password: PASSWORD });
  expect(response.status).toBe(303);
  return client;
}

/** A parent with a child whose certificate is funded for this period (nominal 5 000 ₽, prorated). */
async function fundedFamily() {
  const email = `contracts-parent${++people}@example.ru`;
  const family = await createFamily(database.db, { email, passwordHash });
  const actor: Actor = { id: family.userId, emailVerified: true, staff: null };
  const state = await app.services.funding.request(actor, family.childId);
  expect(state.status).toBe('funded');
  return { ...family, email, actor, client: await signedIn(email) };
}

async function sums(childId: string) {
  const [row] = await queryRows(
    database.db,
    sql`select coalesce(sum(amount_kopecks) filter (where kind = 'grant'), 0)::bigint as granted,
               coalesce(sum(case kind when 'grant' then amount_kopecks when 'reserve' then -amount_kopecks
                                      when 'release' then amount_kopecks else 0 end), 0)::bigint as balance,
               coalesce(sum(case kind when 'reserve' then amount_kopecks when 'release' then -amount_kopecks
                                      when 'charge' then -amount_kopecks else 0 end), 0)::bigint as reserved
          from funding_ledger l join certificates c on c.id = l.certificate_id where c.child_id = ${childId}`,
  );
  return { granted: Number(row!.granted), balance: Number(row!.balance), reserved: Number(row!.reserved) };
}

/** nominal = balance + reserved + spent (+ expired) for every certificate and period; no balance below 0. */
async function ledgerInvariant() {
  const rows = await queryRows(
    database.db,
    sql`select certificate_id, period_id,
               sum(amount_kopecks) filter (where kind = 'grant') as granted,
               sum(case kind when 'grant' then amount_kopecks when 'reserve' then -amount_kopecks
                             when 'release' then amount_kopecks when 'refund' then amount_kopecks
                             when 'expire' then -amount_kopecks else 0 end) as balance,
               sum(case kind when 'reserve' then amount_kopecks when 'release' then -amount_kopecks
                             when 'charge' then -amount_kopecks else 0 end) as reserved,
               sum(case kind when 'charge' then amount_kopecks when 'refund' then -amount_kopecks else 0 end) as spent,
               sum(amount_kopecks) filter (where kind = 'expire') as expired
          from funding_ledger group by certificate_id, period_id`,
  );
  for (const row of rows) {
    expect(Number(row.balance)).toBeGreaterThanOrEqual(0);
    expect(Number(row.reserved)).toBeGreaterThanOrEqual(0);
    expect(Number(row.granted ?? 0)).toBe(
      Number(row.balance) + Number(row.reserved) + Number(row.spent) + Number(row.expired ?? 0),
    );
  }
  // Each contract holds exactly what the ledger says: its reserve minus what was released.
  const contracts = await queryRows(
    database.db,
    sql`select c.status, c.certificate_kopecks,
               coalesce(sum(case l.kind when 'reserve' then l.amount_kopecks when 'release' then -l.amount_kopecks end), 0) as held
          from funding_contracts c left join funding_ledger l on l.contract_id = c.id group by c.id`,
  );
  for (const row of contracts)
    expect(Number(row.held)).toBe(
      ['created', 'confirmed', 'active'].includes(String(row.status)) ? Number(row.certificate_kopecks) : 0,
    );
}

async function certifiedGroup(organizationId = organizationA, monthlyCostCertificate = 800) {
  return createOpenGroup(database.db, {
    organizationId,
    financing: 'certificate',
    monthlyCostCertificate,
    programName: `Программа по сертификату ${++people}`,
  });
}

async function applied(family: { userId: string; childId: string }, groupId: string) {
  const filed = await applyOnline(app.services.applications, family, groupId);
  return filed.id;
}

async function contractOf(
  applicationId: string,
): Promise<Record<string, unknown> & { id: string; number: string }> {
  const [row] = await queryRows(
    database.db,
    sql`select id, number, status, certificate_kopecks, family_kopecks, offer_expires_at, accepted_ip,
               accepted_at, close_reason, starts_on::text, ends_on::text
          from funding_contracts where application_id = ${applicationId} order by created_at desc limit 1`,
  );
  return { ...row!, id: String(row!.id), number: String(row!.number) };
}

/** `count` «Новая» applications of one child, each to a group of its own certified program (made in bulk). */
async function manyApplications(family: { userId: string; childId: string }, count: number, price: number) {
  const { programId, groupId } = await certifiedGroup(organizationA, price);
  const rows = await queryRows(
    database.db,
    sql`with copies as (
          insert into programs (organization_id, municipality_id, direction_id, name, description, age_from, age_to,
                                level, duration_months, hours_total, format, ovz_categories, registry, status)
          select organization_id, municipality_id, direction_id, name || ' ' || n, description, age_from, age_to,
                 level, duration_months, hours_total, format, ovz_categories, registry, status
            from programs, generate_series(1, ${count}::int) n where id = ${programId}
          returning id
        ), groups as (
          insert into program_groups (program_id, name, teacher, address, schedule, lesson_minutes, age_from, age_to,
                                      enrolment_from, enrolment_to, study_start, study_end, monthly_cost_certificate)
          select copies.id, g.name, g.teacher, g.address, g.schedule, g.lesson_minutes, g.age_from, g.age_to,
                 g.enrolment_from, g.enrolment_to, g.study_start, g.study_end, g.monthly_cost_certificate
            from copies, program_groups g where g.id = ${groupId}
          returning id, program_id
        ), places as (
          insert into group_places (group_id, capacity, taken) select id, 20, 1 from groups
        )
        insert into applications (group_id, program_id, organization_id, child_id, applicant_user_id,
                                  filed_by_user_id, channel, status)
        select id, program_id, ${organizationA}, ${family.childId}, ${family.userId}, ${family.userId}, 'online', 'new'
          from groups
        returning id`,
  );
  return rows.map((row) => String(row.id));
}

/** The reserve a group's contract should take, by the same rule (price ₽ → kopecks, months within the period). */
function expectedSplit(balanceKopecks: number, priceRoubles = 800) {
  const today = regionToday();
  const studyStart = regionToday(new Date(Date.now() + 40 * 86_400_000));
  const studyEnd = regionToday(new Date(Date.now() + 300 * 86_400_000));
  const starts = [studyStart, period.startsOn, today].sort().at(-1)!;
  const ends = [studyEnd, period.endsOn].sort()[0]!;
  return contractSplit({
    priceKopecks: priceRoubles * 100,
    normativeKopecks: null,
    months: monthsOf(starts, ends).length,
    balanceKopecks,
  });
}

beforeAll(async () => {
  testbed = await createMailingTestApp();
  ({ database, app } = testbed);
  passwordHash = await hashPassword(PASSWORD);
  organizationA = await createOrganization(database.db, 'Центр «Договор»');
  organizationB = await createOrganization(database.db, 'Студия «Чужая»');
  const roles = {
    orgA: { role: 'org_staff', municipalityId: 1, organizationId: organizationA },
    orgB: { role: 'org_staff', municipalityId: 1, organizationId: organizationB },
    adminS: { role: 'municipal_admin', municipalityId: 1 },
    adminD: { role: 'municipal_admin', municipalityId: 2 },
    coordinator: { role: 'coordinator' },
  } as const;
  for (const [key, role] of Object.entries(roles) as [StaffKey, (typeof roles)[StaffKey]][]) {
    const email = `contracts-${key.toLowerCase()}@example.ru`;
    const id = await createStaffAccount(database, {
      ...role,
      email,
      password: PASSWORD,
      lastName: 'Сергеева',
      firstName: 'Нина',
    });
    staff[key] = {
      client: await signedIn(email),
      actor: {
        id: id!,
        emailVerified: true,
        staff: {
          role: role.role,
          municipalityId: 'municipalityId' in role ? role.municipalityId : null,
          organizationId: 'organizationId' in role ? role.organizationId : null,
        },
      },
    };
  }
  const coordinator = staff.coordinator.actor;
  await openFundingPeriod(app, coordinator, period);
}, 120_000);

afterEach(ledgerInvariant, 120_000);

afterAll(async () => {
  await testbed?.close();
});

describe('contracts as offers', () => {
  it('reserves at acceptance, then goes created → confirmed → active → terminated with its letters', async () => {
    const family = await fundedFamily();
    const { groupId } = await certifiedGroup();
    const applicationId = await applied(family, groupId);
    const before = await sums(family.childId);
    // Filing reserves nothing; accepting does, in the acceptance's transaction.
    expect(before.reserved).toBe(0);
    const accepted = await staff.orgA.client.submit(
      `/staff/org/applications/${applicationId}`,
      {},
      `/staff/org/applications/${applicationId}/accept`,
    );
    expect(accepted.status).toBe(303);
    const created = await contractOf(applicationId);
    const split = expectedSplit(before.balance);
    expect(created.status).toBe('created');
    expect(String(created.number)).toMatch(/^67-\d{2}-\d{6}$/);
    expect(Number(created.certificate_kopecks)).toBe(split.certificateKopecks);
    expect(Number(created.family_kopecks)).toBe(split.familyKopecks);
    expect(await sums(family.childId)).toEqual({
      granted: before.granted,
      balance: before.balance - split.certificateKopecks,
      reserved: split.certificateKopecks,
    });
    const id = String(created.id);

    // The parent's tab lists it; the parent cannot accept before the provider confirms.
    const list = textOf((await family.client.get('/cabinet/contracts')).body);
    expect(list).toContain(`№ ${created.number}`);
    expect(list).toContain('Создан, ожидает подтверждения');
    const page = textOf((await family.client.get(`/cabinet/contracts/${id}`)).body);
    expect(page).toContain(`Договор об образовании № ${created.number}`);
    expect(page).toContain('Иванова Мария Петровна');

    const confirmed = await staff.orgA.client.submit(
      `/staff/contracts/${id}`,
      {},
      `/staff/contracts/${id}/confirm`,
    );
    expect(confirmed.status).toBe(303);
    const offered = await contractOf(applicationId);
    expect(offered.status).toBe('confirmed');
    expect(new Date(String(offered.offer_expires_at)).getTime()).toBe(offerDeadline(regionToday()).getTime());
    const offerLetter = await testbed.sink.waitFor(family.email, 15_000, 'ждёт вашего подтверждения');
    expect(offerLetter.text).toContain('включительно');
    expect(offerLetter.text).toContain(`/cabinet/contracts/${id}`);

    // Without the tick: the form again, with the message; nothing changes.
    const untucked = await family.client.submit(
      `/cabinet/contracts/${id}`,
      {},
      `/cabinet/contracts/${id}/accept`,
    );
    expect(untucked.status).toBe(400);
    expect(textOf(untucked.body)).toContain('Отметьте, что ознакомились с условиями договора-оферты');
    expect((await contractOf(applicationId)).status).toBe('confirmed');
    const acceptedByParent = await family.client.submit(
      `/cabinet/contracts/${id}`,
      { agree: 'yes' },
      `/cabinet/contracts/${id}/accept`,
    );
    expect(acceptedByParent.status).toBe(303);
    const active = await contractOf(applicationId);
    expect(active.status).toBe('active');
    expect(String(active.accepted_ip)).toMatch(/^203\.0\.113\./);
    expect(active.accepted_at).not.toBeNull();
    expect((await testbed.sink.waitFor(family.email, 15_000, 'заключён')).text).toContain('действует');
    expect(textOf((await family.client.get(`/cabinet/contracts/${id}`)).body)).toContain('Действует с');

    // The PDF: a real PDF for the parent; the provider's terminate needs a statutory reason.
    const pdf = await app.http.inject({
      method: 'GET',
      url: `/cabinet/contracts/${id}/pdf`,
      headers: { cookie: [...family.client.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');

    const noReason = await staff.orgA.client.submit(
      `/staff/contracts/${id}`,
      {},
      `/staff/contracts/${id}/terminate`,
    );
    expect(noReason.status).toBe(400);
    expect(textOf(noReason.body)).toContain('Выберите основание расторжения');
    const terminated = await staff.orgA.client.submit(
      `/staff/contracts/${id}`,
      { reason: 'payment_overdue' },
      `/staff/contracts/${id}/terminate`,
    );
    expect(terminated.status).toBe(303);
    const ended = await contractOf(applicationId);
    expect(ended.status).toBe('terminated');
    expect(ended.close_reason).toBe('Просрочка оплаты');
    expect(await sums(family.childId)).toEqual(before);
    expect((await testbed.sink.waitFor(family.email, 15_000, 'прекратил действие')).text).toContain(
      'Просрочка оплаты',
    );
    const [audited] = await queryRows(
      database.db,
      sql`select count(*)::int as n from audit_events where subject_id = ${id}
           and action in ('contract.created', 'contract.confirmed', 'contract.accepted', 'contract.terminated')`,
    );
    expect(Number(audited!.n)).toBe(4);
  });

  it('declines by the parent, and by an expulsion before it is in force; the reserve returns', async () => {
    const family = await fundedFamily();
    const before = await sums(family.childId);
    const first = await applied(family, (await certifiedGroup(organizationA, 300)).groupId);
    const second = await applied(family, (await certifiedGroup(organizationA, 200)).groupId);
    expect(await app.services.applications.accept(staff.orgA.actor, first)).toBe('done');
    expect(await app.services.applications.accept(staff.orgA.actor, second)).toBe('done');
    const one = await contractOf(first);
    await app.services.contracts.confirm(staff.orgA.actor, String(one.id), {
      requestId: 't',
      clientAddress: '::1',
    });
    const declined = await family.client.submit(
      `/cabinet/contracts/${one.id}`,
      {},
      `/cabinet/contracts/${one.id}/decline`,
    );
    expect(declined.status).toBe(303);
    expect((await contractOf(first)).status).toBe('declined');
    expect((await testbed.sink.waitFor(family.email, 15_000, 'отклонён без заключения')).text).toContain(
      'вернулись на сертификат',
    );
    // Declining twice changes nothing more.
    await family.client.submit(`/cabinet/contracts/${one.id}`, {}, `/cabinet/contracts/${one.id}/decline`);
    expect(await app.services.applications.expel(staff.orgA.actor, second, 'Не посещает')).toBe('done');
    const two = await contractOf(second);
    expect(two.status).toBe('declined');
    expect(String(two.close_reason)).toContain('Не посещает');
    expect(await sums(family.childId)).toEqual(before);
  });

  it('refuses the acceptance while funding is closed or new contracts are banned, and nothing changes', async () => {
    const family = await fundedFamily();
    const { groupId } = await certifiedGroup();
    const applicationId = await applied(family, groupId);
    const before = await sums(family.childId);
    const coordinator = staff.coordinator.actor;
    const attempt = async () => {
      const answer = await staff.orgA.client.submit(
        `/staff/org/applications/${applicationId}`,
        {},
        `/staff/org/applications/${applicationId}/accept`,
      );
      expect(answer.status).toBe(303);
      return textOf((await staff.orgA.client.follow(answer)).body);
    };
    const unchanged = async () => {
      const [row] = await queryRows(
        database.db,
        sql`select a.status::text as status,
                   (select count(*)::int from funding_contracts c where c.application_id = a.id) as contracts
              from applications a where a.id = ${applicationId}`,
      );
      expect(row).toMatchObject({ status: 'new', contracts: 0 });
      expect(await sums(family.childId)).toEqual(before);
    };
    try {
      // The municipality closed funding after the parent applied.
      await app.services.funding.savePeriod(coordinator, 1, period, {
        open: false,
        contractsBannedFrom: null,
      });
      expect(await attempt()).toContain('Финансирование сертификатов муниципалитетом сейчас закрыто');
      await unchanged();
      // Funding open again, but no new contracts from today.
      await app.services.funding.savePeriod(coordinator, 1, period, {
        open: true,
        contractsBannedFrom: regionToday(),
      });
      expect(await attempt()).toContain(
        'Заключение новых договоров по сертификатам запрещено муниципалитетом',
      );
      await unchanged();
    } finally {
      await app.services.funding.savePeriod(coordinator, 1, period, {
        open: true,
        contractsBannedFrom: null,
      });
    }
    // With funding open and no ban the same application is accepted and reserves.
    await attempt();
    expect((await contractOf(applicationId)).status).toBe('created');
  });

  it('keeps contracts to their parties: the organization, the paying municipality, the coordinator, the parent', async () => {
    const family = await fundedFamily();
    const stranger = await fundedFamily();
    const applicationId = await applied(family, (await certifiedGroup()).groupId);
    expect(await app.services.applications.accept(staff.orgA.actor, applicationId)).toBe('done');
    const { id, number } = await contractOf(applicationId);
    for (const url of [`/cabinet/contracts/${id}`, `/cabinet/contracts/${id}/pdf`])
      expect((await stranger.client.get(url)).status).toBe(404);
    expect(textOf((await stranger.client.get('/cabinet/contracts')).body)).not.toContain(String(number));
    const posted = await stranger.client.submit('/cabinet/contracts', {}, `/cabinet/contracts/${id}/decline`);
    expect(posted.status).toBe(404);
    for (const key of ['orgB', 'adminD'] as const) {
      expect((await staff[key].client.get(`/staff/contracts/${id}`)).status).toBe(404);
      expect((await staff[key].client.get(`/staff/contracts/${id}/pdf`)).status).toBe(404);
      expect(textOf((await staff[key].client.get('/staff/contracts')).body)).not.toContain(String(number));
    }
    expect(
      (await staff.orgB.client.submit('/staff/contracts', {}, `/staff/contracts/${id}/confirm`)).status,
    ).toBe(404);
    for (const key of ['orgA', 'adminS', 'coordinator'] as const) {
      expect(textOf((await staff[key].client.get('/staff/contracts')).body)).toContain(String(number));
      const page = await staff[key].client.get(`/staff/contracts/${id}`);
      expect(page.status).toBe(200);
      // Only the organization decides; the payer and the coordinator read.
      expect(textOf(page.body).includes('Подтвердить договор')).toBe(key === 'orgA');
    }
    const [viewed] = await queryRows(
      database.db,
      sql`select count(*)::int as n from audit_events where action = 'staff.contract_viewed' and subject_id = ${id}`,
    );
    expect(Number(viewed!.n)).toBe(3);
    // Without the CSRF token nothing is decided.
    const forged = await staff.orgA.client.post(`/staff/contracts/${id}/confirm`, {});
    expect(forged.status).toBe(403);
    expect((await contractOf(applicationId)).status).toBe('created');
  });

  it('withdraws expired offers and closes contracts past their end, once however often the job runs', async () => {
    const family = await fundedFamily();
    const before = await sums(family.childId);
    const offeredApp = await applied(family, (await certifiedGroup(organizationA, 150)).groupId);
    const activeApp = await applied(family, (await certifiedGroup(organizationA, 100)).groupId);
    for (const applicationId of [offeredApp, activeApp])
      expect(await app.services.applications.accept(staff.orgA.actor, applicationId)).toBe('done');
    const context = { requestId: 'test', clientAddress: '::1' };
    const offered = await contractOf(offeredApp);
    const active = await contractOf(activeApp);
    await app.services.contracts.confirm(staff.orgA.actor, String(offered.id), context);
    await app.services.contracts.confirm(staff.orgA.actor, String(active.id), context);
    await app.services.contracts.accept(family.actor, String(active.id), context);

    const deadline = new Date(String((await contractOf(offeredApp)).offer_expires_at));
    expect(await app.services.contracts.expire(new Date(deadline.getTime() - 1000))).toMatchObject({
      expired: 0,
    });
    const afterDeadline = new Date(deadline.getTime() + 1000);
    const first = await app.services.contracts.expire(afterDeadline);
    expect(first.expired).toBeGreaterThanOrEqual(1);
    expect(await app.services.contracts.expire(afterDeadline)).toEqual({ expired: 0, ended: 0 });
    const withdrawn = await contractOf(offeredApp);
    expect(withdrawn.status).toBe('declined');
    expect(withdrawn.close_reason).toBe(OFFER_EXPIRED_REASON);
    expect((await testbed.sink.waitFor(family.email, 15_000, 'отклонён без заключения')).text).toContain(
      'превышением сроков акцепта',
    );
    const [releases] = await queryRows(
      database.db,
      sql`select count(*)::int as n from funding_ledger where contract_id = ${offered.id} and kind = 'release'`,
    );
    expect(Number(releases!.n)).toBe(1);

    // Past the month close's grace days after the end: «Прекратил действие», the rest returns; a rerun changes nothing.
    const past = new Date(Date.parse(`${String(active.ends_on)}T12:00:00Z`) + 5 * 86_400_000);
    expect((await app.services.contracts.expire(past)).ended).toBeGreaterThanOrEqual(1);
    expect(await app.services.contracts.expire(past)).toEqual({ expired: 0, ended: 0 });
    const ended = await contractOf(activeApp);
    expect(ended.status).toBe('terminated');
    expect(ended.close_reason).toBe(PERIOD_ENDED_REASON);
    expect(await sums(family.childId)).toEqual(before);
  });

  it('takes 200 parallel acceptances of one child in different groups without the balance going below 0', async () => {
    const family = await fundedFamily();
    const { balance } = await sums(family.childId);
    const ids = await manyApplications(family, 200, 100);
    const results = await Promise.all(
      ids.map((id) => app.services.applications.accept(staff.orgA.actor, id)),
    );
    // The same rule, one acceptance after another: how many the balance covers at least the first month of.
    let left = balance;
    let covered = 0;
    for (;;) {
      const split = expectedSplit(left, 100);
      if (!split.coversFirstMonth) break;
      left -= split.certificateKopecks;
      covered += 1;
    }
    expect(results.filter((result) => result === 'done')).toHaveLength(covered);
    const refused = results.filter((result) => typeof result === 'object');
    expect(refused).toHaveLength(200 - covered);
    expect(JSON.stringify(refused[0])).toContain('не хватает на оплату первого месяца');
    const after = await sums(family.childId);
    expect(after.balance).toBe(left);
    expect(after.balance).toBeGreaterThanOrEqual(0);
    expect(after.reserved).toBe(balance - left);
    // A refused acceptance changed nothing: those applications are still «Новая», no contract for them.
    const [state] = await queryRows(
      database.db,
      sql`select count(*) filter (where a.status = 'accepted')::int as accepted,
                 count(*) filter (where a.status = 'new')::int as still_new,
                 (select count(*)::int from funding_contracts c where c.child_id = ${family.childId}) as contracts
            from applications a where a.child_id = ${family.childId}`,
    );
    expect(state).toMatchObject({ accepted: covered, still_new: 200 - covered, contracts: covered });
    // The provider reads why, on the page it is sent back to.
    const one = ids[results.findIndex((result) => typeof result === 'object')]!;
    const answer = await staff.orgA.client.submit(
      `/staff/org/applications/${one}`,
      {},
      `/staff/org/applications/${one}/accept`,
    );
    expect(textOf((await staff.orgA.client.follow(answer)).body)).toContain(
      'не хватает на оплату первого месяца',
    );
  }, 180_000);
});
