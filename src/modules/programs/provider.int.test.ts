import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailingTestApp } from '../../../tests/support/app.js';
import { TestClient, csrfTokenOf, textOf } from '../../../tests/support/client.js';
import { addressesOf, eventually, type SmtpSink } from '../../../tests/support/smtp.js';
import type { App } from '../../app.js';
import { auditEvents } from '../../platform/audit/schema.js';
import type { Database } from '../../platform/db/client.js';
import { createStaffAccount } from '../accounts/service.js';
import { groupPlaces } from '../applications/schema.js';
import { organizations } from '../organizations/schema.js';
import { programGroups, programs } from './schema.js';
import { currentYear, isoInYear, typedInYear } from '../../../tests/support/dates.js';
import { ACTORS } from '../../../tests/support/actors.js';
import { createOpenGroup } from '../../../tests/support/enrolment.js';
import { groupSchema } from './schemas.js';
import { contentOf } from './service.js';

/** The provider's cabinet, moderation (who may do what), the XLSX import, the API and the CSV export. */

let database: Database;
let sink: SmtpSink;
let app: App;
let testbed: Awaited<ReturnType<typeof createMailingTestApp>>;
const PASSWORD = 'Сотрудник-навигатора-67';
const as: Record<string, TestClient> = {};
const orgIds: Record<string, string> = {};

const PROGRAM = {
  name: 'Цифровая фотография',
  directionId: '4',
  specializationId: '',
  description: 'Учимся снимать, обрабатывать снимки и готовить фотовыставку своих работ.',
  goals: 'Развить художественный вкус.',
  expectedResults: 'Персональная выставка.',
  ageFrom: '10',
  ageTo: '15',
  level: 'start',
  durationMonths: '9',
  hoursTotal: '72',
  format: 'in_person',
  registry: 'significant',
};

const GROUP = {
  name: 'Группа 1',
  teacher: 'Орлова Ирина Павловна',
  address: 'г. Смоленск, ул. Ленина, д. 5',
  day2Start: '16:00',
  day2End: '17:30',
  day4Start: '16:00',
  day4End: '17:30',
  lessonMinutes: '45',
  ageFrom: '10',
  ageTo: '15',
  capacity: '12',
  enrolmentFrom: typedInYear(0, '01-01'),
  enrolmentTo: typedInYear(-1, '12-31'),
  studyStart: typedInYear(0, '09-01'),
  studyEnd: typedInYear(-1, '05-31'),
  monthlyCostCertificate: '',
  monthlyCostOwn: '',
};

async function statusOf(id: string) {
  const [row] = await database.db.select().from(programs).where(eq(programs.id, id));
  return row!;
}

async function createDraft(client: TestClient, fields: Record<string, string> = PROGRAM): Promise<string> {
  const created = await client.submit('/staff/org/programs/new', fields, '/staff/org/programs');
  expect(created.status).toBe(303);
  return /\/staff\/org\/programs\/([\w-]+)/.exec(created.location!)![1]!;
}

async function submitted(client: TestClient, fields: Record<string, string> = PROGRAM): Promise<string> {
  const id = await createDraft(client, fields);
  const group = await client.submit(
    `/staff/org/programs/${id}/groups/new`,
    GROUP,
    `/staff/org/programs/${id}/groups`,
  );
  expect(group.status).toBe(303);
  const sent = await client.submit(`/staff/org/programs/${id}`, {}, `/staff/org/programs/${id}/submit`);
  expect(sent.status).toBe(303);
  expect((await statusOf(id)).status).toBe('moderation');
  return id;
}

beforeAll(async () => {
  testbed = await createMailingTestApp();
  ({ database, sink, app } = testbed);
  for (const [key, municipalityId] of [
    ['smolensk', 1],
    ['vyazma', 4],
  ] as const) {
    const [org] = await database.db
      .insert(organizations)
      .values({
        municipalityId,
        name: `Дом творчества ${key}`,
        shortName: `ДТ ${key}`,
        kind: 'Муниципальное бюджетное учреждение дополнительного образования',
        address: 'ул. Ленина, д. 5',
      })
      .returning();
    orgIds[key] = org!.id;
  }
  const accounts = {
    orgSmolensk: { role: 'org_staff', municipalityId: 1, organizationId: orgIds.smolensk },
    orgVyazma: { role: 'org_staff', municipalityId: 4, organizationId: orgIds.vyazma },
    adminSmolensk: { role: 'municipal_admin', municipalityId: 1 },
    adminVyazma: { role: 'municipal_admin', municipalityId: 4 },
    coordinator: { role: 'coordinator' },
  } as const;
  let ip = 1;
  for (const [name, role] of Object.entries(accounts)) {
    const email = `${name.toLowerCase()}@provider.example.ru`;
    await createStaffAccount(database, {
      ...role,
      email,
      password: PASSWORD,
      lastName: 'Петрова',
      firstName: 'Ольга',
    });
    as[name] = new TestClient(app.http, `198.51.100.${ip++}`);
    expect((await as[name].submit('/login', { email, password: PASSWORD })).status).toBe(303);
  }
});
afterAll(async () => {
  await testbed.close();
});

