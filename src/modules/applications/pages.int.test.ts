import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailingTestApp } from '../../../tests/support/app.js';
import { TestClient, csrfTokenOf, textOf } from '../../../tests/support/client.js';
import {
  createFamily,
  createOpenGroup,
  createOrganization,
  type Family,
} from '../../../tests/support/enrolment.js';
import type { App } from '../../app.js';
import { queryRows, type Database } from '../../platform/db/client.js';
import { hashPassword } from '../accounts/password.js';
import { createStaffAccount } from '../accounts/service.js';

/** The pages and the API of applications: the parent's and the provider's side, bad input, who sees what. */

const PASSWORD = 'Родитель-навигатора-67';
let testbed: Awaited<ReturnType<typeof createMailingTestApp>>;
let database: Database;
let app: App;
let passwordHash: string;
let organizationId: string;
let families = 0;
const staff: Record<'own' | 'other', TestClient> = {} as never;

async function signedIn(email: string): Promise<TestClient> {
  const client = new TestClient(app.http, `198.51.100.${(families % 200) + 1}`);
  const response = await client.submit('/login', { email, password: PASSWORD });
  expect(response.status).toBe(303);
  return client;
}

async function parent(options: Partial<Parameters<typeof createFamily>[1]> = {}) {
  const email = `page-parent${++families}@example.ru`;
  const family = await createFamily(database.db, { email, passwordHash, ...options });
  return { ...family, email, client: await signedIn(email) };
}

async function apply(who: Family & { client: TestClient }, groupId: string) {
  const response = await who.client.submit(`/groups/${groupId}/apply?childId=${who.childId}`, {
    childId: who.childId,
  });
  expect(response.status).toBe(303);
  return /\/cabinet\/applications\/([\w-]+)/.exec(response.location!)![1]!;
}

