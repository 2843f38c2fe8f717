import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.js';
import { prepareDatabase } from '../../app.js';
import { auditEvents } from '../../platform/audit/schema.js';
import type { Database } from '../../platform/db/client.js';
import { createLogger } from '../../platform/logger.js';
import { createMailingTestApp } from '../../../tests/support/app.js';
import { TestClient, csrfTokenOf, textOf } from '../../../tests/support/client.js';
import { eventually, type SmtpSink } from '../../../tests/support/smtp.js';
import { createStaffAccount } from '../accounts/service.js';
import { certificates } from '../certificates/schema.js';
import { organizations } from '../organizations/schema.js';
import { children } from './schema.js';
import { typedInYear } from '../../../tests/support/dates.js';

let database: Database;
let sink: SmtpSink;
let app: App;
let testbed: Awaited<ReturnType<typeof createMailingTestApp>>;
const PASSWORD = 'Сотрудник-навигатора-67';
const staff: Record<string, TestClient> = {};
let parentClient: TestClient;
let parentEmail: string;
const kids: Record<string, { id: string; number: string }> = {};

const child = (lastName: string, municipalityId: string) => ({
  lastName,
  firstName: 'Вера',
  birthDate: typedInYear(12, '03-03'),
  sex: 'female',
  documentType: 'birth_certificate',
  documentSeries: 'I-МП',
  documentNumber: '654321',
  documentIssuedAt: typedInYear(12, '03-10'),
  documentIssuedBy: 'Отдел ЗАГС',
  municipalityId,
  registrationAddress: 'ул. Советская, д. 1',
});

async function signedIn(email: string, password: string, ip: string): Promise<TestClient> {
  const client = new TestClient(app.http, ip);
  const response = await client.submit('/login', { email, password });
  expect(response.status).toBe(303);
  return client;
}

beforeAll(async () => {
  testbed = await createMailingTestApp();
  ({ database, sink, app } = testbed);
  await prepareDatabase(database, { demoData: true }, createLogger({ logLevel: 'silent', env: 'test' }));
  const [smolenskOrg] = await database.db
    .select()
    .from(organizations)
    .where(eq(organizations.municipalityId, 1))
    .limit(1);
  const [vyazmaOrg] = await database.db
    .select()
    .from(organizations)
    .where(eq(organizations.municipalityId, 4))
    .limit(1);
  const accounts = {
    coordinator: { role: 'coordinator' },
    adminSmolensk: { role: 'municipal_admin', municipalityId: 1 },
    adminVyazma: { role: 'municipal_admin', municipalityId: 4 },
    orgSmolensk: { role: 'org_staff', municipalityId: 1, organizationId: smolenskOrg!.id },
    orgVyazma: { role: 'org_staff', municipalityId: 4, organizationId: vyazmaOrg!.id },
  } as const;
  let ip = 1;
  for (const [name, role] of Object.entries(accounts)) {
    const email = `${name.toLowerCase()}@staff.example.ru`;
    await createStaffAccount(database, {
      ...role,
      email,
      password: PASSWORD,
      lastName: 'Сотрудникова',
      firstName: 'Анна',
    });
    staff[name] = await signedIn(email, PASSWORD, `203.0.115.${ip++}`);
  }

  parentEmail = `parent-staff-${Date.now()}@example.ru`;
  parentClient = new TestClient(app.http, '203.0.115.100');
  await parentClient.submit('/register', {
    municipalityId: '1',
    lastName: 'Громова',
    firstName: 'Дарья',
    phone: '+79001112233',
    email: parentEmail,
    password: PASSWORD,
    passwordRepeat: PASSWORD,
    applicantKind: 'parent',
    consent: 'yes',
  });
  const letter = await sink.waitFor(parentEmail);
  await parentClient.get(/(\/verify\/email\?code=[\w-]+)/.exec(letter.text ?? '')![1]!);
  await parentClient.submit('/login', { email: parentEmail, password: PASSWORD });
  for (const [name, municipality] of [
    ['Громова', '1'],
    ['Громов', '1'],
    ['Вяземская', '4'],
  ] as const) {
    await parentClient.submit('/cabinet/children/new', child(name, municipality), '/cabinet/children');
    const [row] = await database.db.select().from(children).where(eq(children.lastName, name));
    await parentClient.submit('/cabinet/children', {}, `/cabinet/children/${row!.id}/certificate`);
    const [certificate] = await database.db
      .select()
      .from(certificates)
      .where(eq(certificates.childId, row!.id));
    kids[name] = { id: row!.id, number: certificate!.number };
  }
});
afterAll(async () => {
  await testbed.close();
});