describe('the provider cabinet', () => {
  it('creates a program as a draft, showing every error at once and keeping what was typed', async () => {
    const client = as.orgSmolensk!;
    const bad = await client.submit(
      '/staff/org/programs/new',
      {
        ...PROGRAM,
        name: '',
        description: 'Коротко',
        ageFrom: '12',
        ageTo: '9',
        level: '',
        ovzAdapted: 'yes',
      },
      '/staff/org/programs',
    );
    expect(bad.status).toBe(400);
    const text = textOf(bad.body);
    for (const message of [
      'Введите название программы',
      'Опишите программу: не меньше 30 символов',
      'Возраст «до» не меньше возраста «от»',
      'Выберите уровень программы',
      'Отметьте категории детей с ОВЗ',
    ]) {
      expect(text).toContain(message);
    }
    expect(bad.body).toContain('Коротко');
    const id = await createDraft(client);
    const page = textOf((await client.get(`/staff/org/programs/${id}`)).body);
    expect(page).toContain('Состояние: Черновик');
    expect(page).toContain('Цифровая фотография');
  });

  it('needs a group before moderation and checks the schedule and dates', async () => {
    const client = as.orgSmolensk!;
    const id = await createDraft(client);
    const early = await client.follow(
      await client.submit(`/staff/org/programs/${id}`, {}, `/staff/org/programs/${id}/submit`),
    );
    expect(textOf(early.body)).toContain('Добавьте хотя бы одну группу');
    expect((await statusOf(id)).status).toBe('draft');
    const bad = await client.submit(
      `/staff/org/programs/${id}/groups/new`,
      { ...GROUP, day2Start: '25:00', day4End: '15:00', enrolmentTo: typedInYear(1, '12-31'), capacity: '0' },
      `/staff/org/programs/${id}/groups`,
    );
    expect(bad.status).toBe(400);
    const text = textOf(bad.body);
    expect(text).toContain('Время начала — ЧЧ:ММ');
    expect(text).toContain('Занятие должно заканчиваться позже начала');
    expect(text).toContain('Приём заявок не может закончиться раньше начала');
    expect(text).toContain('От 1 до 500 мест');
    const [{ n }] = (await database.db
      .select({ n: count() })
      .from(programGroups)
      .where(eq(programGroups.programId, id))) as [{ n: number }];
    expect(n).toBe(0);
    const sent = await submitted(client);
    // The cabinet's list counts the program's groups.
    const list = (await client.get('/staff/org')).body;
    expect(list).toMatch(new RegExp(`programs/${sent}">[^<]+</a>(?:(?!</tr>).)*<td>1</td></tr>`));
  });

  it('keeps other organizations, guests and parents out', async () => {
    const id = await createDraft(as.orgSmolensk!);
    expect((await as.orgVyazma!.get(`/staff/org/programs/${id}`)).status).toBe(404);
    const foreign = await as.orgVyazma!.submit('/staff/org', {}, `/staff/org/programs/${id}/submit`);
    expect(foreign.status).toBe(404);
    expect((await as.adminSmolensk!.get('/staff/org')).status).toBe(403);
    const guest = await new TestClient(app.http).get('/staff/org');
    expect(guest.status).toBe(303);
    expect(guest.location).toMatch(/^\/login/);
  });
});

