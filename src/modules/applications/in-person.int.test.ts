import ExcelJS from 'exceljs';
import { and, asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailingTestApp } from '../../../tests/support/app.js';
import { TestClient, csrfTokenOf, textOf, type PageResponse } from '../../../tests/support/client.js';
import { createFamily, createOpenGroup, createOrganization } from '../../../tests/support/enrolment.js';
import type { SmtpSink } from '../../../tests/support/smtp.js';
import type { App } from '../../app.js';
import { auditEvents } from '../../platform/audit/schema.js';
import { queryRows, type Database } from '../../platform/db/client.js';
import { hashPassword } from '../accounts/password.js';
import { users } from '../accounts/schema.js';
import { createStaffAccount } from '../accounts/service.js';
import { certificates } from '../certificates/schema.js';
import { luhnCheckDigit } from '../certificates/number.js';

/**
 * Issue 11's reproduction: staff of an organization in another municipality (Десногорск) hold only a Smolensk
 * child's certificate number. They learn nothing and file nothing; with the number and the birth date (the two
 * facts the parent brings) they file. Every lookup is audited and failures are limited.
 */

const PASSWORD = 'Сотрудник-навигатора-67';
const FAILED = 'Сертификат не найден или дата рождения не совпадает';
const TOO_MANY = 'Слишком много неудачных попыток найти сертификат';
const DESNOGORSK = 2;
let testbed: Awaited<ReturnType<typeof createMailingTestApp>>;
let database: Database;
let app: App;
let sink: SmtpSink;
let passwordHash: string;
let people = 0;
const emails = new Map<TestClient, string>();

async function signedIn(email: string): Promise<TestClient> {
  const client = new TestClient(app.http, `198.51.100.${++people}`);
  const response = await client.submit('/login', { email, password: PASSWORD });
  expect(response.status).toBe(303);
  emails.set(client, email);
  return client;
}

/** An organization in Десногорск with an open group and `accounts` staff accounts, signed in. */
async function desnogorskOrganization(name: string, accounts = 1, group: { ageFrom?: number } = {}) {
  const organizationId = await createOrganization(database.db, name, DESNOGORSK);
  const { groupId } = await createOpenGroup(database.db, {
    organizationId,
    ...(group.ageFrom ? { ageFrom: group.ageFrom, ageTo: 17 } : {}),
  });
  const clients: TestClient[] = [];
  for (let i = 0; i < accounts; i++) {
    const email = `staff-${++people}@desnogorsk.example.ru`;
    await createStaffAccount(database, {
      role: 'org_staff',
      email,
      password: PASSWORD,
      lastName: 'Деснова',
      firstName: 'Ольга',
      municipalityId: DESNOGORSK,
      organizationId,
    });
    clients.push(await signedIn(email));
  }
  return { organizationId, groupId, clients };
}

/** A Smolensk family: the parent (signed in) and a child born on 14.03.2015 with an active certificate. */
async function smolenskFamily(childLastName: string) {
  const email = `parent-${++people}@smolensk.example.ru`;
  const family = await createFamily(database.db, { email, passwordHash, childLastName });
  return { ...family, email, number: family.certificateNumber!, client: await signedIn(email) };
}

async function fileInPerson(
  client: TestClient,
  fields: { certificateNumber: string; birthDate: string; groupId: string },
): Promise<PageResponse> {
  const form = await client.get('/staff/org/applications/new');
  return client.post('/staff/org/applications/new', { _csrf: csrfTokenOf(form.body), ...fields });
}

/**
 * A well-formed number (right check digit) outside the region's prefix, so no certificate has it; a new one at
 * each call, since failures are limited per number too.
 */
let unknownSerial = 0;
function unknownNumber(): string {
  const body = `99${String(++unknownSerial).padStart(7, '0')}`;
  return body + String(luhnCheckDigit(body));
}