describe('who may reach a child (authorization matrix)', () => {
  // A Smolensk child: reached by the coordinator and Smolensk's administrator; another municipality's
  // administrator gets 404 (its existence is not revealed); organization staff confirm nobody (403).
  const expectations: [string, number][] = [
    ['coordinator', 200],
    ['adminSmolensk', 200],
    ['orgSmolensk', 403],
    ['adminVyazma', 404],
    ['orgVyazma', 403],
  ];

  it.each(expectations)('%s opening a Smolensk child answers %s', async (name, status) => {
    const response = await staff[name]!.get(`/staff/children/${kids['Громова']!.id}`);
    expect(response.status).toBe(status);
    if (status === 403)
      expect(textOf(response.body)).toContain(
        'Этот раздел ведут муниципальные администраторы и региональный координатор',
      );
    if (status !== 200) expect(response.body).not.toContain('Громова');
  });

  it.each(expectations.filter(([, status]) => status !== 200))(
    '%s confirming or rejecting a Smolensk child out of reach changes nothing (%s)',
    async (name, status) => {
      const client = staff[name]!;
      const token = csrfTokenOf((await client.get('/cabinet')).body);
      const confirm = await client.post(`/staff/children/${kids['Громов']!.id}/confirm`, {
        _csrf: token,
        document: 'x',
        checked: 'yes',
      });
      const reject = await client.post(`/staff/children/${kids['Громов']!.id}/reject`, {
        _csrf: token,
        reason: 'Не та серия',
      });
      expect([confirm.status, reject.status]).toEqual([status, status]);
      const [row] = await database.db.select().from(children).where(eq(children.id, kids['Громов']!.id));
      expect(row!.dataStatus).toBe('unconfirmed');
    },
  );

  it('searches only within reach; organization staff are not offered the search', async () => {
    const search = async (client: TestClient, number: string) => {
      const response = await client.get(`/staff/search?by=certificate&number=${number}`);
      return { status: response.status, text: textOf(response.body) };
    };
    expect((await search(staff.adminSmolensk!, kids['Громова']!.number)).text).toContain('Громова Вера');
    expect((await search(staff.adminVyazma!, kids['Громова']!.number)).text).toContain('Ничего не найдено');
    expect((await search(staff.adminVyazma!, kids['Вяземская']!.number)).text).toContain('Вяземская Вера');
    expect((await search(staff.coordinator!, kids['Вяземская']!.number)).text).toContain('Вяземская Вера');
    const own = await search(staff.orgSmolensk!, kids['Громова']!.number);
    expect(own.status).toBe(403);
    expect(own.text).not.toContain('Громова Вера');

    // Everyone's «Рабочий стол» is /staff: organization staff see their own workspace there, without the search.
    const home = await staff.orgSmolensk!.get('/staff');
    expect(home.status).toBe(200);
    expect(home.body).toContain('href="/staff">Рабочий стол</a>');
    expect(home.body).toContain('href="/staff/org"');
    expect(home.body).not.toContain('href="/staff/search"');
    const admin = await staff.adminSmolensk!.get('/staff');
    expect(admin.status).toBe(200);
    expect(admin.body).toContain('href="/staff/search"');
  });

  it('refuses the staff API of children to organization staff', async () => {
    const cookie = (client: TestClient) =>
      [...client.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const call = (client: TestClient, method: 'GET' | 'POST', url: string, body?: object) =>
      app.http.inject({
        method,
        url,
        headers: { cookie: cookie(client), 'content-type': 'application/json' },
        ...(method === 'POST' ? { payload: JSON.stringify(body ?? {}) } : {}),
      });
    const number = kids['Громова']!.number;
    const search = await call(staff.orgSmolensk!, 'POST', '/api/v1/staff/search', {
      by: 'certificate',
      number,
    });
    expect(search.statusCode).toBe(403);
    expect(search.body).not.toContain(kids['Громова']!.id);
    expect(
      (await call(staff.orgSmolensk!, 'GET', `/api/v1/staff/children/${kids['Громова']!.id}`)).statusCode,
    ).toBe(403);
    const found = await call(staff.adminSmolensk!, 'POST', '/api/v1/staff/search', {
      by: 'certificate',
      number,
    });
    expect(found.statusCode).toBe(200);
    expect(found.body).toContain(kids['Громова']!.id);
  });

  it('keeps parents and guests out of the staff area, and parents out of other children', async () => {
    expect((await parentClient.get('/staff')).status).toBe(403);
    expect((await parentClient.get(`/staff/children/${kids['Громова']!.id}`)).status).toBe(403);
    const guest = await new TestClient(app.http).get('/staff');
    expect(guest.status).toBe(303);
    expect(guest.location).toBe('/login?next=%2Fstaff');
  });

  it('writes every staff look at a child to the audit log', async () => {
    const views = await database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'staff.child_viewed'));
    expect(views.length).toBeGreaterThanOrEqual(2);
    // Each row says which request it came from and the client's address (the test clients' own).
    for (const view of views) {
      expect(view.requestId).toMatch(/^[\w-]{8,}$/);
      expect(view.clientAddress).toMatch(/^203\.0\.115\.\d+$/);
    }
    const denied = await database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'staff.child_access_denied'));
    expect(denied.length).toBeGreaterThanOrEqual(2);
  });
});

