import { eq, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.js';
import { auditEvents } from '../../platform/audit/schema.js';
import { queryRows, type Database } from '../../platform/db/client.js';
import { regionToday } from '../../platform/views/format.js';
import { createTestApp } from '../../../tests/support/app.js';
import { TestClient, textOf } from '../../../tests/support/client.js';
import { createTestDatabase } from '../../../tests/support/database.js';
import { isoInYear } from '../../../tests/support/dates.js';
import { createFamily, createOpenGroup, createOrganization } from '../../../tests/support/enrolment.js';
import { createStaffAccount } from '../accounts/service.js';
import { hashPassword } from '../accounts/password.js';
import { applications, groupPlaces } from '../applications/schema.js';
import { certificates } from '../certificates/schema.js';
import { children } from '../children/schema.js';
import { programs } from '../programs/schema.js';
import { reportJobs } from './jobs.js';

/**
 * The reports on a small known world: Смоленск (1) with two organizations, Десногорск (2) with one. Every number of
 * every report, the exports' rows, the population form with its audit, and who is refused.
 */

const PASSWORD = 'Отчёты-региона-2026';
const DAY = 86_400_000;
const today = regionToday();
const daysAgo = (days: number) => regionToday(new Date(Date.now() - days * DAY));
/** A fixed period so that the numbers do not depend on the day the test runs. */
const PERIOD = `from=${daysAgo(30)}&to=${today}`;
let database: Database;
let app: App;
const clients: Record<string, TestClient> = {};
let ip = 1;

async function signIn(email: string) {
  const client = new TestClient(app.http, `198.51.102.${ip++}`);
  const response = await client.submit('/login', { email, password: PASSWORD });
  expect(response.status, email).toBe(303);
  return client;
}

/** A child of a new family in a municipality; its certificate issued `issuedDaysAgo` days ago. */
let families = 0;
async function child(options: {
  age: number;
  municipalityId: number;
  confirmed: boolean;
  issuedDaysAgo?: number;
}) {
  const family = await createFamily(database.db, {
    email: `family-${++families}@reports.example.ru`,
    certificate: options.confirmed ? 'active' : 'awaiting_confirmation',
    birthDate: isoInYear(options.age, '01-01'),
  });
  await database.db
    .update(children)
    .set({ municipalityId: options.municipalityId })
    .where(eq(children.id, family.childId));
  if (options.issuedDaysAgo)
    await database.db
      .update(certificates)
      .set({ issuedAt: new Date(Date.now() - options.issuedDaysAgo * DAY) })
      .where(eq(certificates.childId, family.childId));
  return family;
}

async function apply(
  family: { userId: string; childId: string },
  group: { programId: string; groupId: string; organizationId: string },
  status: (typeof applications.$inferInsert)['status'],
  createdDaysAgo = 0,
) {
  await database.db.insert(applications).values({
    ...group,
    childId: family.childId,
    applicantUserId: family.userId,
    filedByUserId: family.userId,
    channel: 'online',
    status,
    createdAt: new Date(Date.now() - createdDaysAgo * DAY),
  });
}

beforeAll(async () => {
  database = await createTestDatabase();
  app = await createTestApp(database);
  await app.http.ready();
  const orgS = await createOrganization(database.db, 'Дом творчества «Узоры»');
  const orgEmpty = await createOrganization(database.db, 'Клуб «Аист»');
  const orgD = await createOrganization(database.db, 'Центр «Десна»', 2);
  const g1 = {
    organizationId: orgS,
    ...(await createOpenGroup(database.db, { organizationId: orgS, capacity: 20 })),
  };
  const g2 = {
    organizationId: orgS,
    ...(await createOpenGroup(database.db, { organizationId: orgS, capacity: 10 })),
  };
  const g3 = {
    organizationId: orgD,
    ...(await createOpenGroup(database.db, { organizationId: orgD, capacity: 5 })),
  };
  await createOpenGroup(database.db, { organizationId: orgS, status: 'draft' });
  await database.db.update(programs).set({ registry: 'significant' }).where(eq(programs.id, g1.programId));
  await database.db
    .update(programs)
    .set({ directionId: 2, registry: 'certified' })
    .where(eq(programs.id, g2.programId));
  await database.db.update(programs).set({ municipalityId: 2 }).where(eq(programs.id, g3.programId));
  for (const [group, taken] of [
    [g1, 4],
    [g2, 1],
    [g3, 1],
  ] as const)
    await database.db.update(groupPlaces).set({ taken }).where(eq(groupPlaces.groupId, group.groupId));

  // Смоленск: 7 (confirmed, funded), 12 (waiting), 16 (confirmed), 3 (no band), 12 issued two years ago.
  const c7 = await child({ age: 7, municipalityId: 1, confirmed: true });
  const c12 = await child({ age: 12, municipalityId: 1, confirmed: false });
  const c16 = await child({ age: 16, municipalityId: 1, confirmed: true });
  const c3 = await child({ age: 3, municipalityId: 1, confirmed: true });
  const old = await child({ age: 12, municipalityId: 1, confirmed: true, issuedDaysAgo: 730 });
  // Десногорск: 9, confirmed.
  const d9 = await child({ age: 9, municipalityId: 2, confirmed: true });

  const [period] = await queryRows(
    database.db,
    sql`insert into funding_periods (municipality_id, starts_on, ends_on, open)
        values (1, ${daysAgo(60)}, ${regionToday(new Date(Date.now() + 300 * DAY))}, true) returning id`,
  );
  const [category] = await queryRows(
    database.db,
    sql`insert into funding_categories (period_id, name, age_from, age_to, nominal_kopecks, quota)
        values (${period!.id}, '5–18', 5, 18, 1000000, 10) returning id`,
  );
  await queryRows(
    database.db,
    sql`insert into funding_requests (certificate_id, category_id, period_id, status, requested_by)
        select id, ${category!.id}, ${period!.id}, 'funded', ${c7.userId} from certificates where child_id = ${c7.childId}`,
  );

  await apply(c7, g1, 'accepted');
  await apply(c7, g2, 'accepted');
  await apply(c12, g1, 'new');
  await apply(c16, g2, 'queued');
  await apply(old, g1, 'accepted');
  await apply(c3, g1, 'accepted');
  await apply(c12, g2, 'rejected', 7);
  await apply(d9, g3, 'accepted', 200);

  const staff = {
    orgS: { role: 'org_staff', municipalityId: 1, organizationId: orgS },
    adminS: { role: 'municipal_admin', municipalityId: 1 },
    adminD: { role: 'municipal_admin', municipalityId: 2 },
    coordinator: { role: 'coordinator' },
  } as const;
  for (const [name, role] of Object.entries(staff)) {
    await createStaffAccount(database, {
      ...role,
      email: `${name.toLowerCase()}@reports.example.ru`,
      password: PASSWORD,
      lastName: 'Отчётова',
      firstName: 'Вера',
    });
    clients[name] = await signIn(`${name.toLowerCase()}@reports.example.ru`);
  }
  await createFamily(database.db, {
    email: 'parent@reports.example.ru',
    passwordHash: await hashPassword(PASSWORD),
    certificate: null,
  });
  clients.parent = await signIn('parent@reports.example.ru');
  void orgEmpty;
});

afterAll(async () => {
  await app?.close();
  await database?.close();
});

/** The rows of a page's table by caption: the row header and its cells, as text. */
function tableRows(html: string, caption: string): string[][] {
  const table = html.split('<table').find((part) => part.includes(`<caption>${caption}</caption>`));
  if (!table) return [];
  return [...table.split('</table>')[0]!.matchAll(/<tr>([\s\S]*?)<\/tr>/g)]
    .slice(1)
    .map((row) => [...row[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) => textOf(cell[1]!)));
}

async function csvOf(client: TestClient, url: string) {
  const response = await client.get(url);
  expect(response.status, url).toBe(200);
  expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
  expect(response.body.startsWith('\ufeff')).toBe(true);
  return response.body
    .slice(1)
    .split('\r\n')
    .map((line) => (line ? line.split(';').map((cell) => cell.replace(/^"|"$/g, '')) : []));
}

async function xlsxOf(client: TestClient, url: string) {
  const response = await app.http.inject({
    method: 'GET',
    url,
    headers: { cookie: [...client.cookies].map(([name, value]) => `${name}=${value}`).join('; ') },
  });
  expect(response.statusCode, url).toBe(200);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
  return workbook.worksheets.map((sheet) => ({
    name: sheet.name,
    rows: sheet
      .getSheetValues()
      .filter(Boolean)
      .map((row) => (row as unknown[]).slice(1)),
  }));
}

describe('reports', () => {
  it('certificates by age band: issued, confirmed, funded; the administrator sees their municipality', async () => {
    const page = await clients.adminS!.get(`/staff/reports/certificates?${PERIOD}`);
    expect(page.status).toBe(200);
    expect(tableRows(page.body, 'Дети с сертификатами по возрасту')).toEqual([
      ['5–9', '1', '1', '1'],
      ['10–14', '1', '0', '0'],
      ['15–18', '1', '1', '0'],
    ]);
    expect(page.body).not.toContain('По муниципалитетам');
    expect(page.body).toMatch(/<svg[^>]*role="img"[^>]*aria-labelledby="chart-bands-title chart-bands-desc"/);
    expect(page.body).toContain('<title id="chart-bands-title">Дети с сертификатами по возрасту</title>');
    expect(page.body).toContain('5–9: выдано сертификатов 1, данные подтверждены 1, финансируются 1');

    const region = await clients.coordinator!.get(`/staff/reports/certificates?${PERIOD}`);
    expect(tableRows(region.body, 'Дети с сертификатами по возрасту')[0]).toEqual(['5–9', '2', '2', '1']);
    const byMunicipality = tableRows(region.body, 'По муниципалитетам');
    expect(byMunicipality).toHaveLength(27);
    expect(byMunicipality[0]).toEqual(['город Смоленск', '3', '2', '1']);
    expect(byMunicipality[1]).toEqual(['город Десногорск', '1', '1', '0']);
  });

  it('exports hold the same rows: CSV with a BOM and «;», XLSX a sheet per table', async () => {
    const csv = await csvOf(clients.adminS!, `/staff/reports/certificates/export.csv?${PERIOD}`);
    expect(csv.slice(0, 5)).toEqual([
      ['Дети с сертификатами по возрасту'],
      ['Возраст, лет', 'Выдано сертификатов', 'Данные подтверждены', 'Финансируются'],
      ['5–9', '1', '1', '1'],
      ['10–14', '1', '0', '0'],
      ['15–18', '1', '1', '0'],
    ]);
    const sheets = await xlsxOf(clients.coordinator!, `/staff/reports/certificates/export.xlsx?${PERIOD}`);
    expect(sheets.map((sheet) => sheet.name)).toEqual([
      '1. Дети с сертификатами по возр',
      '2. По муниципалитетам',
    ]);
    expect(sheets[0]!.rows[1]).toEqual(['5–9', 2, 2, 1]);
    expect(sheets[1]!.rows[1]).toEqual(['город Смоленск', 3, 2, 1]);
    expect(sheets[1]!.rows).toHaveLength(28);
  });

  it('coverage: the coordinator enters the population (audited), enrolled children 5–18 ÷ population', async () => {
    const before = await clients.adminS!.get(`/staff/reports/coverage?${PERIOD}`);
    expect(tableRows(before.body, 'Охват: дети 5–18 лет, занимающиеся хотя бы в одной программе')).toEqual([
      ['город Смоленск', 'нет данных', '2', 'нет данных'],
    ]);

    const wrong = await clients.coordinator!.submit('/staff/reports/population', {
      m1: 'сто',
      m2: '<script>alert(1)</script>',
      m3: '0',
    });
    expect(wrong.status).toBe(400);
    expect(textOf(wrong.body)).toContain('Введите целое число детей от 1 до 9 999 999');
    expect(wrong.body.match(/class="field-error"/g)).toHaveLength(3);
    expect(wrong.body).not.toContain('<script>alert(1)');
    expect(wrong.body).toContain('value="сто"');

    const saved = await clients.coordinator!.submit('/staff/reports/population', { m1: '100', m2: '50 000' });
    expect(saved.status).toBe(303);
    expect(saved.location).toBe('/staff/reports/coverage');
    const audited = await database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'reports.population_changed'));
    expect(audited.map((event) => [event.subjectId, event.details])).toEqual(
      expect.arrayContaining([
        ['1', { from: null, to: 100 }],
        ['2', { from: null, to: 50000 }],
      ]),
    );
    expect(audited).toHaveLength(2);

    const admin = await clients.adminS!.get(`/staff/reports/coverage?${PERIOD}`);
    expect(tableRows(admin.body, 'Охват: дети 5–18 лет, занимающиеся хотя бы в одной программе')).toEqual([
      ['город Смоленск', '2 %', '2', '100'],
    ]);
    const region = await clients.coordinator!.get(`/staff/reports/coverage?${PERIOD}`);
    const rows = tableRows(region.body, 'Охват: дети 5–18 лет, занимающиеся хотя бы в одной программе');
    expect(rows).toHaveLength(28);
    expect(rows[1]).toEqual(['город Десногорск', '0 %', '1', '50 000']);
    // Other municipalities have no population yet: the region's coverage is not known.
    expect(rows[27]).toEqual(['Вся область', 'нет данных', '3', 'нет данных']);
  });

  it('applications by status and by week of filing, within the period', async () => {
    const page = await clients.adminS!.get(`/staff/reports/applications?${PERIOD}`);
    expect(tableRows(page.body, 'Заявки по статусам')).toEqual([
      ['Новая', '1'],
      ['Принята', '4'],
      ['Отклонена', '1'],
      ['В очереди', '1'],
    ]);
    const weeks = tableRows(page.body, 'Заявки по неделям подачи');
    expect(weeks).toHaveLength(2);
    expect(weeks.map((week) => week.slice(1))).toEqual([
      ['1', '0'],
      ['6', '4'],
    ]);
    // Десногорск's application was 200 days ago: outside the period.
    const desnogorsk = await clients.adminD!.get(`/staff/reports/applications?${PERIOD}`);
    expect(textOf(desnogorsk.body)).toContain('Нет данных за выбранный период.');
    const longer = await clients.adminD!.get(`/staff/reports/applications?from=${daysAgo(365)}&to=${today}`);
    expect(tableRows(longer.body, 'Заявки по статусам')).toEqual([['Принята', '1']]);
  });

  it('programs: gathered figures (ADR 0045) shown with their time, «Обновить сейчас» gathers them anew', async () => {
    const directions = async (client: TestClient) =>
      tableRows((await client.get(`/staff/reports/programs?${PERIOD}`)).body, 'Программы по направленностям');
    // Never gathered since the migration: the first reader gathers them.
    const first = await clients.adminS!.get(`/staff/reports/programs?${PERIOD}`);
    expect(textOf(first.body)).toMatch(
      /Данные на \d\d\.\d\d\.\d{4}, \d\d:\d\d; они обновляются каждые 5 минут\./,
    );
    expect(tableRows(first.body, 'Программы по направленностям')[0]).toEqual(['Техническая', '1', '1', '16']);
    // A place taken since: not in the figures until they are gathered again.
    const technical = String(
      (
        await queryRows(
          database.db,
          sql`select gp.group_id from group_places gp join program_groups g on g.id = gp.group_id
               join programs p on p.id = g.program_id where p.registry = 'significant'`,
        )
      )[0]!.group_id,
    );
    await database.db.update(groupPlaces).set({ taken: 5 }).where(eq(groupPlaces.groupId, technical));
    expect((await directions(clients.adminS!))[0]).toEqual(['Техническая', '1', '1', '16']);
    // A parent or organization staff cannot make the database gather them.
    for (const name of ['parent', 'orgS'])
      expect((await clients[name]!.submit('/', {}, '/staff/reports/programs/refresh')).status, name).toBe(
        403,
      );
    // Within 30 s of the last gathering a press does not gather again.
    const soon = await clients.adminS!.submit(
      `/staff/reports/programs?${PERIOD}`,
      {},
      '/staff/reports/programs/refresh',
    );
    expect(soon.headers.location).toBe('/staff/reports/programs');
    expect(textOf((await clients.adminS!.get('/staff/reports/programs')).body)).toContain(
      'Данные о программах только что обновлены.',
    );
    expect((await directions(clients.adminS!))[0]).toEqual(['Техническая', '1', '1', '16']);
    // Later, it does, and comes back to the same filters (and nothing else the form carried).
    await queryRows(
      database.db,
      sql`update report_refreshes set refreshed_at = now() - interval '1 hour' where report = 'programs'`,
    );
    const refreshed = await clients.adminS!.submit(
      `/staff/reports/programs?${PERIOD}`,
      { municipality: '1', from: daysAgo(30), to: today, extra: 'https://evil.example' },
      '/staff/reports/programs/refresh',
    );
    expect(refreshed.status).toBe(303);
    expect(refreshed.headers.location).toBe(
      `/staff/reports/programs?municipality=1&from=${daysAgo(30)}&to=${today}`,
    );
    const after = await clients.adminS!.get(refreshed.headers.location as string);
    expect(textOf(after.body)).toContain('Данные о программах обновлены.');
    expect(tableRows(after.body, 'Программы по направленностям')[0]).toEqual(['Техническая', '1', '1', '15']);
    // The job gathers them too, every 5 minutes.
    await database.db.update(groupPlaces).set({ taken: 4 }).where(eq(groupPlaces.groupId, technical));
    const [job] = reportJobs({ database });
    expect(job!.cron).toBe('*/5 * * * *');
    await job!.handle({}, { jobId: 'test', logger: { info: () => undefined } as never, queue: app.queue });
    expect((await directions(clients.adminS!))[0]).toEqual(['Техническая', '1', '1', '16']);
  });

  it('programs by направленность and registry, with free places', async () => {
    const page = await clients.adminS!.get(`/staff/reports/programs?${PERIOD}`);
    const directions = tableRows(page.body, 'Программы по направленностям');
    expect(directions[0]).toEqual(['Техническая', '1', '1', '16']);
    expect(directions[1]).toEqual(['Естественнонаучная', '1', '1', '9']);
    expect(directions.slice(2).every((row) => row.slice(1).join() === '0,0,0')).toBe(true);
    // One registry per program (ADR 0036): the five rows add up to the programs.
    expect(tableRows(page.body, 'Программы по реестрам')).toEqual([
      ['Сертифицированные', '1', '1', '9'],
      ['Значимые', '1', '1', '16'],
      ['Предпрофессиональные', '0', '0', '0'],
      ['Иные', '0', '0', '0'],
      ['Платные', '0', '0', '0'],
    ]);
    const region = await clients.coordinator!.get(`/staff/reports/programs?${PERIOD}`);
    expect(tableRows(region.body, 'Программы по направленностям')[0]).toEqual([
      'Техническая',
      '2',
      '2',
      '20',
    ]);
    expect(tableRows(region.body, 'По муниципалитетам')[1]).toEqual(['город Десногорск', '1', '1', '4']);
  });

  it('organizations with their programs and enrolled children', async () => {
    const page = await clients.adminS!.get(`/staff/reports/organizations?${PERIOD}`);
    expect(tableRows(page.body, 'Все организации')).toEqual([
      ['Дом творчества «Узоры»', '3', '2', '2'],
      ['Клуб «Аист»', '0', '0', '0'],
    ]);
    expect(tableRows(page.body, 'Больше всего занимающихся детей')).toEqual([
      ['Дом творчества «Узоры»', '3', '2', '2'],
    ]);
    const csv = await csvOf(
      clients.coordinator!,
      `/staff/reports/organizations/export.csv?${PERIOD}&municipality=2`,
    );
    expect(csv.slice(4, 7)).toEqual([
      ['Все организации'],
      ['Организация', 'Детей занимается', 'Программ', 'Групп'],
      ['Центр «Десна»', '1', '1', '1'],
    ]);
  });

  it('access: another municipality is not found, parents and organization staff are refused', async () => {
    for (const url of [
      `/staff/reports/certificates?municipality=1`,
      `/staff/reports/coverage/export.csv?municipality=1`,
      `/staff/reports/organizations/export.xlsx?municipality=1`,
    ])
      expect((await clients.adminD!.get(url)).status, url).toBe(404);
    expect((await clients.adminS!.get('/staff/reports/certificates?municipality=1')).status).toBe(200);
    expect((await clients.adminS!.get('/staff/reports/nonsense')).status).toBe(404);
    for (const name of ['parent', 'orgS'])
      for (const url of [
        '/staff/reports',
        '/staff/reports/certificates',
        '/staff/reports/certificates/export.csv',
        '/staff/reports/population',
      ])
        expect((await clients[name]!.get(url)).status, `${name} ${url}`).toBe(403);
    expect((await clients.adminS!.get('/staff/reports/population')).status).toBe(403);
    expect((await clients.adminS!.post('/staff/reports/population', { m1: '1' })).status).toBe(403);
    // Without the form's CSRF token the coordinator's post is refused too.
    expect((await clients.coordinator!.post('/staff/reports/population', { m1: '1' })).status).toBe(403);
    expect((await new TestClient(app.http).get('/staff/reports/coverage')).status).toBe(303);
  });

  it('filters: every error at once in Russian, values kept, never a 500', async () => {
    const page = await clients.coordinator!.get(
      `/staff/reports/applications?municipality=1%27%20or%201=1&from=31.02.2026&to=${'9'.repeat(900)}`,
    );
    expect(page.status).toBe(400);
    const text = textOf(page.body);
    expect(text).toContain('Выберите муниципалитет из списка');
    expect(text).toContain('Такой даты нет в календаре');
    expect(text).toContain('Введите дату в формате');
    expect(page.body).toContain('value="31.02.2026"');
    const reversed = await clients.coordinator!.get(`/staff/reports/programs?from=${today}&to=${daysAgo(1)}`);
    expect(reversed.status).toBe(400);
    expect(textOf(reversed.body)).toContain('Конец периода не может быть раньше начала');
    const long = await clients.coordinator!.get(
      `/staff/reports/programs/export.csv?from=2000-01-01&to=${today}`,
    );
    expect(long.status).toBe(400);
    expect(textOf(long.body)).toContain('Период не может быть длиннее трёх лет');
    expect((await clients.coordinator!.get('/staff/reports/coverage?municipality=99')).status).toBe(400);
  });

  it('the workspace links «Отчёты» for administrators and the coordinator, not for organization staff', async () => {
    for (const name of ['adminS', 'coordinator'])
      expect((await clients[name]!.get('/staff')).body).toContain('<a href="/staff/reports">Отчёты</a>');
    expect((await clients.orgS!.get('/staff')).body).not.toContain('/staff/reports');
    const index = await clients.coordinator!.get('/staff/reports');
    expect(index.body).toContain('/staff/reports/population');
    expect((await clients.adminS!.get('/staff/reports')).body).not.toContain('/staff/reports/population');
  });
});
