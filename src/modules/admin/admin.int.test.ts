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

describe('municipalities’ offices and limits: the coordinator’s', () => {
  const office = {
    officeName: 'Отдел образования',
    officeAddress: 'г. Десногорск, 2 мкр., д. 1',
    officePhone: '+7 (48153) 7-00-00',
    officeHours: 'Пн–Пт 9:00–17:00',
    freeProgramsPerYear: 2,
  };
  const context = { requestId: 'test', clientAddress: '127.0.0.1' };

  it('nobody else changes them through the service, not even the municipality’s own administrator', async () => {
    const reference = app.services.reference;
    const before = await reference.getMunicipality(DESNOGORSK);
    for (const name of ['AdminDesnogorsk', 'AdminSmolensk', 'OrgDesnogorsk']) {
      await expect(reference.updateOffice(actors[name]!, DESNOGORSK, office, context)).rejects.toBeInstanceOf(
        AccessDenied,
      );
      expect(await reference.officeToKeep(actors[name]!, DESNOGORSK)).toBeNull();
      expect(await reference.officesToKeep(actors[name]!)).toEqual([]);
    }
    expect(await reference.getMunicipality(DESNOGORSK)).toEqual(before);

    await reference.updateOffice(actors.Coordinator!, DESNOGORSK, office, context);
    expect(await reference.getMunicipality(DESNOGORSK)).toMatchObject(office);
    const [changed] = await database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'municipality.office_changed'));
    expect(changed).toMatchObject({ actorUserId: actors.Coordinator!.id, subjectId: String(DESNOGORSK) });
    expect((await reference.officesToKeep(actors.Coordinator!)).length).toBe(27);
  });
});