describe('search form', () => {
  it('catches a mistyped certificate number by its check digit and shows all person-search errors', async () => {
    const client = staff.adminSmolensk!;
    const get = (query: Record<string, string>) =>
      client.get(`/staff/search?${new URLSearchParams(query).toString()}`);
    const number = kids['Громова']!.number;
    const typo = number.slice(0, 5) + String((Number(number[5]) + 1) % 10) + number.slice(6);
    const wrong = await get({ by: 'certificate', number: typo });
    expect(wrong.status).toBe(400);
    expect(textOf(wrong.body)).toContain('Проверьте номер сертификата: в нём ошибка');
    const person = await get({ by: 'person', lastName: '', firstName: '', birthDate: '' });
    expect(textOf(person.body)).toContain('Введите фамилию ребёнка');
    expect(textOf(person.body)).toContain('Введите имя ребёнка');
    expect(textOf(person.body)).toContain('Введите дату рождения ребёнка');
    const found = await get({
      by: 'person',
      lastName: 'громова',
      firstName: 'вера',
      birthDate: typedInYear(12, '03-03'),
    });
    expect(textOf(found.body)).toContain('Громова Вера');
  });
});

describe('confirmation and rejection (seed step 7 to the last line)', () => {
  it('confirms: records who, when and which document, activates the certificate, writes to the parent', async () => {
    const client = staff.coordinator!;
    const page = await client.get(`/staff/children/${kids['Громова']!.id}`);
    const unchecked = await client.post(`/staff/children/${kids['Громова']!.id}/confirm`, {
      _csrf: csrfTokenOf(page.body),
      document: 'Свидетельство о рождении I-МП № 654321',
    });
    expect(textOf(unchecked.body)).toContain('Подтвердите, что сверили данные с оригиналом документа');
    const done = await client.post(`/staff/children/${kids['Громова']!.id}/confirm`, {
      _csrf: csrfTokenOf(page.body),
      document: 'Свидетельство о рождении I-МП № 654321',
      checked: 'yes',
    });
    expect(textOf((await client.follow(done)).body)).toContain('Данные подтверждены, сертификат активирован');

    const [row] = await database.db.select().from(children).where(eq(children.id, kids['Громова']!.id));
    expect(row).toMatchObject({
      dataStatus: 'confirmed',
      confirmedDocument: 'Свидетельство о рождении I-МП № 654321',
    });
    expect(row!.confirmedByUserId).not.toBeNull();
    const [certificate] = await database.db
      .select()
      .from(certificates)
      .where(eq(certificates.childId, row!.id));
    expect(certificate!.status).toBe('active');
    await eventually(() =>
      sink.received.some((m) => m.subject === 'Данные ребёнка подтверждены — сертификат активирован'),
    );

    const parentPage = textOf((await parentClient.get('/cabinet/children')).body);
    const card = parentPage.slice(parentPage.indexOf('Громова Вера'), parentPage.indexOf('Громов Вера'));
    expect(card).toContain('В настоящее время финансирование сертификата не осуществляется');
    expect(card).not.toContain('подтвердить данные');
  });

  it('rejects with a reason the parent sees, then confirms after the parent fixes the data', async () => {
    const client = staff.adminSmolensk!;
    const page = await client.get(`/staff/children/${kids['Громов']!.id}`);
    const empty = await client.post(`/staff/children/${kids['Громов']!.id}/reject`, {
      _csrf: csrfTokenOf(page.body),
      reason: '',
    });
    expect(textOf(empty.body)).toContain('Напишите причину: её увидит родитель');
    await client.post(`/staff/children/${kids['Громов']!.id}/reject`, {
      _csrf: csrfTokenOf(page.body),
      reason: 'Пол указан неверно: в свидетельстве — мужской',
    });
    await eventually(() => sink.received.some((m) => m.subject === 'Данные ребёнка не подтверждены'));
    const parentPage = textOf((await parentClient.get('/cabinet/children')).body);
    expect(parentPage).toContain('Пол указан неверно: в свидетельстве — мужской');

    const fixed = await parentClient.submit(
      `/cabinet/children/${kids['Громов']!.id}/edit`,
      { ...child('Громов', '1'), firstName: 'Виктор', sex: 'male' },
      `/cabinet/children/${kids['Громов']!.id}`,
    );
    expect(fixed.status).toBe(303);
    const [again] = await database.db.select().from(children).where(eq(children.id, kids['Громов']!.id));
    expect(again!.dataStatus).toBe('unconfirmed');

    const retry = await client.get(`/staff/children/${kids['Громов']!.id}`);
    await client.post(`/staff/children/${kids['Громов']!.id}/confirm`, {
      _csrf: csrfTokenOf(retry.body),
      document: 'Свидетельство о рождении I-МП № 654321',
      checked: 'yes',
    });
    const [confirmed] = await database.db.select().from(children).where(eq(children.id, kids['Громов']!.id));
    expect(confirmed!.dataStatus).toBe('confirmed');
  });
});

