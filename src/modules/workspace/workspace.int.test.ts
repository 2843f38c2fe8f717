import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.js';
import { auditEvents } from '../../platform/audit/schema.js';
import type { Database } from '../../platform/db/client.js';
import { createTestApp } from '../../../tests/support/app.js';
import { TestClient, csrfTokenOf, textOf } from '../../../tests/support/client.js';
import { createTestDatabase } from '../../../tests/support/database.js';
import { createFamily, createOpenGroup, createOrganization } from '../../../tests/support/enrolment.js';
import { hashPassword } from '../accounts/password.js';
import { createStaffAccount } from '../accounts/service.js';
import { users } from '../accounts/schema.js';
import { applications } from '../applications/schema.js';
import { children } from '../children/schema.js';
import { organizations } from '../organizations/schema.js';
import { programs } from '../programs/schema.js';

/**
 * The operators' workspace and the confirmation desk: where each role lands, what each counter counts (and what
 * of another municipality or organization it must not), the queue, every search mode, and the audit.
 */

const PASSWORD = 'Рабочий-стол-2026';
let database: Database;
let app: App;
const clients: Record<string, TestClient> = {};
const ids: Record<string, string> = {};
let ip = 1;
const DAY = 86_400_000;

async function signIn(email: string, next?: string) {
  const client = new TestClient(app.http, `198.51.101.${ip++}`);
  const response = await client.submit('/login', { email, password: PASSWORD, ...(next ? { next } : {}) });
  return { client, response };
}

let families = 0;
/** A parent with one child; the child's municipality, data status and age of the record as given. */
async function family(options: {
  municipalityId?: number;
  waiting?: boolean;
  daysAgo?: number;
  lastName?: string;
  firstName?: string;
  middleName?: string | null;
  birthDate?: string;
  phone?: string;
  email?: string;
}) {
  families += 1;
  const created = await createFamily(database.db, {
    email: options.email ?? `family-${families}@workspace.example.ru`,
    certificate: options.waiting ? 'awaiting_confirmation' : 'active',
    ...(options.birthDate ? { birthDate: options.birthDate } : {}),
    ...(options.lastName ? { childLastName: options.lastName } : {}),
    ...(options.firstName ? { childFirstName: options.firstName } : {}),
  });
  await database.db
    .update(children)
    .set({
      municipalityId: options.municipalityId ?? 1,
      createdAt: new Date(Date.now() - (options.daysAgo ?? 0) * DAY),
      ...(options.middleName !== undefined ? { middleName: options.middleName } : {}),
    })
    .where(eq(children.id, created.childId));
  if (options.phone) {
    await database.db.update(users).set({ phone: options.phone }).where(eq(users.id, created.userId));
  }
  return created;
}

async function application(
  group: { programId: string; groupId: string; organizationId: string },
  status: (typeof applications.$inferInsert)['status'],
  extra: { offerExpiresInHours?: number; lastName?: string } = {},
) {
  const { userId, childId } = await family({ lastName: extra.lastName ?? 'Заявкина' });
  await database.db.insert(applications).values({
    groupId: group.groupId,
    programId: group.programId,
    organizationId: group.organizationId,
    childId,
    applicantUserId: userId,
    filedByUserId: userId,
    channel: 'online',
    status,
    offerExpiresAt:
      extra.offerExpiresInHours === undefined
        ? null
        : new Date(Date.now() + extra.offerExpiresInHours * 3_600_000),
  });
}