/** The same number with its check digit changed: ten digits that parse but belong to no certificate. */
const wrongCheckDigit = (number: string) => number.slice(0, 9) + String((Number(number[9]) + 1) % 10);

const applicationsOf = async (childId: string) =>
  Number(
    (
      await queryRows(
        database.db,
        sql`select count(*)::int as n from applications where child_id = ${childId}`,
      )
    )[0]!.n,
  );

const lookups = (actorUserId: string) =>
  database.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.action, 'staff.in_person_lookup'), eq(auditEvents.actorUserId, actorUserId)))
    .orderBy(asc(auditEvents.id));

async function userIdOf(client: TestClient): Promise<string> {
  const [user] = await database.db
    .select()
    .from(users)
    .where(eq(users.email, emails.get(client)!));
  return user!.id;
}

beforeAll(async () => {
  testbed = await createMailingTestApp();
  ({ database, app, sink } = testbed);
  passwordHash = await hashPassword(PASSWORD);
});

afterAll(async () => {
  await testbed?.close();
});

describe('in-person filing from another municipality (issue 11, the reproduction)', () => {
  it('a certificate number alone tells Десногорск staff nothing about a Smolensk child and files nothing', async () => {
    const desk = await desnogorskOrganization('Дом творчества «Десна»');
    const teens = await createOpenGroup(database.db, {
      organizationId: desk.organizationId,
      ageFrom: 14,
      ageTo: 17,
    });
    const staff = desk.clients[0]!;
    const child = await smolenskFamily('Смолянова');
    const nobody = wrongCheckDigit(child.number);

    // Without the birth date the form asks for it and looks nothing up.
    const numberOnly = await fileInPerson(staff, {
      certificateNumber: child.number,
      birthDate: '',
      groupId: desk.groupId,
    });
    expect(numberOnly.status).toBe(400);
    expect(textOf(numberOnly.body)).toContain('Введите дату рождения ребёнка');
    expect(numberOnly.body).toContain(`value="${child.number}"`);

    // A real number with a wrong birth date, a wrong check digit, an unknown number, a closed certificate, and
    // a group the child is too young for: one and the same page.
    const answers = [];
    for (const [certificateNumber, groupId] of [
      [child.number, desk.groupId],
      [child.number, teens.groupId],
      [nobody, desk.groupId],
      [unknownNumber(), desk.groupId],
    ] as const) {
      const response = await fileInPerson(staff, { certificateNumber, birthDate: '15.03.2015', groupId });
      expect(response.status).toBe(400);
      answers.push(textOf(response.body));
    }
    const closed = await smolenskFamily('Закрытова');
    await database.db
      .update(certificates)
      .set({ status: 'closed' })
      .where(eq(certificates.childId, closed.childId));
    const closedAnswer = await fileInPerson(staff, {
      certificateNumber: closed.number,
      birthDate: '14.03.2015',
      groupId: desk.groupId,
    });
    answers.push(textOf(closedAnswer.body));
    expect(answers[0]).toContain(FAILED);
    for (const answer of answers) {
      expect(answer).toBe(answers[0]);
      expect(answer).not.toMatch(/Смолянова|Закрытова|ребёнку \d+|лет, а/);
    }
    expect(closedAnswer.body).toContain('value="14.03.2015"');

    expect(await applicationsOf(child.childId)).toBe(0);
    expect(await applicationsOf(closed.childId)).toBe(0);
    const list = await staff.get('/staff/org/applications');
    expect(textOf(list.body)).not.toContain('Смолянова');
    const roster = await staff.get(`/staff/org/groups/${desk.groupId}/roster`);
    expect(roster.status).toBe(200);
    expect(textOf(roster.body)).not.toContain('Смолянова');
    expect((await staff.get(`/staff/children/${child.childId}`)).status).toBe(403);
    expect(textOf((await child.client.get('/cabinet/applications')).body)).not.toContain(
      'Робототехника для начинающих',
    );

    // With the birth date too the application is filed: the age refusal appears only now, and the parent is told.
    const tooYoung = await fileInPerson(staff, {
      certificateNumber: child.number,
      birthDate: '14.03.2015',
      groupId: teens.groupId,
    });
    expect(tooYoung.status).toBe(400);
    expect(textOf(tooYoung.body)).toMatch(
      /Группа для детей от 14 до 17 лет, а ребёнку к началу занятий [\d.]+ будет \d+/,
    );
    expect(sink.received.some((mail) => JSON.stringify(mail.to).includes(child.email))).toBe(false);
    const filed = await fileInPerson(staff, {
      certificateNumber: `${child.number.slice(0, 2)} ${child.number.slice(2, 6)} ${child.number.slice(6)}`,
      birthDate: '14.03.2015',
      groupId: desk.groupId,
    });
    expect(filed.status).toBe(303);
    const page = await staff.follow(filed);
    expect(textOf(page.body)).toContain('Заявление подано');
    expect(textOf(page.body)).toContain('Смолянова Анна');
    expect(await applicationsOf(child.childId)).toBe(1);
    expect(textOf((await child.client.get('/cabinet/applications')).body)).toContain(
      'Робототехника для начинающих',
    );
    await sink.waitFor(child.email);
    expect(textOf((await staff.get(`/staff/org/groups/${desk.groupId}/roster`)).body)).toContain('Смолянова');
  });

  it('audits every lookup with the actor, the organization and the outcome, never the number or the date', async () => {
    const desk = await desnogorskOrganization('Станция юннатов «Десна»');
    const staff = desk.clients[0]!;
    const child = await smolenskFamily('Аудитова');
    const unknown = unknownNumber();
    await fileInPerson(staff, {
      certificateNumber: unknown,
      birthDate: '14.03.2015',
      groupId: desk.groupId,
    });
    await fileInPerson(staff, {
      certificateNumber: child.number,
      birthDate: '01.01.2016',
      groupId: desk.groupId,
    });
    const filed = await fileInPerson(staff, {
      certificateNumber: child.number,
      birthDate: '14.03.2015',
      groupId: desk.groupId,
    });
    expect(filed.status).toBe(303);
    const [certificate] = await database.db
      .select()
      .from(certificates)
      .where(eq(certificates.childId, child.childId));

    const rows = await lookups(await userIdOf(staff));
    expect(rows.map((row) => row.details?.outcome)).toEqual(['not_found', 'birth_date_mismatch', 'matched']);
    expect(rows.map((row) => row.subjectId)).toEqual([null, certificate!.id, certificate!.id]);
    for (const row of rows) {
      expect(row.details).toMatchObject({ organizationId: desk.organizationId, groupId: desk.groupId });
      expect(row.requestId).toMatch(/^[\w-]{8,}$/);
      expect(row.clientAddress).toMatch(/^198\.51\.100\.\d+$/);
      const text = JSON.stringify(row);
      for (const secret of [child.number, unknown, '2015-03-14', '2016-01-01', 'Аудитова'])
        expect(text).not.toContain(secret);
    }
  });
});