describe('staff accounts in the UI', () => {
  it('a coordinator invites a municipal administrator, who sets a password from the letter and signs in', async () => {
    const client = staff.coordinator!;
    const page = await client.get('/staff/people');
    expect(textOf(page.body)).toContain('Муниципальные администраторы');
    const bad = await client.post('/staff/people', {
      _csrf: csrfTokenOf(page.body),
      lastName: '',
      firstName: 'Олег',
      email: 'x',
    });
    expect(bad.status).toBe(400);
    expect(textOf(bad.body)).toContain('Введите фамилию');
    expect(textOf(bad.body)).toContain('Выберите муниципалитет');
    const email = `new-admin-${Date.now()}@example.ru`;
    const added = await client.post('/staff/people', {
      _csrf: csrfTokenOf(page.body),
      lastName: 'Новиков',
      firstName: 'Олег',
      email,
      municipalityId: '19',
    });
    expect(textOf((await client.follow(added)).body)).toContain(`приглашение отправлено на ${email}`);

    const letter = await sink.waitFor(email);
    expect(letter.subject).toBe(
      'Вам создана учётная запись сотрудника в навигаторе дополнительного образования',
    );
    const link = /(\/password\/reset\?code=[\w-]+)/.exec(letter.text ?? '')![1]!;
    const newcomer = new TestClient(app.http, '203.0.115.200');
    await newcomer.submit(link, {
      code: link.split('code=')[1]!,
      password: PASSWORD,
      passwordRepeat: PASSWORD,
    });
    await newcomer.submit('/login', { email, password: PASSWORD });
    const home = textOf((await newcomer.get('/staff')).body);
    expect(home).toContain('Муниципальный администратор · Сафоновский муниципальный округ');
  });

  it('a municipal administrator adds staff only to organizations of their municipality; staff add nobody', async () => {
    const client = staff.adminSmolensk!;
    const page = await client.get('/staff/people');
    expect(textOf(page.body)).toContain('Сотрудники организаций');
    const [vyazmaOrg] = await database.db
      .select()
      .from(organizations)
      .where(eq(organizations.municipalityId, 4))
      .limit(1);
    const forged = await client.post('/staff/people', {
      _csrf: csrfTokenOf(page.body),
      lastName: 'Чужая',
      firstName: 'Мария',
      email: `forged-${Date.now()}@example.ru`,
      organizationId: vyazmaOrg!.id,
    });
    expect(forged.status).toBe(400);
    expect(textOf(forged.body)).toContain(
      'Можно пригласить только сотрудников организаций вашего муниципалитета',
    );

    const [smolenskOrg] = await database.db
      .select()
      .from(organizations)
      .where(eq(organizations.municipalityId, 1))
      .limit(1);
    const email = `teacher-${Date.now()}@example.ru`;
    const added = await client.post('/staff/people', {
      _csrf: csrfTokenOf(page.body),
      lastName: 'Учителева',
      firstName: 'Нина',
      email,
      organizationId: smolenskOrg!.id,
    });
    expect(added.status).toBe(303);
    expect(textOf((await client.get('/staff/people')).body)).toContain(email);

    // Organization staff are told plainly that the section is not theirs (it used to redirect silently).
    const refused = await staff.orgSmolensk!.get('/staff/people');
    expect(refused.status).toBe(403);
    expect(textOf(refused.body)).toContain('Раздел недоступен');
  });
});