beforeAll(async () => {
  database = await createTestDatabase();
  app = await createTestApp(database);
  await app.http.ready();
  ids.orgA = await createOrganization(database.db, 'Дом творчества «Узоры»');
  ids.orgB = await createOrganization(database.db, 'Центр «Десна»');
  ids.orgC = await createOrganization(database.db, 'Станция юных техников');
  ids.orgE = await createOrganization(database.db, 'Клуб «Ельня»');
  await database.db.update(organizations).set({ municipalityId: 2 }).where(eq(organizations.id, ids.orgB));
  await database.db.update(organizations).set({ municipalityId: 2 }).where(eq(organizations.id, ids.orgE));

  const staff = {
    orgA: { role: 'org_staff', municipalityId: 1, organizationId: ids.orgA },
    orgB: { role: 'org_staff', municipalityId: 2, organizationId: ids.orgB },
    adminS: { role: 'municipal_admin', municipalityId: 1 },
    adminD: { role: 'municipal_admin', municipalityId: 2 },
    coordinator: { role: 'coordinator' },
  } as const;
  for (const [name, role] of Object.entries(staff)) {
    await createStaffAccount(database, {
      ...role,
      email: `${name.toLowerCase()}@workspace.example.ru`,
      password: PASSWORD,
      lastName: 'Сотрудникова',
      firstName: 'Инна',
    });
  }

  // Applications: organization A's count; B's are there to be left out.
  const groupA1 = {
    ...(await createOpenGroup(database.db, { organizationId: ids.orgA })),
    organizationId: ids.orgA,
  };
  const groupA2 = {
    ...(await createOpenGroup(database.db, { organizationId: ids.orgA, groupName: 'Группа 2' })),
    organizationId: ids.orgA,
  };
  const groupB = {
    ...(await createOpenGroup(database.db, { organizationId: ids.orgB })),
    organizationId: ids.orgB,
  };
  await database.db.update(programs).set({ municipalityId: 2 }).where(eq(programs.id, groupB.programId));
  await application(groupA1, 'new', { lastName: 'Новикова' });
  await application(groupA2, 'new', { lastName: 'Новикова' });
  await application(groupB, 'new');
  await application(groupA1, 'offered', { offerExpiresInHours: 10 });
  await application(groupA1, 'offered', { offerExpiresInHours: 40 });
  await application(groupB, 'offered', { offerExpiresInHours: 10 });
  await application(groupA2, 'queued');
  await application(groupA2, 'queued');
  await application(groupB, 'queued');
  await application(groupA1, 'accepted', { lastName: 'Принятова' });
  await application(groupA1, 'cancelled', { lastName: 'Отменова' });

  // Programs: returned ones of A (two: a program and a published program's revision), of B (left out);
  // waiting for moderation in Смоленск (2) and Десногорск (1).
  const program = async (
    organizationId: string,
    municipalityId: number,
    set: Partial<typeof programs.$inferInsert>,
  ) => {
    const { programId } = await createOpenGroup(database.db, { organizationId });
    await database.db
      .update(programs)
      .set({ municipalityId, ...set })
      .where(eq(programs.id, programId));
  };
  await program(ids.orgA, 1, { status: 'needs_changes' });
  await program(ids.orgA, 1, { status: 'published', revisionStatus: 'needs_changes' });
  await program(ids.orgB, 2, { status: 'needs_changes' });
  await program(ids.orgA, 1, { status: 'moderation' });
  await program(ids.orgA, 1, { status: 'published', revisionStatus: 'moderation' });
  await program(ids.orgB, 2, { status: 'moderation' });

  // Children waiting for confirmation: 23 in Смоленск (the three oldest named), 1 in Десногорск; a rejected one
  // and confirmed ones do not wait.
  ids.oldest = (await family({ waiting: true, daysAgo: 30, lastName: 'Первова' })).childId;
  ids.second = (await family({ waiting: true, daysAgo: 20, lastName: 'Вторая' })).childId;
  ids.third = (await family({ waiting: true, daysAgo: 10, lastName: 'Третьякова' })).childId;
  for (let n = 0; n < 20; n++) await family({ waiting: true, daysAgo: 0, lastName: 'Свежева' });
  ids.desnogorsk = (
    await family({ waiting: true, daysAgo: 40, municipalityId: 2, lastName: 'Деснова' })
  ).childId;
  const rejected = await family({ waiting: true, daysAgo: 50, lastName: 'Отклонова' });
  await database.db.update(children).set({ dataStatus: 'rejected' }).where(eq(children.id, rejected.childId));

  // The child of the searches: ё in the names, a patronymic, the parent's phone and mixed-case e-mail.
  ids.searched = (
    await family({
      lastName: 'Ёлкина',
      firstName: 'Алёна',
      middleName: 'Игоревна',
      birthDate: '2015-06-07',
      phone: '+79005556677',
      email: 'parent.search@example.ru',
    })
  ).childId;
  // The same name and birth date in Десногорск: out of Смоленск's reach.
  ids.searchedElsewhere = (
    await family({
      lastName: 'Ёлкина',
      firstName: 'Алёна',
      middleName: null,
      birthDate: '2015-06-07',
      municipalityId: 2,
    })
  ).childId;

  for (const name of Object.keys(staff)) {
    clients[name] = (await signIn(`${name.toLowerCase()}@workspace.example.ru`)).client;
  }
});