describe('the provider service asks the policy before any other work', () => {
  it('answers «not found» out of reach and changes nothing', async () => {
    const { programId, groupId } = await createOpenGroup(database.db, {
      organizationId: orgIds.smolensk!,
      status: 'draft',
      programName: 'Чужая программа',
    });
    const provider = app.services.provider;
    const content = contentOf(await statusOf(programId));
    const group = groupSchema.parse(GROUP);
    // Staff of another organization (of the same municipality, and of another one), and a parent.
    for (const stranger of [ACTORS.orgSmolensk, ACTORS.orgDesnogorsk, ACTORS.parentA]) {
      expect(await provider.getProgram(stranger, programId)).toBeNull();
      expect(await provider.updateProgram(stranger, programId, { ...content, name: 'Захвачено' })).toBe(
        'not_found',
      );
      expect(await provider.submit(stranger, programId)).toBe('not_found');
      expect(await provider.setArchived(stranger, programId, true)).toBe(false);
      expect(await provider.getGroup(stranger, programId, groupId)).toBeNull();
      expect(await provider.saveGroup(stranger, programId, groupId, group)).toBeNull();
      expect(await provider.saveGroup(stranger, programId, null, group)).toBeNull();
      expect(await provider.deleteGroup(stranger, programId, groupId)).toBe('not_found');
      expect((await provider.listPrograms(stranger)).map((p) => p.id)).not.toContain(programId);
    }
    expect(await provider.createProgram(ACTORS.parentA, content)).toBeNull();
    expect(await provider.importPrograms(ACTORS.adminSmolensk, [{ content, groups: [] }])).toBeNull();
    // Moderators of another municipality, and organization staff.
    await database.db.update(programs).set({ status: 'moderation' }).where(eq(programs.id, programId));
    for (const stranger of [ACTORS.adminDesnogorsk, ACTORS.orgSmolensk]) {
      expect(await provider.openForModeration(stranger, programId)).toBeNull();
      expect(await provider.publish(stranger, programId)).toBe('not_found');
      expect(await provider.returnForChanges(stranger, programId, 'Исправьте')).toBe('not_found');
      expect(await provider.archiveByModerator(stranger, programId)).toBe('not_found');
      expect((await provider.moderationQueue(stranger)).map((p) => p.id)).not.toContain(programId);
    }
    expect((await provider.moderationQueue(ACTORS.coordinator)).map((p) => p.id)).toContain(programId);
    expect(await provider.openForModeration(ACTORS.adminSmolensk, programId)).not.toBeNull();
    const after = await statusOf(programId);
    expect(after).toMatchObject({ name: 'Чужая программа', status: 'moderation' });
    const groups = await database.db
      .select()
      .from(programGroups)
      .where(eq(programGroups.programId, programId));
    expect(groups.map((g) => g.id)).toEqual([groupId]);
  });
});