describe('municipal administrators’ offices', () => {
  it('the coordinator keeps them; parents see them on the procedure page; organization staff cannot edit them', async () => {
    const client = staff.coordinator!;
    const page = await client.get('/staff/municipalities/1');
    expect(page.status).toBe(200);
    const saved = await client.post('/staff/municipalities/1', {
      _csrf: csrfTokenOf(page.body),
      officeName: 'Управление образования города Смоленска',
      officeAddress: 'г. Смоленск, ул. Октябрьской революции, д. 1/2, каб. 7',
      officePhone: '+7 (4812) 38-00-00',
      officeHours: 'Пн–Пт 9:00–17:00',
    });
    expect(saved.location).toBe('/staff/municipalities');

    const procedure = textOf(
      (await parentClient.get(`/cabinet/children/${kids['Громова']!.id}/confirm`)).body,
    );
    expect(procedure).toContain('Муниципальный администратор: Управление образования города Смоленска');
    expect(procedure).toContain('ул. Октябрьской революции, д. 1/2, каб. 7');
    expect(procedure).toContain('+7 (4812) 38-00-00');

    // The municipality's own administrator keeps it too (ADR 0037); another municipality's is not found.
    expect((await staff.adminSmolensk!.get('/staff/municipalities/1')).status).toBe(200);
    expect((await staff.adminSmolensk!.get('/staff/municipalities/2')).status).toBe(404);
    const refused = await staff.orgSmolensk!.get('/staff/municipalities/1');
    expect(refused.status).toBe(403);
    expect(textOf(refused.body)).toContain('Этот раздел ведут муниципальные администраторы');
    expect((await parentClient.get('/staff/municipalities')).status).toBe(403);
  });
});