function api(client: TestClient, method: 'GET' | 'POST', url: string, body?: object) {
  return app.http.inject({
    method,
    url,
    headers: {
      cookie: [...client.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
      ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
    },
    ...(method === 'POST' ? { payload: JSON.stringify(body ?? {}) } : {}),
  });
}

const countApplications = async () =>
  Number((await queryRows(database.db, sql`select count(*)::int as n from applications`))[0]!.n);

beforeAll(async () => {
  testbed = await createMailingTestApp();
  ({ database, app } = testbed);
  passwordHash = await hashPassword(PASSWORD);
  organizationId = await createOrganization(database.db);
  const otherOrganization = await createOrganization(database.db, 'Спортивная школа «Олимп»');
  for (const [key, organization] of [
    ['own', organizationId],
    ['other', otherOrganization],
  ] as const) {
    await createStaffAccount(database, {
      role: 'org_staff',
      email: `${key}-staff@example.ru`,
      password: PASSWORD,
      lastName: 'Петрова',
      firstName: 'Ольга',
      municipalityId: 1,
      organizationId: organization,
    });
    staff[key] = await signedIn(`${key}-staff@example.ru`);
  }
});

afterAll(async () => {
  await testbed?.close();
});

describe('the parent applies online', () => {
  it('«Записаться» → choose the child → confirm → the application with its state and history', async () => {
    const { groupId } = await createOpenGroup(database.db, { organizationId, capacity: 1 });
    const guest = textOf((await new TestClient(app.http).get(`/groups/${groupId}/apply`)).body);
    expect(guest).toContain('Чтобы записаться онлайн, войдите в личный кабинет');

    const first = await parent();
    const choose = await first.client.get(`/groups/${groupId}/apply`);
    expect(textOf(choose.body)).toContain('Кого записать');
    expect(textOf(choose.body)).toContain('Иванова Анна Сергеевна');
    const confirm = await first.client.get(`/groups/${groupId}/apply?childId=${first.childId}`);
    expect(textOf(confirm.body)).toContain('Проверьте заявку');
    expect(textOf(confirm.body)).toContain('Подтвердить запись');
    const id = await apply(first, groupId);
    const page = textOf((await first.client.get(`/cabinet/applications/${id}`)).body);
    expect(page).toContain('Заявка подана. Место в группе сохранено за ребёнком до решения организации.');
    expect(page).toContain('Новая');
    expect(page).toContain('История заявки');

    // The group is full now: the next parent is told they are queued and their place.
    const second = await parent();
    const full = textOf((await second.client.get(`/groups/${groupId}/apply?childId=${second.childId}`)).body);
    expect(full).toContain('Свободных мест в группе нет. Заявка встанет в очередь');
    const queuedId = await apply(second, groupId);
    const queued = textOf((await second.client.get(`/cabinet/applications/${queuedId}`)).body);
    expect(queued).toContain('Вы 1-й в очереди');
    const tab = textOf((await second.client.get('/cabinet/applications')).body);
    expect(tab).toContain('Робототехника для начинающих');
    expect(tab).toContain('Вы 1-й в очереди');

    // The first parent cancels (after a confirmation page); the second is offered the place and takes it.
    const question = await first.client.get(`/cabinet/applications/${id}/cancel`);
    expect(textOf(question.body)).toContain('Отменить заявку?');
    const cancelled = await first.client.submit(`/cabinet/applications/${id}/cancel`, {});
    expect(cancelled.location).toBe(`/cabinet/applications/${id}`);
    const offered = textOf((await second.client.get(`/cabinet/applications/${queuedId}`)).body);
    expect(offered).toContain('Предложено место');
    expect(offered).toMatch(/Подтвердите место до \d\d\.\d\d\.\d{4}, \d\d:\d\d/);
    await second.client.submit(
      `/cabinet/applications/${queuedId}`,
      {},
      `/cabinet/applications/${queuedId}/take-offer`,
    );
    const taken = textOf((await second.client.get(`/cabinet/applications/${queuedId}`)).body);
    expect(taken).toContain('Место подтверждено: ребёнок зачислен в группу.');
    expect(taken).toContain('Подать заявление на отчисление');
  });

  it('bad input and refusals answer 400 with a message, keep the choice, and store nothing', async () => {
    const { groupId } = await createOpenGroup(database.db, { organizationId, ageFrom: 14, ageTo: 17 });
    const who = await parent();
    const before = await countApplications();
    const page = await who.client.get(`/groups/${groupId}/apply`);
    const token = csrfTokenOf(page.body);
    const empty = await who.client.post(`/groups/${groupId}/apply`, { _csrf: token });
    expect(empty.status).toBe(400);
    expect(textOf(empty.body)).toContain('Выберите ребёнка');
    const other = await parent();
    const foreign = await who.client.post(`/groups/${groupId}/apply`, {
      _csrf: token,
      childId: other.childId,
    });
    expect(foreign.status).toBe(400);
    const tooYoung = await who.client.post(`/groups/${groupId}/apply`, {
      _csrf: token,
      childId: who.childId,
    });
    expect(tooYoung.status).toBe(400);
    expect(textOf(tooYoung.body)).toMatch(
      /Заявка не подана\. Группа для детей от 14 до 17 лет, а ребёнку к началу/,
    );
    // The child is shown, not offered: its radio is disabled and says why.
    expect(tooYoung.body).toMatch(new RegExp(`value="${who.childId}"[^>]*disabled`));
    expect(textOf(tooYoung.body)).not.toContain('Исправьте ошибки');
    expect((await who.client.get(`/groups/${groupId}/apply?childId=nonsense`)).status).toBe(400);
    expect((await who.client.get('/groups/not-a-uuid/apply')).status).toBe(404);
    expect(await countApplications()).toBe(before);

    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 40 })),
        async (fields) => {
          const response = await who.client.post(`/groups/${groupId}/apply`, { ...fields, _csrf: token });
          expect(response.status).toBeLessThan(500);
        },
      ),
      { numRuns: 40 },
    );
    expect(await countApplications()).toBe(before);
  });

  it('needs a confirmed e-mail', async () => {
    const { groupId } = await createOpenGroup(database.db, { organizationId });
    const who = await parent({ emailVerified: false });
    const response = await who.client.submit(`/groups/${groupId}/apply?childId=${who.childId}`, {
      childId: who.childId,
    });
    expect(response.status).toBe(403);
    expect(textOf(response.body)).toContain('Подтвердите адрес электронной почты');
  });
});

