import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.js';
import { prepareDatabase } from '../../app.js';
import { AccessDenied, type Actor } from '../../platform/access/policy.js';
import { auditEvents } from '../../platform/audit/schema.js';
import type { Database } from '../../platform/db/client.js';
import { createLogger } from '../../platform/logger.js';
import { createTestApp } from '../../../tests/support/app.js';
import { TestClient, csrfTokenOf, textOf } from '../../../tests/support/client.js';
import { createTestDatabase } from '../../../tests/support/database.js';
import { createStaffAccount, type StaffAccountInput } from '../accounts/service.js';
import { staffRoles, users } from '../accounts/schema.js';
import { organizations } from '../organizations/schema.js';
import { regionalOffice } from '../reference/schema.js';
import { ensureReferenceData } from '../reference/service.js';

const SMOLENSK = 1;
const DESNOGORSK = 2;
const PASSWORD = 'Сотрудник-навигатора-67';

let database: Database;
let app: App;
const orgs: Record<'smolensk' | 'desnogorsk', string> = { smolensk: '', desnogorsk: '' };
const actors: Record<string, Actor> = {};
const clients: Record<string, TestClient> = {};

async function organization(municipalityId: number, name: string): Promise<string> {
  const [row] = await database.db
    .insert(organizations)
    .values({ municipalityId, name, shortName: name, kind: 'МБУ ДО', address: 'ул. Ленина, д. 1' })
    .returning({ id: organizations.id });
  return row!.id;
}

async function operator(
  name: string,
  role: Omit<StaffAccountInput, 'email' | 'password' | 'lastName' | 'firstName'>,
) {
  const email = `${name.toLowerCase()}@people.example.ru`;
  const id = (await createStaffAccount(database, {
    ...role,
    email,
    password: PASSWORD,
    lastName: name,
    firstName: 'Анна',
  }))!;
  actors[name] = {
    id,
    emailVerified: true,
    staff: {
      role: role.role,
      municipalityId: role.role === 'coordinator' ? null : (role.municipalityId ?? null),
      organizationId: role.role === 'org_staff' ? (role.organizationId ?? null) : null,
    },
  };
  const client = new TestClient(app.http, `203.0.116.${Object.keys(clients).length + 1}`);
  expect((await client.submit('/login', { email, password: PASSWORD })).status).toBe(303);
  clients[name] = client;
}

const accountOf = async (email: string) =>
  (await database.db.select().from(users).where(eq(users.email, email)))[0] ?? null;
const invitations = async () =>
  (await database.db.select().from(auditEvents).where(eq(auditEvents.action, 'staff.invited'))).length;

beforeAll(async () => {
  database = await createTestDatabase();
  await prepareDatabase(database, { demoData: false }, createLogger({ logLevel: 'silent', env: 'test' }));
  app = await createTestApp(database);
  orgs.smolensk = await organization(SMOLENSK, 'Дом творчества «Смоленск»');
  orgs.desnogorsk = await organization(DESNOGORSK, 'Станция юных техников «Десногорск»');
  await operator('Coordinator', { role: 'coordinator' });
  await operator('AdminSmolensk', { role: 'municipal_admin', municipalityId: SMOLENSK });
  await operator('AdminDesnogorsk', { role: 'municipal_admin', municipalityId: DESNOGORSK });
  await operator('OrgSmolensk', {
    role: 'org_staff',
    municipalityId: SMOLENSK,
    organizationId: orgs.smolensk,
  });
  await operator('OrgDesnogorsk', {
    role: 'org_staff',
    municipalityId: DESNOGORSK,
    organizationId: orgs.desnogorsk,
  });
});

afterAll(async () => {
  await app.close();
  await database.close();
});

const person = (email: string) => ({ lastName: 'Новикова', firstName: 'Ольга', email });