describe('failed lookups are limited (10 a minute)', () => {
  it('per staff account: the 11th failure is refused, even with the right facts; other organizations go on', async () => {
    const desk = await desnogorskOrganization('Клуб «Первый»');
    const other = await desnogorskOrganization('Клуб «Другой»');
    const child = await smolenskFamily('Лимитова');
    const staff = desk.clients[0]!;
    for (let i = 0; i < 10; i++) {
      const response = await fileInPerson(staff, {
        certificateNumber: unknownNumber(),
        birthDate: `${String(i + 1).padStart(2, '0')}.01.2016`,
        groupId: desk.groupId,
      });
      expect(response.status).toBe(400);
      expect(textOf(response.body)).toContain(FAILED);
    }
    const eleventh = await fileInPerson(staff, {
      certificateNumber: child.number,
      birthDate: '14.03.2015',
      groupId: desk.groupId,
    });
    expect(eleventh.status).toBe(429);
    // The wait is what is left of the minute's window: «через 1 минуту», or seconds when the ten took a while.
    expect(textOf(eleventh.body)).toMatch(
      new RegExp(`${TOO_MANY}\\. Попробуйте снова через (1 минуту|[1-5]?\\d секунд[уы]?)\\.`),
    );
    expect(await applicationsOf(child.childId)).toBe(0);
    const rows = await lookups(await userIdOf(staff));
    expect(rows.at(-1)!.details?.outcome).toBe('rate_limited');

    const elsewhere = await fileInPerson(other.clients[0]!, {
      certificateNumber: child.number,
      birthDate: '14.03.2015',
      groupId: other.groupId,
    });
    expect(elsewhere.status).toBe(303);
  });

  it('per organization: two accounts of one organization share the ten failures', async () => {
    const desk = await desnogorskOrganization('Клуб «Общий»', 2);
    const [first, second] = desk.clients as [TestClient, TestClient];
    const child = await smolenskFamily('Общая');
    for (let i = 0; i < 10; i++) {
      const response = await fileInPerson(i % 2 ? second : first, {
        certificateNumber: unknownNumber(),
        birthDate: '14.03.2015',
        groupId: desk.groupId,
      });
      expect(response.status).toBe(400);
    }
    for (const client of [first, second]) {
      const refused = await fileInPerson(client, {
        certificateNumber: child.number,
        birthDate: '14.03.2015',
        groupId: desk.groupId,
      });
      expect(refused.status).toBe(429);
      expect(textOf(refused.body)).toContain(TOO_MANY);
    }
    expect(await applicationsOf(child.childId)).toBe(0);
  });

  it('parallel failures cannot pass the limit together: of 20 at once at most 10 are looked up', async () => {
    const desk = await desnogorskOrganization('Клуб «Быстрый»');
    const staff = desk.clients[0]!;
    const form = await staff.get('/staff/org/applications/new');
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        staff.post('/staff/org/applications/new', {
          _csrf: csrfTokenOf(form.body),
          certificateNumber: unknownNumber(),
          birthDate: '14.03.2015',
          groupId: desk.groupId,
        }),
      ),
    );
    // Each try is counted on two keys (account, organization) in its own order, so a race may refuse a little
    // early, never late.
    const looked = answers.filter((answer) => answer.status === 400).length;
    expect(looked).toBeGreaterThan(0);
    expect(looked).toBeLessThanOrEqual(10);
    expect(answers.filter((answer) => answer.status === 429)).toHaveLength(20 - looked);
    const rows = await lookups(await userIdOf(staff));
    expect(rows.filter((row) => row.details?.outcome === 'not_found')).toHaveLength(looked);
  });

  it('successful lookups do not count: a busy desk files on after its typos', async () => {
    const desk = await desnogorskOrganization('Клуб «Занятой»');
    const staff = desk.clients[0]!;
    const fail = () =>
      fileInPerson(staff, {
        certificateNumber: unknownNumber(),
        birthDate: '14.03.2015',
        groupId: desk.groupId,
      });
    for (let i = 0; i < 9; i++) expect((await fail()).status).toBe(400);
    for (const name of ['Первая', 'Вторая', 'Третья']) {
      const family = await smolenskFamily(name);
      const filed = await fileInPerson(staff, {
        certificateNumber: family.number,
        birthDate: '14.03.2015',
        groupId: desk.groupId,
      });
      expect(filed.status).toBe(303);
    }
    expect((await fail()).status).toBe(400);
    expect((await fail()).status).toBe(429);
  });
});

