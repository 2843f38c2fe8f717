import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createMailingTestApp } from '../../../tests/support/app.js';
import { TestClient, textOf } from '../../../tests/support/client.js';
import { createFamily, createOrganization } from '../../../tests/support/enrolment.js';
import type { App } from '../../app.js';
import type { Actor } from '../../platform/access/policy.js';
import { queryRows, type Database } from '../../platform/db/client.js';
import { regionToday } from '../../platform/views/format.js';
import { hashPassword } from '../accounts/password.js';
import { createStaffAccount } from '../accounts/service.js';
import { formatRoubles, nextPeriod, periodOf, proratedNominal } from './money.js';
import { FREE_LIMIT_LIFETIME_MS } from './service.js';

/** Funded certificates: settings, the parent's request, the live queue, the ledger, who may see what. */

const PASSWORD = 'Финансирование-67-года';
let testbed: Awaited<ReturnType<typeof createMailingTestApp>>;
let database: Database;
let app: App;
let passwordHash: string;
let families = 0;
const staff = {} as Record<'coordinator' | 'desnogorsk' | 'org', { client: TestClient; actor: Actor }>;
const period = periodOf(regionToday());
const fiveThousand = proratedNominal(500_000, period, regionToday());

async function signedIn(email: string): Promise<TestClient> {
  const client = new TestClient(app.http, `198.51.100.${(families % 200) + 1}`);
  const response = await client.submit('/login', { email, password: PASSWORD });
  expect(response.status).toBe(303);
  return client;
}

async function parent(municipalityId = 1, birthDate?: string) {
  const email = `funding-parent${++families}@example.ru`;
  const family = await createFamily(database.db, {
    email,
    passwordHash,
    ...(birthDate ? { birthDate } : {}),
  });
  if (municipalityId !== 1)
    await database.db.execute(
      sql`update children set municipality_id = ${municipalityId} where id = ${family.childId}`,
    );
  const actor: Actor = { id: family.userId, emailVerified: true, staff: null };
  return { ...family, email, actor };
}

/** Every certificate's ledger adds up, and no balance is negative (the invariant of ADR 0019). */
async function ledgerInvariant() {
  const rows = await queryRows(
    database.db,
    sql`select certificate_id, period_id,
               sum(case kind when 'grant' then amount_kopecks when 'reserve' then -amount_kopecks
                             when 'release' then amount_kopecks when 'refund' then amount_kopecks
                             when 'expire' then -amount_kopecks else 0 end) as balance
          from funding_ledger group by certificate_id, period_id`,
  );
  for (const row of rows) expect(Number(row.balance)).toBeGreaterThanOrEqual(0);
  const [orphans] = await queryRows(
    database.db,
    sql`select count(*)::int as n from funding_ledger l
         where not exists (select 1 from funding_requests r where r.certificate_id = l.certificate_id
                             and r.period_id = l.period_id and r.status = 'funded')`,
  );
  expect(Number(orphans!.n)).toBe(0);
}

beforeAll(async () => {
  testbed = await createMailingTestApp();
  ({ database, app } = testbed);
  passwordHash = await hashPassword(PASSWORD);
  const people = [
    ['coordinator', { role: 'coordinator' as const }],
    ['desnogorsk', { role: 'municipal_admin' as const, municipalityId: 2 }],
    ['org', { role: 'org_staff' as const, municipalityId: 1 }],
  ] as const;
  const organizationId = await createOrganization(database.db);
  for (const [key, role] of people) {
    const email = `funding-${key}@example.ru`;
    const id = await createStaffAccount(database, {
      ...role,
      ...(role.role === 'org_staff' ? { organizationId } : {}),
      email,
      password: PASSWORD,
      lastName: 'Волкова',
      firstName: 'Ирина',
    });
    staff[key] = {
      client: await signedIn(email),
      actor: {
        id: id!,
        emailVerified: true,
        staff: {
          role: role.role,
          municipalityId: 'municipalityId' in role ? role.municipalityId : null,
          organizationId: null,
        },
      },
    };
  }
});

afterEach(ledgerInvariant, 120_000);

afterAll(async () => {
  await testbed?.close();
});