describe('moderation', () => {
  it("lets only the municipality's administrator or the coordinator decide", async () => {
    const id = await submitted(as.orgSmolensk!);
    expect((await as.orgSmolensk!.get('/staff/moderation')).status).toBe(403);
    expect((await as.adminVyazma!.get(`/staff/moderation/${id}`)).status).toBe(404);
    expect(textOf((await as.adminVyazma!.get('/staff/moderation')).body)).not.toContain(
      'Цифровая фотография',
    );
    const foreign = await as.adminVyazma!.submit('/staff/moderation', {}, `/staff/moderation/${id}/publish`);
    expect(foreign.status).toBe(404);
    const own = await as.orgSmolensk!.submit('/staff/org', {}, `/staff/moderation/${id}/publish`);
    expect(own.status).toBe(403);
    expect((await statusOf(id)).status).toBe('moderation');
    expect(textOf((await as.adminSmolensk!.get('/staff/moderation')).body)).toContain('Цифровая фотография');
    expect(textOf((await as.coordinator!.get('/staff/moderation')).body)).toContain('Цифровая фотография');
    // The municipality's administrator is told; the other municipality's is not.
    await eventually(() =>
      sink.received.find(
        (mail) =>
          addressesOf(mail).includes('adminsmolensk@provider.example.ru') &&
          (mail.text ?? '').includes(`/staff/moderation/${id}`),
      ),
    );
    expect(sink.received.some((mail) => addressesOf(mail).includes('adminvyazma@provider.example.ru'))).toBe(
      false,
    );
  });

  it('returns with a comment, takes the corrected program back, publishes it and writes to the provider', async () => {
    const name = `Фотостудия «Кадр» ${randomUUID().slice(0, 4)}`;
    const id = await submitted(as.orgSmolensk!, { ...PROGRAM, name });
    const empty = await as.adminSmolensk!.submit(
      `/staff/moderation/${id}`,
      { comment: ' ' },
      `/staff/moderation/${id}/return`,
    );
    expect(empty.status).toBe(400);
    expect(textOf(empty.body)).toContain('Напишите, что нужно исправить');
    await as.adminSmolensk!.submit(
      `/staff/moderation/${id}`,
      { comment: 'Уточните возраст и добавьте цели.' },
      `/staff/moderation/${id}/return`,
    );
    expect(await statusOf(id)).toMatchObject({
      status: 'needs_changes',
      moderatorComment: 'Уточните возраст и добавьте цели.',
    });
    const returned = await sink.waitFor('orgsmolensk@provider.example.ru', 15_000, 'ожидает правки');
    expect(returned.subject).toContain('Программа ожидает правки');
    expect(returned.text).toContain('Уточните возраст и добавьте цели.');
    const cabinet = textOf((await as.orgSmolensk!.get(`/staff/org/programs/${id}`)).body);
    expect(cabinet).toContain('Ожидает правки');
    expect(cabinet).toContain('Комментарий модератора: Уточните возраст и добавьте цели.');
    expect((await app.http.inject(`/programs/${id}`)).statusCode).toBe(404);

    await as.orgSmolensk!.submit(
      `/staff/org/programs/${id}/edit`,
      { ...PROGRAM, name, ageFrom: '11' },
      `/staff/org/programs/${id}`,
    );
    await as.orgSmolensk!.submit(`/staff/org/programs/${id}`, {}, `/staff/org/programs/${id}/submit`);
    expect((await statusOf(id)).status).toBe('moderation');
    await as.adminSmolensk!.submit(`/staff/moderation/${id}`, {}, `/staff/moderation/${id}/publish`);
    expect(await statusOf(id)).toMatchObject({ status: 'published', moderatorComment: null, ageFrom: 11 });
    const published = await sink.waitFor('orgsmolensk@provider.example.ru', 15_000, 'опубликована');
    expect(published.subject).toContain('Программа опубликована');
    const page = await app.http.inject(`/programs/${id}`);
    expect(page.statusCode).toBe(200);
    expect(textOf(page.body)).toContain('свободно 12 из 12 мест');
    // Its words are searchable at once, typos included.
    const found = await app.http.inject(
      `/programs?municipality=all&q=${encodeURIComponent('фотостудея кадр')}`,
    );
    expect(textOf(found.body)).toContain(name);
  });

  it('publishes into the registry the moderator sets; the provider and the catalog see it', async () => {
    const id = await submitted(as.orgSmolensk!, { ...PROGRAM, name: 'Фотошкола для реестра' });
    const review = textOf((await as.adminSmolensk!.get(`/staff/moderation/${id}`)).body);
    expect(review).toContain('Организация предложила: Значимые');
    const wrong = await as.adminSmolensk!.submit(
      `/staff/moderation/${id}`,
      { registry: 'gold' },
      `/staff/moderation/${id}/publish`,
    );
    expect(wrong.status).toBe(400);
    expect(textOf(wrong.body)).toContain('Выберите реестр программы');
    expect(await statusOf(id)).toMatchObject({ status: 'moderation', registry: 'significant' });
    await as.adminSmolensk!.submit(
      `/staff/moderation/${id}`,
      { registry: 'preprofessional' },
      `/staff/moderation/${id}/publish`,
    );
    expect(await statusOf(id)).toMatchObject({
      status: 'published',
      registry: 'preprofessional',
      financing: 'free',
    });
    const [event] = await database.db
      .select({ details: auditEvents.details })
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'program.published'), eq(auditEvents.subjectId, id)));
    expect(event!.details).toMatchObject({ registry: 'preprofessional', proposedRegistry: 'significant' });
    expect(textOf((await as.orgSmolensk!.get(`/staff/org/programs/${id}`)).body)).toContain(
      'Реестр Предпрофессиональные (бесплатно)',
    );
    expect(textOf((await app.http.inject(`/programs/${id}`)).body)).toContain('Реестр Предпрофессиональные');
    const listed = textOf(
      (await app.http.inject('/programs?municipality=all&registry=preprofessional&q=фотошкола')).body,
    );
    expect(listed).toContain('Фотошкола для реестра');
    const other = textOf(
      (await app.http.inject('/programs?municipality=all&registry=other&q=фотошкола')).body,
    );
    expect(other).not.toContain('Фотошкола для реестра');
  });

  it('keeps the published version public while an edit waits for moderation', async () => {
    const id = await submitted(as.orgSmolensk!, { ...PROGRAM, name: 'Фотоохота' });
    await as.coordinator!.submit(`/staff/moderation/${id}`, {}, `/staff/moderation/${id}/publish`);
    const edit = await as.orgSmolensk!.submit(
      `/staff/org/programs/${id}/edit`,
      { ...PROGRAM, name: 'Фотоохота и видеосъёмка' },
      `/staff/org/programs/${id}`,
    );
    expect(textOf((await as.orgSmolensk!.follow(edit)).body)).toContain('Изменения отправлены на модерацию');
    expect(await statusOf(id)).toMatchObject({
      status: 'published',
      name: 'Фотоохота',
      revisionStatus: 'moderation',
    });
    expect(textOf((await app.http.inject(`/programs/${id}`)).body)).not.toContain('видеосъёмка');
    const review = textOf((await as.adminSmolensk!.get(`/staff/moderation/${id}`)).body);
    expect(review).toContain('Изменены поля: название');
    await as.adminSmolensk!.submit(`/staff/moderation/${id}`, {}, `/staff/moderation/${id}/publish`);
    expect(await statusOf(id)).toMatchObject({
      status: 'published',
      name: 'Фотоохота и видеосъёмка',
      revisionStatus: null,
    });
    expect(textOf((await app.http.inject(`/programs/${id}`)).body)).toContain('Фотоохота и видеосъёмка');
  });

  it('archives: the provider withdraws, the moderator removes; archived programs leave the catalog', async () => {
    const id = await submitted(as.orgSmolensk!, { ...PROGRAM, name: 'Фотокружок для архива' });
    await as.adminSmolensk!.submit(`/staff/moderation/${id}`, {}, `/staff/moderation/${id}/publish`);
    await as.orgSmolensk!.submit(`/staff/org/programs/${id}`, {}, `/staff/org/programs/${id}/archive`);
    expect((await statusOf(id)).status).toBe('archived');
    expect((await app.http.inject(`/programs/${id}`)).statusCode).toBe(404);
    await as.orgSmolensk!.submit(`/staff/org/programs/${id}`, {}, `/staff/org/programs/${id}/restore`);
    expect((await statusOf(id)).status).toBe('draft');
    const other = await submitted(as.orgSmolensk!, { ...PROGRAM, name: 'Фотокружок на удаление' });
    await as.coordinator!.submit(`/staff/moderation/${other}`, {}, `/staff/moderation/${other}/archive`);
    expect((await statusOf(other)).status).toBe('archived');
  });
});