describe('failed lookups at one certificate number are limited (5 a day, across organizations)', () => {
  it('the attacker’s review: with a known number, desks of three organizations cannot guess the birth date', async () => {
    const child = await smolenskFamily('Угадайкина');
    const desks = [
      await desnogorskOrganization('Студия «Первая»'),
      await desnogorskOrganization('Студия «Вторая»'),
      await desnogorskOrganization('Студия «Третья»'),
    ];
    // 27 wrong birth dates at one number, nine from each desk, each desk within its own limit (10 a minute).
    const answers: PageResponse[] = [];
    for (let day = 1; day <= 27; day++) {
      const desk = desks[day % 3]!;
      answers.push(
        await fileInPerson(desk.clients[0]!, {
          certificateNumber: child.number,
          birthDate: `${String(day).padStart(2, '0')}.01.2001`,
          groupId: desk.groupId,
        }),
      );
    }
    expect(answers.slice(0, 5).map((answer) => answer.status)).toEqual(Array(5).fill(400));
    for (const answer of answers.slice(0, 5)) expect(textOf(answer.body)).toContain(FAILED);
    expect(answers.slice(5).map((answer) => answer.status)).toEqual(Array(22).fill(429));
    expect(textOf(answers[5]!.body)).toContain(`${TOO_MANY}. Попробуйте снова через 24 часа.`);
    // The right date is refused too now, at every desk, and nothing about the child is shown.
    for (const desk of desks) {
      const right = await fileInPerson(desk.clients[0]!, {
        certificateNumber: child.number,
        birthDate: '14.03.2015',
        groupId: desk.groupId,
      });
      expect(right.status).toBe(429);
      expect(textOf(right.body)).not.toContain('Угадайкина');
    }
    expect(await applicationsOf(child.childId)).toBe(0);
    // Another child's number is not held up by it (at a fresh desk: these ones have used up their minute).
    const other = await smolenskFamily('Соседова');
    const fresh = await desnogorskOrganization('Студия «Четвёртая»');
    const filed = await fileInPerson(fresh.clients[0]!, {
      certificateNumber: other.number,
      birthDate: '14.03.2015',
      groupId: fresh.groupId,
    });
    expect(filed.status).toBe(303);
  });

  it('a number nobody has is limited the same way, so the refusal tells nothing about it', async () => {
    const desk = await desnogorskOrganization('Студия «Пустая»');
    const number = unknownNumber();
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++)
      statuses.push(
        (
          await fileInPerson(desk.clients[0]!, {
            certificateNumber: number,
            birthDate: '14.03.2015',
            groupId: desk.groupId,
          })
        ).status,
      );
    expect(statuses).toEqual([400, 400, 400, 400, 400, 429, 429]);
  });

  it('20 parallel guesses at one number from four desks: at most 5 are looked up', async () => {
    const child = await smolenskFamily('Параллельная');
    const desks: Awaited<ReturnType<typeof desnogorskOrganization>>[] = [];
    for (const name of ['Один', 'Два', 'Три', 'Четыре'])
      desks.push(await desnogorskOrganization(`Кружок «${name}»`));
    const forms = await Promise.all(desks.map((desk) => desk.clients[0]!.get('/staff/org/applications/new')));
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => {
        const desk = desks[i % 4]!;
        return desk.clients[0]!.post('/staff/org/applications/new', {
          _csrf: csrfTokenOf(forms[i % 4]!.body),
          certificateNumber: child.number,
          birthDate: `${String(i + 1).padStart(2, '0')}.02.2015`,
          groupId: desk.groupId,
        });
      }),
    );
    const looked = answers.filter((answer) => answer.status === 400).length;
    expect(looked).toBeGreaterThan(0);
    expect(looked).toBeLessThanOrEqual(5);
    expect(answers.filter((answer) => answer.status === 429)).toHaveLength(20 - looked);
    const right = await fileInPerson(desks[0]!.clients[0]!, {
      certificateNumber: child.number,
      birthDate: '14.03.2015',
      groupId: desks[0]!.groupId,
    });
    expect(right.status).toBe(429);
    expect(await applicationsOf(child.childId)).toBe(0);
  });

  it('a parent’s mistyped dates at the desk, then the right one, still file', async () => {
    const desk = await desnogorskOrganization('Студия «Опечатка»');
    const child = await smolenskFamily('Опечаткина');
    for (const birthDate of ['15.03.2015', '14.03.2016'])
      expect(
        (
          await fileInPerson(desk.clients[0]!, {
            certificateNumber: child.number,
            birthDate,
            groupId: desk.groupId,
          })
        ).status,
      ).toBe(400);
    const filed = await fileInPerson(desk.clients[0]!, {
      certificateNumber: `${child.number.slice(0, 2)} ${child.number.slice(2, 6)} ${child.number.slice(6)}`,
      birthDate: '14.03.2015',
      groupId: desk.groupId,
    });
    expect(filed.status).toBe(303);
  });
});