describe('a municipality that does not fund', () => {
  it('tells the parent the seed’s sentence on the card and the funding page, and a request changes nothing', async () => {
    const family = await parent(3);
    const client = await signedIn(family.email);
    const card = textOf((await client.get('/cabinet/children')).body);
    expect(card).toContain('В настоящее время финансирование сертификата не осуществляется');
    const page = await client.get(`/cabinet/children/${family.childId}/funding`);
    expect(page.status).toBe(200);
    expect(textOf(page.body)).toContain('В настоящее время финансирование сертификата не осуществляется');
    expect(textOf(page.body)).not.toContain('Подать заявление на финансирование');
    const posted = await client.submit(`/cabinet/children/${family.childId}/funding`, {});
    expect(posted.status).toBe(303);
    const [requests] = await queryRows(
      database.db,
      sql`select count(*)::int as n from funding_requests r join certificates c on c.id = r.certificate_id
           where c.child_id = ${family.childId}`,
    );
    expect(Number(requests!.n)).toBe(0);
  });
});

describe('the coordinator opens funding for город Смоленск', () => {
  it('needs the password for a nominal, audits it, funds two, queues the third, and promotes it when the quota grows', async () => {
    const coordinator = staff.coordinator.client;
    const form = `/staff/funding/1/categories/new`;
    const category = {
      name: 'Дети 5–18 лет',
      ageFrom: '5',
      ageTo: '18',
      nominal: '5 000',
      quota: '2',
      nominalCap: '',
    };

    const bad = await coordinator.submit(form, {
      name: '',
      ageFrom: '12',
      ageTo: '7',
      nominal: 'пять',
      quota: '-1',
    });
    expect(bad.status).toBe(400);
    for (const message of [
      'Введите название категории',
      'Возраст до не может быть меньше возраста от',
      'Введите сумму в рублях',
      'Введите целое число',
    ])
      expect(textOf(bad.body)).toContain(message);
    expect(bad.body).toContain('value="пять"');

    const noPassword = await coordinator.submit(form, category);
    expect(noPassword.status).toBe(400);
    expect(textOf(noPassword.body)).toContain('Введите свой пароль, чтобы задать номинал');
    const wrong = await coordinator.submit(form, { ...category, password: 'не тот' });
    expect(textOf(wrong.body)).toContain('Пароль неверный');
    const saved = await coordinator.submit(form, { ...category, password: PASSWORD });
    expect(saved.status).toBe(303);
    const [audited] = await queryRows(
      database.db,
      sql`select details from audit_events where action = 'funding.nominal_set' and actor_user_id = ${staff.coordinator.actor.id}`,
    );
    expect(audited?.details).toMatchObject({ after: { nominalKopecks: 500_000, quota: 2 } });

    // Categories exist, but the period is still closed: parents read the seed's sentence.
    const first = await parent();
    const firstClient = await signedIn(first.email);
    expect(textOf((await firstClient.get(`/cabinet/children/${first.childId}/funding`)).body)).toContain(
      'В настоящее время финансирование сертификата не осуществляется',
    );
    const opened = await coordinator.submit(
      '/staff/funding/1',
      { open: 'yes', contractsBannedFrom: '' },
      '/staff/funding/1/period',
    );
    expect(opened.status).toBe(303);
    const settings = textOf((await coordinator.get('/staff/funding/1')).body);
    expect(settings).toContain('Дети 5–18 лет');
    expect(settings).toContain('лимит 2');

    const second = await parent();
    const third = await parent();
    const card = textOf((await firstClient.get('/cabinet/children')).body);
    expect(card).toContain('Подать заявление на финансирование');
    for (const who of [first, second, third]) {
      const client = who === first ? firstClient : await signedIn(who.email);
      const response = await client.submit(`/cabinet/children/${who.childId}/funding`, {});
      expect(response.status).toBe(303);
    }
    const firstPage = textOf((await firstClient.get(`/cabinet/children/${first.childId}/funding`)).body);
    expect(firstPage).toContain('Сертификат персонифицированного финансирования');
    expect(firstPage).toContain(formatRoubles(fiveThousand).replace(/\u00a0/g, ' '));
    const thirdClient = await signedIn(third.email);
    expect(textOf((await thirdClient.get(`/cabinet/children/${third.childId}/funding`)).body)).toContain(
      'Лимит сертификатов исчерпан. Вы 1-й в очереди',
    );
    // Pressing again does not queue the child twice.
    await thirdClient.submit(`/cabinet/children/${third.childId}/funding`, {});
    expect(textOf((await thirdClient.get(`/cabinet/children/${third.childId}/funding`)).body)).toContain(
      'Вы 1-й в очереди',
    );
    const [types] = await queryRows(
      database.db,
      sql`select count(*) filter (where type = 'funded')::int as funded from certificates
           where child_id in (${first.childId}, ${second.childId}, ${third.childId})`,
    );
    expect(Number(types!.funded)).toBe(2);
    expect((await testbed.sink.waitFor(third.email, 15_000, 'вы в очереди')).text).toContain(
      'вы 1-й в очереди',
    );
    expect((await testbed.sink.waitFor(first.email, 15_000, 'персонифицированного')).text).toContain(
      'начислен номинал',
    );

    // A larger quota funds the queue at once; the nominal is unchanged, so no password is asked.
    const [row] = await queryRows(
      database.db,
      sql`select id from funding_categories where name = 'Дети 5–18 лет'`,
    );
    const edit = await coordinator.submit(`/staff/funding/1/categories/${String(row!.id)}`, {
      ...category,
      quota: '3',
    });
    expect(edit.status).toBe(303);
    expect(textOf((await thirdClient.get(`/cabinet/children/${third.childId}/funding`)).body)).toContain(
      'Сертификат персонифицированного финансирования',
    );
    expect((await testbed.sink.waitFor(third.email, 15_000, 'персонифицированного')).text).toContain(
      'начислен номинал',
    );
  });
});