describe('inviting staff: only within the inviter’s reach', () => {
  it('a municipal administrator cannot invite into another municipality’s organization, through the form', async () => {
    const client = clients.AdminSmolensk!;
    const page = await client.get('/staff/people');
    expect(textOf(page.body)).toContain('Сотрудники организаций');
    const before = await invitations();
    const email = `forged-${Date.now()}@people.example.ru`;
    const forged = await client.post('/staff/people', {
      _csrf: csrfTokenOf(page.body),
      ...person(email),
      organizationId: orgs.desnogorsk,
    });
    expect(forged.status).toBe(400);
    expect(textOf(forged.body)).toContain(
      'Можно пригласить только сотрудников организаций вашего муниципалитета',
    );
    expect(forged.body).toContain('href="#organizationId"');
    expect(forged.body).toContain(`value="${email}"`); // the values are kept
    expect(await accountOf(email)).toBeNull();
    expect(await invitations()).toBe(before);
  });

  it('nor through the service: another municipality, an administrator, a coordinator — each refused at its field', async () => {
    const accounts = app.services.accounts;
    const admin = actors.AdminSmolensk!;
    const before = await invitations();
    const email = (tag: string) => `${tag}-${Date.now()}@people.example.ru`;

    const elsewhere = email('elsewhere');
    expect(
      await accounts.inviteStaff(admin, {
        role: 'org_staff',
        ...person(elsewhere),
        // A caller's municipality is not believed: the organization's is what counts.
        municipalityId: SMOLENSK,
        organizationId: orgs.desnogorsk,
      }),
    ).toEqual({
      ok: false,
      errors: { organizationId: 'Можно пригласить только сотрудников организаций вашего муниципалитета' },
    });
    const administrator = email('administrator');
    expect(
      await accounts.inviteStaff(admin, {
        role: 'municipal_admin',
        ...person(administrator),
        municipalityId: SMOLENSK,
      }),
    ).toEqual({
      ok: false,
      errors: { role: 'Муниципальных администраторов приглашает региональный координатор' },
    });
    const coordinator = email('coordinator');
    for (const inviter of [admin, actors.Coordinator!]) {
      const refused = await accounts.inviteStaff(inviter, { role: 'coordinator', ...person(coordinator) });
      expect(refused.ok).toBe(false);
      expect(!refused.ok && refused.errors.role).toMatch(
        /Регионального координатора нельзя пригласить здесь/,
      );
    }
    const missing = await accounts.inviteStaff(admin, {
      role: 'org_staff',
      ...person(email('missing')),
      organizationId: '00000000-0000-4000-8000-00000000dead',
    });
    expect(missing).toEqual({ ok: false, errors: { organizationId: 'Выберите организацию из списка' } });

    // Organization staff invite nobody at all: not found, before anything else is looked at.
    await expect(
      accounts.inviteStaff(actors.OrgSmolensk!, {
        role: 'org_staff',
        ...person(email('colleague')),
        organizationId: orgs.smolensk,
      }),
    ).rejects.toBeInstanceOf(AccessDenied);

    for (const address of [elsewhere, administrator, coordinator])
      expect(await accountOf(address)).toBeNull();
    expect(await invitations()).toBe(before);
  });

  it('within reach the invitation is made, with the organization’s municipality as the role’s', async () => {
    const accounts = app.services.accounts;
    const email = `teacher-${Date.now()}@people.example.ru`;
    const invited = await accounts.inviteStaff(actors.Coordinator!, {
      role: 'org_staff',
      ...person(email),
      municipalityId: SMOLENSK,
      organizationId: orgs.desnogorsk,
    });
    expect(invited.ok).toBe(true);
    const [role] = await database.db
      .select()
      .from(staffRoles)
      .where(eq(staffRoles.userId, (await accountOf(email))!.id));
    expect(role).toMatchObject({
      role: 'org_staff',
      municipalityId: DESNOGORSK,
      organizationId: orgs.desnogorsk,
    });
    const again = await accounts.inviteStaff(actors.AdminDesnogorsk!, {
      role: 'org_staff',
      ...person(email),
      organizationId: orgs.desnogorsk,
    });
    expect(again).toEqual({ ok: false, errors: { email: 'С этим адресом уже есть учётная запись' } });
  });
});

describe('listing staff: the policy’s scope', () => {
  it('an administrator sees their municipality’s organization staff; the coordinator sees administrators', async () => {
    const accounts = app.services.accounts;
    const names = async (actor: Actor, role: 'org_staff' | 'municipal_admin') =>
      (await accounts.listStaff(actor, role)).map((person) => person.lastName);
    expect(await names(actors.AdminSmolensk!, 'org_staff')).toEqual(['OrgSmolensk']);
    expect(await names(actors.AdminSmolensk!, 'municipal_admin')).toEqual([]);
    expect(await names(actors.OrgSmolensk!, 'org_staff')).toEqual([]);
    expect(await names(actors.Coordinator!, 'municipal_admin')).toEqual(['AdminDesnogorsk', 'AdminSmolensk']);

    const page = textOf((await clients.AdminDesnogorsk!.get('/staff/people')).body);
    expect(page).toContain('OrgDesnogorsk');
    expect(page).not.toContain('OrgSmolensk');
    const coordinatorPage = textOf((await clients.Coordinator!.get('/staff/people')).body);
    expect(coordinatorPage).toContain('Муниципальные администраторы');
    expect(coordinatorPage).toContain('AdminSmolensk');
  });
});