describe('failed lookups of one organization are limited per day too (100)', () => {
  it('after a day’s hundred failures the organization is refused until the day’s window ends', async () => {
    const desk = await desnogorskOrganization('Студия «Длинный день»');
    // A hundred failures spread over the day, each minute within the minute limit: their count, as stored.
    await database.db.execute(
      sql`insert into rate_limits (key, window_start, hits)
          values (${`in-person:org-day:${desk.organizationId}`}, now() - interval '2 hours', 100)`,
    );
    const child = await smolenskFamily('Дневная');
    const refused = await fileInPerson(desk.clients[0]!, {
      certificateNumber: child.number,
      birthDate: '14.03.2015',
      groupId: desk.groupId,
    });
    expect(refused.status).toBe(429);
    expect(textOf(refused.body)).toContain(`${TOO_MANY}. Попробуйте снова через 22 часа.`);
    expect(await applicationsOf(child.childId)).toBe(0);
  });
});

describe('audit of staff views and exports, offices and children’s changes', () => {
  it('writes the application page, the roster and its export with the request id and the address', async () => {
    const desk = await desnogorskOrganization('Клуб «Журнал»');
    const staff = desk.clients[0]!;
    const child = await smolenskFamily('Журналова');
    const filed = await fileInPerson(staff, {
      certificateNumber: child.number,
      birthDate: '14.03.2015',
      groupId: desk.groupId,
    });
    const applicationId = /\/staff\/org\/applications\/([\w-]+)/.exec(filed.location!)![1]!;
    const list = await staff.get('/staff/org/applications');
    const page = await staff.get(`/staff/org/applications/${applicationId}`);
    const roster = await staff.get(`/staff/org/groups/${desk.groupId}/roster`);
    const cookie = [...staff.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const xlsx = await app.http.inject({
      method: 'GET',
      url: `/staff/org/groups/${desk.groupId}/roster.xlsx`,
      headers: { cookie },
      remoteAddress: '198.51.100.250',
    });
    expect(xlsx.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    expect(JSON.stringify(workbook.getWorksheet('Список группы')!.getRow(5).values)).toContain('Журналова');

    const row = async (action: string, subjectId: string) => {
      const [found] = await database.db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.action, action), eq(auditEvents.subjectId, subjectId)));
      return found;
    };
    const actor = await userIdOf(staff);
    const [listed] = await database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'staff.applications_listed'), eq(auditEvents.actorUserId, actor)));
    expect(listed).toMatchObject({
      requestId: list.headers['x-request-id'],
      details: { organizationId: desk.organizationId, applicationIds: [applicationId] },
    });
    expect(await row('staff.application_viewed', applicationId)).toMatchObject({
      actorUserId: actor,
      subjectType: 'application',
      requestId: page.headers['x-request-id'],
      details: { organizationId: desk.organizationId, childId: child.childId },
    });
    expect(await row('staff.roster_viewed', desk.groupId)).toMatchObject({
      actorUserId: actor,
      requestId: roster.headers['x-request-id'],
      details: { organizationId: desk.organizationId, applicationIds: [applicationId] },
    });
    expect(await row('staff.roster_exported', desk.groupId)).toMatchObject({
      actorUserId: actor,
      requestId: xlsx.headers['x-request-id'],
      clientAddress: '198.51.100.250',
    });
    // Another organization's staff get 404 and the child's data are not looked at, so nothing is written.
    const stranger = (await desnogorskOrganization('Клуб «Чужой»')).clients[0]!;
    expect((await stranger.get(`/staff/org/applications/${applicationId}`)).status).toBe(404);
    const strangerRows = await database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.actorUserId, await userIdOf(stranger)));
    expect(strangerRows.filter((r) => r.action === 'staff.application_viewed')).toEqual([]);
  });

  it('writes the coordinator’s change of an office, with the actor', async () => {
    await createStaffAccount(database, {
      role: 'coordinator',
      email: 'audit-coordinator@example.ru',
      password: PASSWORD,
      lastName: 'Волкова',
      firstName: 'Ирина',
    });
    const coordinator = await signedIn('audit-coordinator@example.ru');
    const form = await coordinator.get(`/staff/municipalities/${DESNOGORSK}`);
    const saved = await coordinator.post(`/staff/municipalities/${DESNOGORSK}`, {
      _csrf: csrfTokenOf(form.body),
      officeName: 'Комитет по образованию г. Десногорска',
      officeAddress: 'г. Десногорск, 2-й мкр., д. 1',
      officePhone: '+7 (48153) 7-00-00',
      officeHours: 'Пн–Пт 9:00–17:00',
    });
    expect(saved.status).toBe(303);
    const [row] = await database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'municipality.office_changed'));
    expect(row).toMatchObject({
      actorUserId: await userIdOf(coordinator),
      subjectType: 'municipality',
      subjectId: String(DESNOGORSK),
      requestId: saved.headers['x-request-id'],
    });
    expect(row!.details?.fields).toEqual(expect.arrayContaining(['officeName', 'officeAddress']));
    expect(JSON.stringify(row)).not.toContain('Комитет');
  });

  it('writes a parent’s addition, change and deletion of a child: ids and field names, no personal data', async () => {
    const parent = await smolenskFamily('Родителева');
    const child = {
      lastName: 'Изменяемов',
      firstName: 'Пётр',
      birthDate: '01.02.2014',
      sex: 'male',
      documentType: 'birth_certificate',
      documentSeries: 'I-МП',
      documentNumber: '112233',
      documentIssuedAt: '10.02.2014',
      documentIssuedBy: 'Отдел ЗАГС',
      municipalityId: '1',
      registrationAddress: 'ул. Советская, д. 5',
    };
    const added = await parent.client.submit('/cabinet/children/new', child, '/cabinet/children');
    expect(added.status).toBe(303);
    const [{ id } = { id: '' }] = await queryRows(
      database.db,
      sql`select id from children where last_name = 'Изменяемов'`,
    );
    const childId = String(id);
    const edited = await parent.client.submit(
      `/cabinet/children/${childId}/edit`,
      { ...child, firstName: 'Павел' },
      `/cabinet/children/${childId}`,
    );
    expect(edited.status).toBe(303);
    const deleted = await parent.client.submit(`/cabinet/children/${childId}/delete`, {});
    expect(deleted.status).toBe(303);
    const rows = await database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.subjectId, childId))
      .orderBy(asc(auditEvents.id));
    expect(rows.map((row) => row.action)).toEqual(['child.added', 'child.updated', 'child.deleted']);
    expect(rows[1]!.details).toEqual({ fields: ['firstName'] });
    expect(rows[2]!.requestId).toBe(deleted.headers['x-request-id']);
    for (const row of rows) {
      expect(row.actorUserId).toBe(parent.userId);
      expect(row.clientAddress).toMatch(/^198\.51\.100\.\d+$/);
      expect(JSON.stringify(row)).not.toMatch(/Изменяемов|Пётр|Павел|2014-02-01|112233/);
    }
  });
});