describe('who may see and change funding', () => {
  it('keeps settings to the municipality’s administrator and the coordinator, and a child’s funding to its parent', async () => {
    expect((await staff.desnogorsk.client.get('/staff/funding/1')).status).toBe(404);
    expect((await staff.desnogorsk.client.get('/staff/funding/2')).status).toBe(200);
    expect((await staff.desnogorsk.client.get('/staff/funding')).location).toBe('/staff/funding/2');
    expect((await staff.org.client.get('/staff/funding/1')).status).toBe(403);
    const posted = await staff.desnogorsk.client.submit(
      '/staff/funding/2',
      { open: 'yes' },
      '/staff/funding/1/period',
    );
    expect(posted.status).toBe(404);

    const family = await parent();
    const stranger = await parent();
    const strangerClient = await signedIn(stranger.email);
    expect((await strangerClient.get(`/cabinet/children/${family.childId}/funding`)).status).toBe(404);
    const [before] = await queryRows(database.db, sql`select count(*)::int as n from funding_requests`);
    const attempt = await strangerClient.submit(
      `/cabinet/children/${stranger.childId}/funding`,
      {},
      `/cabinet/children/${family.childId}/funding`,
    );
    expect(attempt.status).toBe(404);
    const [after] = await queryRows(database.db, sql`select count(*)::int as n from funding_requests`);
    expect(after!.n).toBe(before!.n);
    expect((await new TestClient(app.http).get(`/staff/funding/1`)).status).toBe(303);
  });

  it('refuses to edit or delete a ledger row', async () => {
    await expect(database.db.execute(sql`update funding_ledger set amount_kopecks = 1`)).rejects.toThrow();
    await expect(database.db.execute(sql`delete from funding_ledger`)).rejects.toThrow();
  });
});