describe('municipalities’ offices: their own administrators’ and the coordinator’s; limits: the coordinator’s', () => {
  const office = {
    officeName: 'Отдел образования',
    officePeople: 'Петрова Ирина Васильевна',
    officeAddress: 'г. Десногорск, 2 мкр., д. 1',
    officePhone: '+7 (48153) 7-00-00',
    officeEmail: 'obr@desnogorsk.example.ru',
    officeHours: 'Пн–Пт 9:00–17:00',
  };
  const context = { requestId: 'test', clientAddress: '127.0.0.1' };
  const officeEvents = async () =>
    database.db.select().from(auditEvents).where(eq(auditEvents.action, 'municipality.office_changed'));

  it('through the service: the own administrator and the coordinator keep the office; others do not', async () => {
    const reference = app.services.reference;
    for (const name of ['AdminSmolensk', 'OrgDesnogorsk']) {
      await expect(reference.updateOffice(actors[name]!, DESNOGORSK, office, context)).rejects.toBeInstanceOf(
        AccessDenied,
      );
      expect(await reference.officeToKeep(actors[name]!, DESNOGORSK)).toBeNull();
    }
    expect((await reference.officesToKeep(actors.OrgDesnogorsk!)).length).toBe(0);
    expect((await reference.officesToKeep(actors.AdminSmolensk!)).map((m) => m.id)).toEqual([SMOLENSK]);
    await reference.updateOffice(actors.AdminDesnogorsk!, DESNOGORSK, office, context);
    expect(await reference.getMunicipality(DESNOGORSK)).toMatchObject(office);
    await reference.updateOffice(
      actors.Coordinator!,
      DESNOGORSK,
      { ...office, officeHours: 'Пн–Чт' },
      context,
    );
    expect(await reference.getMunicipality(DESNOGORSK)).toMatchObject({ officeHours: 'Пн–Чт' });
    expect((await officeEvents()).map((e) => [e.actorUserId, e.subjectId])).toEqual([
      [actors.AdminDesnogorsk!.id, String(DESNOGORSK)],
      [actors.Coordinator!.id, String(DESNOGORSK)],
    ]);
    expect((await reference.officesToKeep(actors.Coordinator!)).length).toBe(27);
  });

  it('through the form: every wrong field at once, values kept, nothing changed; then saved and on /contacts', async () => {
    const client = clients.AdminSmolensk!;
    const list = await client.get('/staff/municipalities');
    expect(list.status).toBe(200);
    expect(list.body).toContain(`href="/staff/municipalities/${SMOLENSK}"`);
    expect(list.body).not.toContain(`href="/staff/municipalities/${DESNOGORSK}"`);
    expect(list.body).not.toContain('href="/staff/municipalities/region"');
    const page = await client.get(`/staff/municipalities/${SMOLENSK}`);
    expect(page.status).toBe(200);
    // The number of free programs per child is kept in the funding period's settings now (ADR 0039).
    expect(page.body).not.toContain('name="freeProgramsPerYear"');
    expect(page.body).toContain(`href="/staff/funding/${SMOLENSK}"`);
    const before = await app.services.reference.getMunicipality(SMOLENSK);
    const wrong = await client.post(`/staff/municipalities/${SMOLENSK}`, {
      _csrf: csrfTokenOf(page.body),
      officeName: 'Управление образования',
      officePhone: 'звоните вечером',
      officeEmail: 'не-адрес',
      officeHours: 'x'.repeat(201),
    });
    expect(wrong.status).toBe(400);
    const errors = textOf(wrong.body);
    expect(errors).toContain('Введите телефон цифрами');
    expect(errors).toContain('Введите адрес электронной почты');
    expect(errors).toContain('Не больше 200 символов');
    for (const field of ['officePhone', 'officeEmail', 'officeHours'])
      expect(wrong.body).toContain(`href="#${field}"`);
    expect(wrong.body).toContain('value="звоните вечером"');
    expect(wrong.body).toContain('value="Управление образования"');
    expect(await app.services.reference.getMunicipality(SMOLENSK)).toEqual(before);

    const saved = await client.post(`/staff/municipalities/${SMOLENSK}`, {
      _csrf: csrfTokenOf(page.body),
      officeName: 'Управление образования города Смоленска',
      officePeople: 'Иванова Мария Петровна, Соколов Игорь Олегович',
      officeAddress: 'г. Смоленск, ул. Октябрьской революции, д. 1/2, каб. 7',
      officePhone: '+7 (4812) 38-00-00, +7 (4812) 38-00-01',
      officeEmail: ' Obr@Smolensk.Example.ru ',
      officeHours: 'Пн–Пт 9:00–17:00',
    });
    expect(saved.status).toBe(303);
    expect(saved.location).toBe('/staff/municipalities');
    expect(await app.services.reference.getMunicipality(SMOLENSK)).toMatchObject({
      officeEmail: 'obr@smolensk.example.ru',
    });
    const contactsPage = (await app.http.inject('/contacts?municipality=smolensk')).body;
    expect(contactsPage).toContain(
      '<a href="tel:+74812380000">+7 (4812) 38-00-00</a>, <a href="tel:+74812380001">',
    );
    const contacts = textOf(contactsPage);
    for (const fact of [
      'Управление образования города Смоленска',
      'Иванова Мария Петровна, Соколов Игорь Олегович',
      'ул. Октябрьской революции, д. 1/2, каб. 7',
      'Телефоны +7 (4812) 38-00-00',
      'obr@smolensk.example.ru',
    ])
      expect(contacts).toContain(fact);
    const [event] = (await officeEvents()).filter((e) => e.actorUserId === actors.AdminSmolensk!.id);
    const { fields } = event!.details as { fields: string[] };
    expect(fields).toEqual(expect.arrayContaining(['officeEmail', 'officePeople']));

    // Another municipality's office: not found, through the page and the form alike.
    expect((await client.get(`/staff/municipalities/${DESNOGORSK}`)).status).toBe(404);
    const forged = await client.post(`/staff/municipalities/${DESNOGORSK}`, {
      _csrf: csrfTokenOf(page.body),
      officeName: 'Чужая приёмная',
    });
    expect(forged.status).toBe(404);
    expect((await app.services.reference.getMunicipality(DESNOGORSK))!.officeName).toBe('Отдел образования');
    expect((await client.get('/staff/municipalities/region')).status).toBe(403);
    expect((await clients.OrgSmolensk!.get('/staff/municipalities')).status).toBe(403);
  });

  it('the coordinator keeps the regional coordinator’s own contacts, shown first on /contacts', async () => {
    const client = clients.Coordinator!;
    const page = await client.get('/staff/municipalities/region');
    expect(page.status).toBe(200);
    expect(page.body).toContain('Смоленский областной институт развития образования');
    const wrong = await client.post('/staff/municipalities/region', {
      _csrf: csrfTokenOf(page.body),
      name: ' ',
      email: 'нет',
      phone: '12',
    });
    expect(wrong.status).toBe(400);
    for (const field of ['name', 'email', 'phone']) expect(wrong.body).toContain(`href="#${field}"`);
    expect(textOf(wrong.body)).toContain('Укажите название регионального координатора');

    const saved = await client.post('/staff/municipalities/region', {
      _csrf: csrfTokenOf(page.body),
      name: 'ГАУ ДПО СОИРО — региональный модельный центр',
      people: 'Кузнецова Ольга Ивановна',
      address: 'г. Смоленск, ул. Октябрьской революции, д. 20а',
      phone: '+7 (4812) 38-22-22',
      email: 'navigator@soiro.example.ru',
      hours: 'Пн–Пт 9:00–18:00',
    });
    expect(saved.status).toBe(303);
    const contacts = textOf((await app.http.inject('/contacts')).body);
    for (const fact of [
      'ГАУ ДПО СОИРО — региональный модельный центр',
      'Кузнецова Ольга Ивановна',
      '+7 (4812) 38-22-22',
      'navigator@soiro.example.ru',
    ])
      expect(contacts).toContain(fact);
    const [event] = await database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'region.office_changed'));
    expect(event).toMatchObject({ actorUserId: actors.Coordinator!.id });
    // A restart (reference data written again) keeps the edited contacts.
    await ensureReferenceData(database.db);
    expect((await database.db.select().from(regionalOffice))[0]).toMatchObject({
      name: 'ГАУ ДПО СОИРО — региональный модельный центр',
      email: 'navigator@soiro.example.ru',
    });
  });
});