describe('import from XLSX', () => {
  async function template(): Promise<ExcelJS.Workbook> {
    const response = await app.http.inject({
      url: '/staff/org/import/template.xlsx',
      headers: { cookie: [...as.orgSmolensk!.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
    return workbook;
  }

  async function upload(workbook: ExcelJS.Workbook) {
    const page = await as.orgSmolensk!.get('/staff/org/import');
    return as.orgSmolensk!.upload(
      '/staff/org/import',
      { _csrf: csrfTokenOf(page.body) },
      {
        field: 'file',
        name: 'programs.xlsx',
        content: Buffer.from(await workbook.xlsx.writeBuffer()),
        type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      },
    );
  }

  const programCount = async () => {
    const [row] = await database.db
      .select({ n: count() })
      .from(programs)
      .where(eq(programs.organizationId, orgIds.smolensk!));
    return row!.n;
  };

  it('imports the filled template as drafts with their groups', async () => {
    const workbook = await template();
    const sheet = workbook.getWorksheet('Программы')!;
    sheet.addRow([
      'П2',
      'Юные программисты',
      'Техническая',
      'Программирование',
      'Пишем первые программы на Scratch и Python, делаем игры.',
      '',
      '',
      9,
      13,
      'Базовый',
      9,
      72,
      'Смешанно',
      'да',
      'Слабовидящие; Нарушения речи',
      'Сертифицированные',
    ]);
    const groups = workbook.getWorksheet('Группы')!;
    groups.addRow([
      'П2',
      'Группа А',
      'Смирнов Олег Ильич',
      'ул. Ленина, д. 5',
      'вт 15:00-16:00; чт 15:00-16:00',
      45,
      9,
      13,
      10,
      new Date(Date.UTC(currentYear, 7, 1)),
      typedInYear(0, '09-30'),
      typedInYear(0, '09-01'),
      typedInYear(-1, '05-31'),
      1500,
      '',
    ]);
    groups.addRow([
      'П2',
      'Группа Б',
      'Смирнов Олег Ильич',
      'ул. Ленина, д. 5',
      'сб 10:00-11:30',
      45,
      9,
      13,
      8,
      typedInYear(0, '08-01'),
      typedInYear(0, '09-30'),
      typedInYear(0, '09-01'),
      typedInYear(-1, '05-31'),
      1500,
      2000,
    ]);
    const before = await programCount();
    const response = await upload(workbook);
    expect(response.status).toBe(303);
    expect(textOf((await as.orgSmolensk!.follow(response)).body)).toContain(
      'Загружено: 2 программы, 3 группы',
    );
    expect((await programCount()) - before).toBe(2);
    const [imported] = await database.db
      .select()
      .from(programs)
      .where(eq(programs.name, 'Юные программисты'));
    expect(imported).toMatchObject({
      status: 'draft',
      level: 'basic',
      format: 'blended',
      registry: 'certified',
      financing: 'certificate',
      ovzCategories: ['low_vision', 'speech'],
    });
    const importedGroups = await database.db
      .select()
      .from(programGroups)
      .where(eq(programGroups.programId, imported!.id));
    expect(importedGroups.map((g) => g.schedule.length).sort()).toEqual([1, 2]);
    expect(importedGroups.find((g) => g.name === 'Группа А')!.enrolmentFrom).toBe(isoInYear(0, '08-01'));
  });

  it('imports nothing when any row is wrong, and names each row and field', async () => {
    const workbook = await template();
    const sheet = workbook.getWorksheet('Программы')!;
    sheet.addRow([
      'П2',
      '',
      'Космическая',
      '',
      'Коротко',
      '',
      '',
      12,
      9,
      'Высший',
      9,
      72,
      'Очно',
      'нет',
      '',
      'Иные',
    ]);
    const groups = workbook.getWorksheet('Группы')!;
    groups.addRow([
      'П9',
      'Группа',
      'Педагог',
      'Адрес',
      'каждый день',
      45,
      9,
      13,
      10,
      typedInYear(0, '08-01'),
      typedInYear(0, '09-30'),
      typedInYear(0, '09-01'),
      typedInYear(-1, '05-31'),
      '',
      '',
    ]);
    const before = await programCount();
    const response = await upload(workbook);
    expect(response.status).toBe(400);
    const text = textOf(response.body);
    expect(text).toContain('Файл не загружен: исправьте 2 строки');
    expect(text).toContain('Программы 3');
    expect(text).toContain('Название: Введите название программы');
    expect(text).toContain('Направленность: Выберите направленность');
    expect(text).toContain('Уровень: Выберите уровень программы');
    expect(text).toContain('Возраст до: Возраст «до» не меньше возраста «от»');
    expect(text).toContain('Группы 3');
    expect(text).toContain('программы с кодом «П9» нет');
    expect(text).toContain('Неизвестное значение: расписание «каждый день»');
    expect(await programCount()).toBe(before);
  });

  it('finds the columns by their titles, in any order, and names a missing one', async () => {
    const blank = await template();
    const titles = blank.getWorksheet('Программы')!.getRow(1).values as string[];
    const groupTitles = blank.getWorksheet('Группы')!.getRow(1).values as string[];
    const groupRow = [
      'П1',
      'Воскресная группа',
      'Смирнов Олег Ильич',
      'ул. Ленина, д. 5',
      'вс 11:00-12:30',
      45,
      8,
      14,
      16,
      typedInYear(0, '08-01'),
      typedInYear(0, '09-30'),
      typedInYear(0, '09-01'),
      typedInYear(-1, '05-31'),
      '',
      '',
    ];
    const row = [
      'П1',
      'Шахматы по воскресеньям',
      'Физкультурно-спортивная',
      'Шахматы',
      'Дебюты, эндшпиль и турниры для тех, кто уже знает правила.',
      '',
      '',
      8,
      14,
      'Базовый',
      9,
      72,
      'Очно',
      'нет',
      '',
      'Иные',
    ];
    // Both sheets with their columns in reverse order (the groups' «Возраст от» before the program code…).
    const reversed = (omit?: string) => {
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet('Программы');
      const columns = titles.slice(1).map((title, index) => ({ title, value: row[index] }));
      const kept = columns.reverse().filter((c) => c.title !== omit);
      sheet.addRow(kept.map((c) => c.title));
      sheet.addRow(kept.map((c) => c.value));
      const groups = workbook.addWorksheet('Группы');
      const groupColumns = groupTitles.slice(1).map((title, index) => ({ title, value: groupRow[index] }));
      groups.addRow(groupColumns.map((c) => c.title).reverse());
      groups.addRow(groupColumns.map((c) => c.value).reverse());
      return workbook;
    };
    const before = await programCount();
    const response = await upload(reversed());
    expect(response.status).toBe(303);
    const [imported] = await database.db
      .select()
      .from(programs)
      .where(eq(programs.name, 'Шахматы по воскресеньям'));
    expect(imported).toMatchObject({ ageFrom: 8, ageTo: 14, level: 'basic', hoursTotal: 72 });
    const [group] = await database.db
      .select()
      .from(programGroups)
      .where(eq(programGroups.programId, imported!.id));
    expect(group).toMatchObject({
      name: 'Воскресная группа',
      teacher: 'Смирнов Олег Ильич',
      lessonMinutes: 45,
      ageFrom: 8,
      ageTo: 14,
      schedule: [{ weekday: 7, start: '11:00', end: '12:30' }],
      monthlyCostCertificate: null,
    });
    // The «план приёма» is the applications module's (group_places).
    const [places] = await database.db.select().from(groupPlaces).where(eq(groupPlaces.groupId, group!.id));
    expect(places).toMatchObject({ capacity: 16, taken: 0 });
    const missing = await upload(reversed('Описание'));
    expect(missing.status).toBe(400);
    expect(textOf(missing.body)).toContain('На листе «Программы» нет столбцов: «Описание»');
    expect(await programCount()).toBe(before + 1);
  });

  it('refuses a file that is not a workbook, or no file at all', async () => {
    const page = await as.orgSmolensk!.get('/staff/org/import');
    const notExcel = await as.orgSmolensk!.upload(
      '/staff/org/import',
      { _csrf: csrfTokenOf(page.body) },
      { field: 'file', name: 'programs.xlsx', content: Buffer.from('это не Excel'), type: 'text/plain' },
    );
    expect(notExcel.status).toBe(400);
    expect(textOf(notExcel.body)).toContain('Файл не читается как книга Excel');
    const huge = await as.orgSmolensk!.upload(
      '/staff/org/import',
      { _csrf: csrfTokenOf(page.body) },
      {
        field: 'file',
        name: 'big.xlsx',
        content: Buffer.alloc(6 * 1024 * 1024, 1),
        type: 'application/octet-stream',
      },
    );
    expect(huge.status).toBe(413);
    expect(textOf(huge.body)).toContain('Файл больше 5 МБ');
    const none = await as.orgSmolensk!.post('/staff/org/import', { _csrf: csrfTokenOf(page.body) });
    expect(none.status).toBe(400);
    expect(textOf(none.body)).toContain('Выберите файл Excel');
  });
});

describe('open data and the API', () => {
  it('exports the public catalog as CSV, with formulas neutralised', async () => {
    const [victim] = await database.db
      .select()
      .from(programs)
      .where(eq(programs.name, 'Фотокружок на удаление'));
    await database.db
      .update(programs)
      .set({ name: '=HYPERLINK("http://evil")', status: 'published' })
      .where(eq(programs.id, victim!.id));
    const response = await app.http.inject('/programs.csv');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    const lines = response.body.trim().split('\r\n');
    expect(lines[0]).toContain('"Программа","Направленность"');
    const [{ n }] = (await database.db
      .select({ n: count() })
      .from(programs)
      .where(eq(programs.status, 'published'))) as [{ n: number }];
    expect(lines.length - 1).toBe(n);
    expect(response.body).toContain(`"'=HYPERLINK(""http://evil"")"`);
  });

  it('searches, shows a program and an organization as JSON, and documents the query parameters', async () => {
    const search = await app.http.inject(
      `/api/v1/programs?municipality=all&q=${encodeURIComponent('фотоохота')}`,
    );
    expect(search.statusCode).toBe(200);
    const body = search.json<{ items: { id: string; name: string }[]; total: number }>();
    expect(body.items[0]!.name).toBe('Фотоохота и видеосъёмка');
    const program = await app.http.inject(`/api/v1/programs/${body.items[0]!.id}`);
    const details = program.json<{
      name: string;
      groups: { freePlaces: number }[];
      searchVector?: unknown;
    }>();
    expect(details.groups[0]!.freePlaces).toBe(12);
    expect(details.searchVector).toBeUndefined();
    const [draft] = await database.db.select().from(programs).where(eq(programs.status, 'draft')).limit(1);
    expect((await app.http.inject(`/api/v1/programs/${draft!.id}`)).statusCode).toBe(404);
    expect((await app.http.inject(`/api/v1/organizations/${orgIds.smolensk}`)).json()).toMatchObject({
      organization: { shortName: 'ДТ smolensk' },
    });
    const openapi = (await app.http.inject('/api/v1/openapi.json')).json<{
      paths: Record<string, { get?: { parameters?: { name: string }[] } }>;
    }>();
    expect(openapi.paths['/programs']!.get!.parameters!.map((p) => p.name)).toEqual(
      expect.arrayContaining(['q', 'municipality', 'age', 'financing', 'maxCost', 'open', 'sort', 'page']),
    );
  });
});

describe('the guest page cache (ADR 0010)', () => {
  it('serves everyone the same results until the catalog changes, and never gives a signed-in page to guests', async () => {
    const url = `/programs?municipality=all&q=${encodeURIComponent('кинолаборатория')}`;
    const id = await submitted(as.orgSmolensk!, { ...PROGRAM, name: 'Кинолаборатория' });
    const before = await app.http.inject(url);
    expect(textOf(before.body)).toContain('Ничего не найдено');
    expect(before.body).not.toContain('_csrf');
    // Changed behind the app's back: guests keep the remembered page for a while…
    await database.db.update(programs).set({ status: 'published' }).where(eq(programs.id, id));
    expect(textOf((await app.http.inject(url)).body)).toContain('Ничего не найдено');
    // …and so do signed-in people, whose results do not depend on who asks (ADR 0031); their page is their own
    // (their name in the header) and is never given to guests.
    const signedIn = await as.adminSmolensk!.get(url);
    expect(textOf(signedIn.body)).toContain('Ничего не найдено');
    expect(textOf(signedIn.body)).toContain('Петрова О.');
    expect(textOf((await app.http.inject(url)).body)).not.toContain('Петрова О.');
    // A change made through the app (a publication here) is seen by everyone at once.
    await database.db.update(programs).set({ status: 'moderation' }).where(eq(programs.id, id));
    await as.adminSmolensk!.submit(`/staff/moderation/${id}`, {}, `/staff/moderation/${id}/publish`);
    expect(textOf((await app.http.inject(url)).body)).toContain('Кинолаборатория');
    expect(textOf((await as.adminSmolensk!.get(url)).body)).toContain('Кинолаборатория');
  });
});

describe('bad input', () => {
  const anyText = fc.oneof(
    fc.constant(''),
    fc.string({ maxLength: 30 }),
    fc.string({ unit: 'grapheme', maxLength: 30 }),
    fc.constantFrom(
      '  ',
      '<script>alert(1)</script>',
      '\u0000',
      '25:99',
      `31.02.${currentYear}`,
      '-1',
      '1e9',
      'a'.repeat(3000),
    ),
  );
  const fields = (names: string[]) =>
    fc.record(Object.fromEntries(names.map((name) => [name, anyText])), { requiredKeys: [] });

  it('program and group forms answer with messages, never a server error, and change nothing', async () => {
    const client = as.orgSmolensk!;
    const id = await createDraft(client, { ...PROGRAM, name: 'Для проверки ввода' });
    const page = await client.get(`/staff/org/programs/${id}/groups/new`);
    const token = csrfTokenOf(page.body);
    const [before] = await database.db.select({ n: count() }).from(programGroups);
    await fc.assert(
      fc.asyncProperty(
        fields([...Object.keys(PROGRAM), 'ovzAdapted', 'ovz_speech']),
        fields(Object.keys(GROUP)),
        async (program, group) => {
          const saved = await client.post(`/staff/org/programs/${id}`, { _csrf: token, ...program });
          expect([303, 400]).toContain(saved.status);
          const added = await client.post(`/staff/org/programs/${id}/groups`, { _csrf: token, ...group });
          expect(added.status).toBe(400); // random fields never make a whole valid group
        },
      ),
      { numRuns: 40 },
    );
    const [after] = await database.db.select({ n: count() }).from(programGroups);
    expect(after!.n).toBe(before!.n);
  });

  it('the catalog ignores broken query strings', async () => {
    await fc.assert(
      fc.asyncProperty(
        fields([
          'q',
          'municipality',
          'direction',
          'specialization',
          'age',
          'maxCost',
          'sort',
          'page',
          'open',
          'child',
        ]),
        async (query) => {
          const search = new URLSearchParams(query as Record<string, string>).toString();
          // A page past the last one is sent to the last page (303); anything else is a page.
          const page = await app.http.inject(`/programs?${search}`);
          if (page.statusCode === 303) expect(page.headers.location).toMatch(/^\/programs(\?|$)/);
          else expect(page.statusCode).toBe(200);
          expect((await app.http.inject(`/api/v1/programs?${search}`)).statusCode).toBe(200);
        },
      ),
      { numRuns: 40 },
    );
  });
});