describe('the number of free programs per child', () => {
  it('is the coordinator’s per period: errors named per field, values kept; an administrator only reads it', async () => {
    const coordinator = staff.coordinator.client;
    const wrong = await coordinator.submit(
      '/staff/funding/3',
      { open: '', contractsBannedFrom: 'когда-нибудь', freeProgramsPerChild: 'много' },
      '/staff/funding/3/period',
    );
    expect(wrong.status).toBe(400);
    expect(wrong.body).toContain('href="#freeProgramsPerChild"');
    expect(wrong.body).toContain('href="#contractsBannedFrom"');
    expect(textOf(wrong.body)).toContain('Введите число от 0 до 50 или оставьте поле пустым');
    expect(wrong.body).toContain('value="много"');
    const saved = await coordinator.submit(
      '/staff/funding/3',
      { open: '', contractsBannedFrom: '', freeProgramsPerChild: '3' },
      '/staff/funding/3/period',
    );
    expect(saved.status).toBe(303);
    expect(await app.services.funding.freeProgramsOf(3, regionToday())).toEqual({ limit: 3, ...period });
    // The next period has its own number: none until set.
    expect((await app.services.funding.freeProgramsOf(3, nextPeriod(period).startsOn)).limit).toBeNull();
    // Десногорск's administrator reads the figure and cannot change it.
    const admin = staff.desnogorsk.client;
    expect(textOf((await admin.get('/staff/funding/2')).body)).toContain(
      'Бесплатных программ на ребёнка за учебный год: без ограничения',
    );
    await admin.submit(
      '/staff/funding/2',
      { open: '', contractsBannedFrom: '', freeProgramsPerChild: '9' },
      '/staff/funding/2/period',
    );
    expect((await app.services.funding.freeProgramsOf(2, regionToday())).limit).toBeNull();
  });

  it('is kept a few seconds between reads; a save in this process is seen at once', async () => {
    const funding = app.services.funding;
    const coordinator = staff.coordinator.actor;
    const save = (limit: number | null) =>
      funding.savePeriod(coordinator, 4, period, {
        open: false,
        contractsBannedFrom: null,
        freeProgramsPerChild: limit,
      });
    await save(2);
    expect((await funding.freeProgramsOf(4, regionToday())).limit).toBe(2);
    // Another process's save (here: a write beside the service) is not seen while the kept figure lives…
    await database.db.execute(
      sql`update funding_periods set free_programs_per_child = 7 where municipality_id = 4 and starts_on = ${period.startsOn}`,
    );
    expect((await funding.freeProgramsOf(4, regionToday())).limit).toBe(2);
    // …and is seen once it has expired.
    const now = Date.now();
    const later = vi.spyOn(Date, 'now').mockReturnValue(now + FREE_LIMIT_LIFETIME_MS + 1);
    try {
      expect((await funding.freeProgramsOf(4, regionToday())).limit).toBe(7);
    } finally {
      later.mockRestore();
    }
    await save(null);
    expect((await funding.freeProgramsOf(4, regionToday())).limit).toBeNull();
  });
});

describe('the rush for a quota', () => {
  it('funds exactly 50 of 200 parallel requests and queues the other 150 in request order', async () => {
    const funding = app.services.funding;
    const categoryInput = {
      name: 'Дети 5–18 лет',
      ageFrom: 5,
      ageTo: 18,
      nominalKopecks: 500_000,
      quota: 50,
      nominalCapKopecks: null,
    };
    await funding.saveCategory(staff.desnogorsk.actor, 2, period, null, categoryInput, true);
    await funding.savePeriod(staff.desnogorsk.actor, 2, period, { open: true, contractsBannedFrom: null });
    const crowd: Awaited<ReturnType<typeof parent>>[] = [];
    for (let i = 0; i < 200; i++) crowd.push(await parent(2));
    const results = await Promise.all(crowd.map((who) => funding.request(who.actor, who.childId)));
    expect(results.filter((r) => r.status === 'funded')).toHaveLength(50);
    const queued = results.flatMap((r) => (r.status === 'queued' ? [r] : []));
    expect(queued).toHaveLength(150);

    // Positions now, read back: 1…150 in the order the requests were taken.
    const rows = await queryRows(
      database.db,
      sql`select r.status, c.child_id from funding_requests r join certificates c on c.id = r.certificate_id
            join funding_periods p on p.id = r.period_id
           where p.municipality_id = 2 order by r.requested_at, r.id`,
    );
    expect(rows.slice(0, 50).every((row) => row.status === 'funded')).toBe(true);
    expect(rows.slice(50).every((row) => row.status === 'queued')).toBe(true);
    const positions = await Promise.all(
      rows.slice(50).map(async (row) => {
        const who = crowd.find((c) => c.childId === row.child_id)!;
        const state = await funding.stateOf(who.actor, who.childId);
        return state?.status === 'queued' ? state.position : -1;
      }),
    );
    expect(positions).toEqual(Array.from({ length: 150 }, (_, i) => i + 1));
    const [granted] = await queryRows(
      database.db,
      sql`select count(*)::int as n, sum(amount_kopecks)::bigint as total from funding_ledger l
            join funding_periods p on p.id = l.period_id where p.municipality_id = 2 and l.kind = 'grant'`,
    );
    expect(Number(granted!.n)).toBe(50);
    expect(Number(granted!.total)).toBe(50 * fiveThousand);
  }, 240_000);
});