describe('the provider processes applications', () => {
  it('lists with filters, accepts in bulk, rejects with a reason, expels, exports the roster', async () => {
    const { programId, groupId } = await createOpenGroup(database.db, {
      organizationId,
      capacity: 3,
      programName: 'Шахматы',
    });
    const people = [
      await parent(),
      await parent({ certificate: 'awaiting_confirmation' }),
      await parent(),
      await parent(),
    ];
    const ids = [];
    for (const who of people) ids.push(await apply(who, groupId));

    const list = await staff.own.get(`/staff/org/applications?programId=${programId}`);
    const text = textOf(list.body);
    expect(text).toContain('Найдено заявок: 4');
    expect(text).toContain('данные не подтверждены');
    expect(text).toContain('1-й в очереди');
    const queuedOnly = textOf(
      (await staff.own.get(`/staff/org/applications?groupId=${groupId}&status=queued`)).body,
    );
    expect(queuedOnly).toContain('Найдено заявок: 1');
    // Nonsense filters are ignored, not errors.
    expect((await staff.own.get('/staff/org/applications?status=zzz&page=-3&groupId=1')).status).toBe(200);

    const bulk = await staff.own.post('/staff/org/applications/accept', {
      _csrf: csrfTokenOf(list.body),
      ids: ids[0]!,
    });
    expect(bulk.status).toBe(303);
    const many = await staff.own.post('/staff/org/applications/accept', [
      ['_csrf', csrfTokenOf(list.body)],
      ['ids', ids[1]!],
      ['ids', ids[3]!],
    ]);
    expect(many.status).toBe(303);
    const flash = textOf((await staff.own.follow(many)).body);
    expect(flash).toContain('Принято заявок: 1 из 2. Остальные уже были рассмотрены.');

    // Rejecting needs a reason; the form keeps what was typed.
    const detail = await staff.own.get(`/staff/org/applications/${ids[2]!}`);
    const noReason = await staff.own.post(`/staff/org/applications/${ids[2]!}/reject`, {
      _csrf: csrfTokenOf(detail.body),
      reason: ' a',
    });
    expect(noReason.status).toBe(400);
    expect(textOf(noReason.body)).toContain('Укажите причину: её прочитает родитель');
    expect(noReason.body).toContain('> a</textarea>');
    const rejected = await staff.own.post(`/staff/org/applications/${ids[2]!}/reject`, {
      _csrf: csrfTokenOf(detail.body),
      reason: 'Группа для детей с подготовкой',
    });
    expect(rejected.status).toBe(303);
    // The queued fourth parent is offered the freed place.
    expect(textOf((await people[3]!.client.get(`/cabinet/applications/${ids[3]!}`)).body)).toContain(
      'Предложено место',
    );
    expect(textOf((await people[2]!.client.get(`/cabinet/applications/${ids[2]!}`)).body)).toContain(
      'Причина: Группа для детей с подготовкой',
    );

    const expel = await staff.own.post(`/staff/org/applications/${ids[0]!}/expel`, {
      _csrf: csrfTokenOf(detail.body),
      reason: 'Переезд в другой город',
    });
    expect(expel.status).toBe(303);
    const again = await staff.own.post(`/staff/org/applications/${ids[0]!}/accept`, {
      _csrf: csrfTokenOf(detail.body),
    });
    expect(textOf((await staff.own.follow(again)).body)).toContain('Статус заявки уже изменился');

    const roster = await staff.own.get(`/staff/org/groups/${groupId}/roster`);
    expect(textOf(roster.body)).toContain('занято 2 из 3, зачислено 1, в очереди 0');
    const xlsx = await app.http.inject({
      method: 'GET',
      url: `/staff/org/groups/${groupId}/roster.xlsx`,
      headers: { cookie: [...staff.own.cookies].map(([name, value]) => `${name}=${value}`).join('; ') },
    });
    expect(xlsx.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('Список группы')!;
    expect(sheet.getRow(4).values).toContain('Ребёнок');
    const rows = [5, 6].map((n) => (sheet.getRow(n).values as unknown[]).slice(1));
    expect(rows.map((row) => row[8])).toEqual(['Принята', 'Предложено место']);
    expect(rows[0]).toContain('page-parent' + (families - 2) + '@example.ru');
  });

  it('files an application for a parent who came in person, by the certificate number and birth date', async () => {
    const { groupId } = await createOpenGroup(database.db, { organizationId });
    const who = await parent();
    const form = await staff.own.get('/staff/org/applications/new');
    expect(textOf(form.body)).toContain('Дата рождения ребёнка');
    const token = csrfTokenOf(form.body);
    const wrong = await staff.own.post('/staff/org/applications/new', {
      _csrf: token,
      certificateNumber: '12345',
      birthDate: '',
      groupId,
    });
    expect(wrong.status).toBe(400);
    expect(textOf(wrong.body)).toContain('Номер сертификата — 10 цифр');
    expect(textOf(wrong.body)).toContain('Введите дату рождения ребёнка');
    expect(wrong.body).toContain('value="12345"');
    const unknown = await staff.own.post('/staff/org/applications/new', {
      _csrf: token,
      certificateNumber: '6700000000',
      birthDate: '14.03.2015',
      groupId,
    });
    expect(unknown.status).toBe(400);
    expect(textOf(unknown.body)).toContain('Сертификат не найден или дата рождения не совпадает');
    expect(unknown.body).toContain('value="14.03.2015"');
    const filed = await staff.own.post('/staff/org/applications/new', {
      _csrf: token,
      certificateNumber: who.certificateNumber!,
      birthDate: '14.03.2015',
      groupId,
    });
    expect(filed.status).toBe(303);
    const mine = textOf((await who.client.get('/cabinet/applications')).body);
    expect(mine).toContain('Робототехника для начинающих');
    // Another organization's group cannot be chosen.
    const foreign = await createOpenGroup(database.db, {
      organizationId: await createOrganization(database.db, 'Клуб'),
    });
    const refused = await staff.own.post('/staff/org/applications/new', {
      _csrf: token,
      certificateNumber: who.certificateNumber!,
      birthDate: '14.03.2015',
      groupId: foreign.groupId,
    });
    expect(refused.status).toBe(400);
    expect(textOf(refused.body)).toContain('Выберите группу');
  });

  it('auto-accept is the provider’s choice per group', async () => {
    const { groupId } = await createOpenGroup(database.db, { organizationId });
    const roster = await staff.own.get(`/staff/org/groups/${groupId}/roster`);
    await staff.own.post(`/staff/org/groups/${groupId}/auto-accept`, {
      _csrf: csrfTokenOf(roster.body),
      autoAccept: 'yes',
    });
    const who = await parent();
    const id = await apply(who, groupId);
    expect(textOf((await who.client.get(`/cabinet/applications/${id}`)).body)).toContain(
      'Заявка подана и принята: ребёнок зачислен в группу.',
    );
  });
});

describe('who sees what', () => {
  it('parents see only their own; staff only their organization’s; others are refused', async () => {
    const { groupId } = await createOpenGroup(database.db, { organizationId });
    const owner = await parent();
    const id = await apply(owner, groupId);
    const stranger = await parent();
    expect((await stranger.client.get(`/cabinet/applications/${id}`)).status).toBe(404);
    expect((await api(stranger.client, 'GET', `/api/v1/applications/${id}`)).statusCode).toBe(404);
    expect((await api(stranger.client, 'POST', `/api/v1/applications/${id}/cancel`)).statusCode).toBe(404);
    const page = await stranger.client.get('/cabinet/applications');
    expect(
      (await stranger.client.post(`/cabinet/applications/${id}/cancel`, { _csrf: csrfTokenOf(page.body) }))
        .status,
    ).toBe(404);
    expect((await staff.other.get(`/staff/org/applications/${id}`)).status).toBe(404);
    expect((await staff.other.get(`/staff/org/groups/${groupId}/roster`)).status).toBe(404);
    expect((await staff.other.get(`/staff/org/groups/${groupId}/roster.xlsx`)).status).toBe(404);
    const otherList = await staff.other.get('/staff/org/applications');
    expect(textOf(otherList.body)).not.toContain('Иванова Анна');
    expect(
      (await staff.other.post(`/staff/org/applications/${id}/accept`, { _csrf: csrfTokenOf(otherList.body) }))
        .status,
    ).toBe(404);
    expect((await owner.client.get('/staff/org/applications')).status).toBe(403);
    const guest = await new TestClient(app.http).get('/staff/org/applications');
    expect(guest.location).toBe('/login?next=%2Fstaff%2Forg%2Fapplications');
    expect((await new TestClient(app.http).get('/cabinet/applications')).status).toBe(303);
    expect((await staff.own.get(`/staff/org/applications/${id}`)).status).toBe(200);
  });
});

describe('the API', () => {
  it('applies, lists, follows and cancels; refusals carry a code and a Russian message', async () => {
    const { groupId } = await createOpenGroup(database.db, { organizationId, capacity: 1 });
    const closed = await createOpenGroup(database.db, {
      organizationId,
      enrolmentFromDays: -20,
      enrolmentToDays: -2,
    });
    const who = await parent();
    const invalid = await api(who.client, 'POST', '/api/v1/applications', { childId: 'x' });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json()).toMatchObject({
      errors: { childId: 'Выберите ребёнка', groupId: 'Выберите группу' },
    });
    const created = await api(who.client, 'POST', '/api/v1/applications', { childId: who.childId, groupId });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ status: 'new', statusLabel: 'Новая', queuePlace: null });
    const duplicate = await api(who.client, 'POST', '/api/v1/applications', {
      childId: who.childId,
      groupId,
    });
    expect(duplicate.statusCode).toBe(409);
    const late = await api(who.client, 'POST', '/api/v1/applications', {
      childId: who.childId,
      groupId: closed.groupId,
    });
    expect(late.statusCode).toBe(422);
    expect(late.json()).toMatchObject({ error: 'enrolment_closed' });

    const next = await parent();
    const queued = await api(next.client, 'POST', '/api/v1/applications', { childId: next.childId, groupId });
    expect(queued.json()).toMatchObject({ status: 'queued', statusLabel: 'В очереди', queuePlace: 1 });
    const list = await api(next.client, 'GET', '/api/v1/applications');
    expect(list.json<{ items: unknown[] }>().items).toHaveLength(1);
    const id = created.json<{ id: string }>().id;
    const cancelled = await api(who.client, 'POST', `/api/v1/applications/${id}/cancel`);
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', statusLabel: 'Отменена заявителем' });
    expect((await api(who.client, 'POST', `/api/v1/applications/${id}/cancel`)).statusCode).toBe(409);
    const offer = await api(next.client, 'GET', `/api/v1/applications/${queued.json<{ id: string }>().id}`);
    expect(offer.json()).toMatchObject({ status: 'offered' });
    expect(offer.json<{ history: { toStatus: string }[] }>().history.map((event) => event.toStatus)).toEqual([
      'queued',
      'offered',
    ]);
    expect((await api(new TestClient(app.http), 'GET', '/api/v1/applications')).statusCode).toBe(401);

    const openapi = await app.http.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(Object.keys(openapi.json<{ paths: object }>().paths)).toEqual(
      expect.arrayContaining(['/applications', '/applications/{id}', '/applications/{id}/take-offer']),
    );
  });
});