afterAll(async () => {
  await app.close();
  await database.close();
});

/** The number a counter shows beside its label. */
function counter(html: string, label: string): number {
  const match = new RegExp(`counter__count">([\\d\\s  ]+)</span><span class="counter__label">${label}`).exec(
    html,
  );
  if (!match) throw new Error(`no counter «${label}»`);
  return Number(match[1]!.replace(/\D/g, ''));
}

describe('where staff land after signing in', () => {
  it('each staff role lands on /staff; a parent in the cabinet; a safe next is respected', async () => {
    for (const name of ['orgA', 'adminS', 'coordinator']) {
      const { response } = await signIn(`${name.toLowerCase()}@workspace.example.ru`);
      expect(response.status, name).toBe(303);
      expect(response.location, name).toBe('/staff');
    }
    const parent = await family({ email: 'landing.parent@workspace.example.ru' });
    await database.db
      .update(users)
      .set({ passwordHash: await hashPassword(PASSWORD) })
      .where(eq(users.id, parent.userId));
    expect((await signIn('landing.parent@workspace.example.ru')).response.location).toBe('/cabinet');
    const next = await signIn('admins@workspace.example.ru', '/staff/moderation');
    expect(next.response.location).toBe('/staff/moderation');
    const unsafe = await signIn('admins@workspace.example.ru', '//evil.example.com/');
    expect(unsafe.response.location).toBe('/staff');
  });

  it('a staff profile shows the role and reach, not «Родитель», and no «Дети»/«Заявки» tabs', async () => {
    const org = await clients.orgA!.get('/cabinet');
    const text = textOf(org.body);
    expect(text).toContain('Сотрудник организации');
    expect(text).toContain('Дом творчества «Узоры»');
    expect(text).not.toContain('Родитель (законный представитель)');
    expect(text).not.toContain('+7 000');
    expect(org.body).not.toContain('href="/cabinet/children"');
    expect(org.body).not.toContain('href="/cabinet/applications"');
    const admin = textOf((await clients.adminS!.get('/cabinet')).body);
    expect(admin).toContain('Муниципальный администратор');
  });
});

describe('the workspace counters', () => {
  it('organization staff: their new applications, offers expiring within 24 h, groups with a queue, returned programs', async () => {
    const page = await clients.orgA!.get('/staff');
    expect(page.status).toBe(200);
    expect(counter(page.body, 'Новые заявки')).toBe(2);
    expect(counter(page.body, 'Предложенные места')).toBe(1);
    expect(counter(page.body, 'Группы с очередью')).toBe(1);
    expect(counter(page.body, 'Программы, возвращённые')).toBe(1 + 1);
    expect(page.body).toContain('href="/staff/org/applications?status=new"');
    // The organization's cabinet says how many new applications wait too.
    expect(textOf((await clients.orgA!.get('/staff/org')).body)).toContain('новых: 2');
    // The other organization's own numbers.
    const other = await clients.orgB!.get('/staff');
    expect(counter(other.body, 'Новые заявки')).toBe(1);
    expect(counter(other.body, 'Программы, возвращённые')).toBe(1);
  });

  it('the municipal administrator: their municipality only', async () => {
    const page = await clients.adminS!.get('/staff');
    expect(counter(page.body, 'Дети ожидают')).toBe(23);
    expect(textOf(page.body)).toContain('Дольше всех ждут: 30 дней');
    expect(counter(page.body, 'Программы ожидают')).toBe(2);
    // Узоры has staff; Станция юных техников has none; Десногорск's are not counted.
    expect(counter(page.body, 'Организации без сотрудников')).toBe(1);
    const desnogorsk = await clients.adminD!.get('/staff');
    expect(counter(desnogorsk.body, 'Дети ожидают')).toBe(1);
    expect(counter(desnogorsk.body, 'Программы ожидают')).toBe(1);
    expect(counter(desnogorsk.body, 'Организации без сотрудников')).toBe(1);
  });

  it('the coordinator: the whole region and a row per municipality', async () => {
    const page = await clients.coordinator!.get('/staff');
    expect(counter(page.body, 'Дети ожидают')).toBe(24);
    expect(counter(page.body, 'Программы ожидают')).toBe(3);
    expect(counter(page.body, 'Организации без сотрудников')).toBe(2);
    expect(page.body).toContain('href="/staff/children?status=waiting&amp;municipality=1"');
    expect(textOf(page.body)).toContain('23 ребёнка');
  });
});

describe('the confirmation queue', () => {
  it('lists the longest waiting first, a page at a time, within the administrator’s municipality', async () => {
    const first = textOf((await clients.adminS!.get('/staff/children?status=waiting')).body);
    expect(first).toContain('Ожидают: 23');
    expect(first.indexOf('Первова')).toBeLessThan(first.indexOf('Вторая'));
    expect(first.indexOf('Вторая')).toBeLessThan(first.indexOf('Третьякова'));
    expect(first).not.toContain('Деснова');
    expect(first).not.toContain('Отклонова');
    expect(first).toContain('Страница 1 из 2');
    const second = textOf((await clients.adminS!.get('/staff/children?status=waiting&page=2')).body);
    expect(second).not.toContain('Первова');
    expect(second).toContain('Свежева');
    // An administrator cannot widen their reach through the address.
    const widened = textOf((await clients.adminS!.get('/staff/children?status=waiting&municipality=2')).body);
    expect(widened).not.toContain('Деснова');
  });

  it('the coordinator filters by municipality', async () => {
    const all = textOf((await clients.coordinator!.get('/staff/children?status=waiting')).body);
    expect(all).toContain('Ожидают: 24');
    expect(all.indexOf('Деснова')).toBeLessThan(all.indexOf('Первова'));
    const desnogorsk = textOf(
      (await clients.coordinator!.get('/staff/children?status=waiting&municipality=2')).body,
    );
    expect(desnogorsk).toContain('Ожидают: 1');
    expect(desnogorsk).not.toContain('Первова');
  });

  it('is audited with the children it showed', async () => {
    const rows = await database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'staff.children_listed'));
    expect(rows.some((row) => JSON.stringify(row.details).includes(ids.oldest!))).toBe(true);
  });
});