describe('the provider confirms the data of a child who applied to it', () => {
  it('with the documents the parent brought: audited, the certificate activated, the parent written to', async () => {
    const { groupId } = await createOpenGroup(database.db, { organizationId });
    const who = await parent({ certificate: 'awaiting_confirmation' });
    const id = await apply(who, groupId);
    const url = `/staff/org/applications/${id}`;
    const childState = async () =>
      (
        await queryRows(
          database.db,
          sql`select c.data_status, c.confirmed_by_user_id, c.confirmed_document, cert.status as certificate
                from children c join certificates cert on cert.child_id = c.id where c.id = ${who.childId}`,
        )
      )[0];

    // Staff of another organization do not reach the child through someone else's application.
    const refused = await staff.other.post(`${url}/confirm-child`, {
      _csrf: csrfTokenOf((await staff.other.get('/staff/org/applications')).body),
      document: 'Свидетельство о рождении',
      checked: 'yes',
    });
    expect(refused.status).toBe(404);
    expect(await childState()).toMatchObject({
      data_status: 'unconfirmed',
      certificate: 'awaiting_confirmation',
    });

    const page = await staff.own.get(url);
    expect(textOf(page.body)).toContain('Подтвердить данные ребёнка');
    const incomplete = await staff.own.post(`${url}/confirm-child`, {
      _csrf: csrfTokenOf(page.body),
      document: '',
    });
    expect(incomplete.status).toBe(400);
    expect(textOf(incomplete.body)).toContain('Укажите документ, который предъявлен');
    expect(textOf(incomplete.body)).toContain('Подтвердите, что сверили данные с оригиналом документа');
    expect(await childState()).toMatchObject({ data_status: 'unconfirmed' });

    const confirmed = await staff.own.post(`${url}/confirm-child`, {
      _csrf: csrfTokenOf(page.body),
      document: 'Свидетельство о рождении I-МП 123456',
      checked: 'yes',
    });
    expect(confirmed.status).toBe(303);
    expect(textOf((await staff.own.follow(confirmed)).body)).toContain('Данные ребёнка подтверждены');
    expect(await childState()).toMatchObject({
      data_status: 'confirmed',
      confirmed_document: 'Свидетельство о рождении I-МП 123456',
      certificate: 'active',
    });
    const [audited] = await queryRows(
      database.db,
      sql`select details from audit_events where action = 'staff.child_confirmed' and subject_id = ${who.childId}`,
    );
    expect(audited!.details).toMatchObject({ role: 'org_staff', organizationId, applicationId: id });
    const letter = await testbed.sink.waitFor(who.email, 10_000, 'Данные ребёнка подтверждены');
    expect(letter.text).toContain('сертификат дополнительного образования активирован');

    // Confirmed: the form is gone, and a second try changes nothing.
    expect(textOf((await staff.own.get(url)).body)).not.toContain('Подтвердить данные ребёнка');
    const again = await staff.own.post(`${url}/confirm-child`, {
      _csrf: csrfTokenOf(page.body),
      document: 'Паспорт',
      checked: 'yes',
    });
    expect(textOf((await staff.own.follow(again)).body)).toContain('Данные ребёнка уже подтверждены');
  });

  it('not for a child another family also registered: that is the municipal administrator’s call', async () => {
    const { groupId } = await createOpenGroup(database.db, { organizationId });
    const who = await parent({ certificate: 'awaiting_confirmation' });
    const id = await apply(who, groupId);
    await database.db.execute(sql`update children set possible_duplicate = true where id = ${who.childId}`);
    const detail = await staff.own.get(`/staff/org/applications/${id}`);
    const refused = await staff.own.post(`/staff/org/applications/${id}/confirm-child`, {
      _csrf: csrfTokenOf(detail.body),
      document: 'Свидетельство о рождении',
      checked: 'yes',
    });
    expect(textOf((await staff.own.follow(refused)).body)).toContain(
      'их проверяет муниципальный администратор',
    );
    const [child] = await queryRows(
      database.db,
      sql`select c.data_status, cert.status as certificate
            from children c join certificates cert on cert.child_id = c.id where c.id = ${who.childId}`,
    );
    expect(child).toMatchObject({ data_status: 'unconfirmed', certificate: 'awaiting_confirmation' });
    const [audited] = await queryRows(
      database.db,
      sql`select details from audit_events
           where action = 'staff.child_confirmation_refused' and subject_id = ${who.childId}`,
    );
    expect(audited!.details).toMatchObject({ reason: 'identity_match', applicationId: id });
  });

  it('not through a closed application', async () => {
    const { groupId } = await createOpenGroup(database.db, { organizationId });
    const who = await parent({ certificate: 'awaiting_confirmation' });
    const id = await apply(who, groupId);
    const detail = await staff.own.get(`/staff/org/applications/${id}`);
    const rejected = await staff.own.post(`/staff/org/applications/${id}/reject`, {
      _csrf: csrfTokenOf(detail.body),
      reason: 'Группа для начинающих, ребёнок занимается давно',
    });
    expect(rejected.status).toBe(303);
    const closed = await staff.own.post(`/staff/org/applications/${id}/confirm-child`, {
      _csrf: csrfTokenOf(detail.body),
      document: 'Свидетельство о рождении',
      checked: 'yes',
    });
    expect(textOf((await staff.own.follow(closed)).body)).toContain('Заявка закрыта');
    const [child] = await queryRows(
      database.db,
      sql`select data_status from children where id = ${who.childId}`,
    );
    expect(child!.data_status).toBe('unconfirmed');
  });
});