describe('finding a child', () => {
  const search = (client: TestClient, query: Record<string, string>) =>
    client.get(`/staff/search?${new URLSearchParams(query).toString()}`);
  const person = (fields: Record<string, string>) => ({ by: 'person', birthDate: '07.06.2015', ...fields });

  it('by ФИО and birth date: patronymic optional, spaces trimmed, ё as е, any case', async () => {
    const admin = clients.adminS!;
    const variants: Record<string, string>[] = [
      { lastName: 'Ёлкина', firstName: 'Алёна' },
      { lastName: '  елкина ', firstName: 'АЛЕНА  ' },
      { lastName: 'ЁЛКИНА', firstName: 'алена', middleName: ' игоревна ' },
    ];
    for (const fields of variants) {
      const page = await search(admin, person(fields));
      expect(page.status, JSON.stringify(fields)).toBe(200);
      expect(page.body, JSON.stringify(fields)).toContain(`/staff/children/${ids.searched}`);
      // The same name in Десногорск is out of reach.
      expect(page.body).not.toContain(ids.searchedElsewhere);
    }
    const wrongPatronymic = await search(
      admin,
      person({ lastName: 'Елкина', firstName: 'Алена', middleName: 'Петровна' }),
    );
    expect(textOf(wrongPatronymic.body)).toContain('Ничего не найдено');
    const coordinator = await search(
      clients.coordinator!,
      person({ lastName: 'елкина', firstName: 'алена' }),
    );
    expect(coordinator.body).toContain(ids.searched);
    expect(coordinator.body).toContain(ids.searchedElsewhere);
  });

  it('by the parent’s phone in any notation or e-mail in any case', async () => {
    for (const contact of [
      '8 (900) 555-66-77',
      '+7 900 555 66 77',
      '9005556677',
      ' PARENT.Search@Example.RU ',
    ]) {
      const page = await search(clients.adminS!, { by: 'contact', contact });
      expect(page.status, contact).toBe(200);
      expect(page.body, contact).toContain(`/staff/children/${ids.searched}`);
    }
    const elsewhere = await search(clients.adminD!, { by: 'contact', contact: '89005556677' });
    expect(textOf(elsewhere.body)).toContain('Ничего не найдено');
    const bad = await search(clients.adminS!, { by: 'contact', contact: '12345' });
    expect(bad.status).toBe(400);
    expect(textOf(bad.body)).toContain('Введите мобильный телефон');
  });

  it('by GET (refresh and back work), the old POST leads there, and each search is audited', async () => {
    const empty = await clients.adminS!.get('/staff/search');
    expect(empty.status).toBe(200);
    expect(textOf(empty.body)).toContain('По телефону или почте родителя');
    const token = csrfTokenOf((await clients.adminS!.get('/cabinet')).body);
    const posted = await clients.adminS!.post('/staff/search', {
      _csrf: token,
      by: 'person',
      lastName: 'Елкина',
      firstName: 'Алена',
      birthDate: '07.06.2015',
    });
    expect(posted.status).toBe(303);
    expect(posted.location).toMatch(/^\/staff\/search\?by=person&lastName=/);
    const followed = await clients.adminS!.get(posted.location!);
    expect(followed.body).toContain(ids.searched);
    const rows = await database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'staff.children_searched'));
    const modes = rows.map((row) => (row.details as { by: string }).by);
    expect(modes).toEqual(expect.arrayContaining(['person', 'phone', 'email']));
    // Organization staff never search children.
    expect((await search(clients.orgA!, person({ lastName: 'Елкина', firstName: 'Алена' }))).status).toBe(
      403,
    );
  });

  it('the confirmation page shows the parent’s ФИО, phone and e-mail, and the look is audited', async () => {
    const page = textOf((await clients.adminS!.get(`/staff/children/${ids.searched}`)).body);
    expect(page).toContain('Иванова Мария Петровна');
    expect(page).toContain('+7 900 555-66-77');
    expect(page).toContain('parent.search@example.ru');
    const viewed = await database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'staff.child_viewed'), eq(auditEvents.subjectId, ids.searched!)));
    expect(viewed.length).toBeGreaterThanOrEqual(1);
  });
});

describe('the applications list and refusals', () => {
  it('shows what needs action first, newest first, cancelled hidden unless asked', async () => {
    const page = textOf((await clients.orgA!.get('/staff/org/applications')).body);
    expect(page).not.toContain('Отменова');
    expect(page.indexOf('Новикова')).toBeLessThan(page.indexOf('Принятова'));
    const all = textOf((await clients.orgA!.get('/staff/org/applications?status=all')).body);
    expect(all).toContain('Отменова');
    const expiring = textOf((await clients.orgA!.get('/staff/org/applications?expiring=1')).body);
    expect(expiring).toContain('Найдено заявок: 1.');
  });

  it('organization staff get the one «Раздел недоступен» page with the reason, never a silent redirect', async () => {
    for (const url of ['/staff/people', '/staff/municipalities', '/staff/moderation', '/staff/children']) {
      const page = await clients.orgA!.get(url);
      expect(page.status, url).toBe(403);
      expect(textOf(page.body), url).toContain('Раздел недоступен');
    }
  });
});

it('opens no child by an unknown id', async () => {
  expect((await clients.adminS!.get(`/staff/children/${randomUUID()}`)).status).toBe(404);
});
