import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../tests/support/app.js';
import { TestClient, csrfTokenOf, textOf } from '../../../tests/support/client.js';
import { createTestDatabase } from '../../../tests/support/database.js';
import { createOpenGroup } from '../../../tests/support/enrolment.js';
import type { App } from '../../app.js';
import { auditEvents } from '../../platform/audit/schema.js';
import type { Database } from '../../platform/db/client.js';
import { createStaffAccount } from '../accounts/service.js';
import { staffRoles } from '../accounts/schema.js';
import { organizations } from './schema.js';

/** Organizations onboarded in the UI (/staff/organizations): create, edit, archive, invite; who reaches what. */

let database: Database;
let app: App;
const PASSWORD = 'Онбординг-организаций-67';
const clients = {} as Record<'adminS' | 'adminD' | 'coordinator', TestClient>;

const NEW = {
  name: 'Муниципальное бюджетное учреждение дополнительного образования «Дом детского творчества»',
  shortName: 'ДДТ «Заднепровье»',
  kind: 'Муниципальное бюджетное учреждение дополнительного образования',
  category: 'creativity_centre',
  inn: '6731000014',
  kpp: '673101001',
  ogrn: '1027700132195',
  address: 'г. Смоленск, ул. Шевченко, д. 7',
  legalAddress: '',
  latitude: '54,79',
  longitude: '32.05',
  phone: '+7 4812 55-11-22',
  email: 'ddt@example.ru',
  website: 'https://ddt.example.ru',
  workingHours: 'пн–пт 9:00–18:00',
  head: 'Директор Иванова Мария Петровна',
  description: 'Кружки для детей от 5 лет.',
};

async function signIn(
  name: keyof typeof clients,
  index: number,
  staff: Parameters<typeof createStaffAccount>[1],
) {
  await createStaffAccount(database, staff);
  const client = new TestClient(app.http, `198.51.100.${60 + index}`);
  expect((await client.submit('/login', { email: staff.email, password: PASSWORD })).status).toBe(303);
  clients[name] = client;
}

beforeAll(async () => {
  database = await createTestDatabase();
  app = await createTestApp(database);
  const person = { password: PASSWORD, lastName: 'Администратова', firstName: 'Анна' };
  await signIn('adminS', 0, {
    ...person,
    role: 'municipal_admin',
    municipalityId: 1,
    email: 'ms@orgs.example.ru',
  });
  await signIn('adminD', 1, {
    ...person,
    role: 'municipal_admin',
    municipalityId: 2,
    email: 'md@orgs.example.ru',
  });
  await signIn('coordinator', 2, { ...person, role: 'coordinator', email: 'c@orgs.example.ru' });
});
afterAll(async () => {
  await app.close();
  await database.close();
});

const rowOf = async (id: string) =>
  (await database.db.select().from(organizations).where(eq(organizations.id, id)))[0]!;

describe('onboarding an organization', () => {
  let id: string;

  it('shows every error at once, in Russian, with the values kept, and saves nothing', async () => {
    const bad = await clients.adminS.submit(
      '/staff/organizations/new',
      {
        ...NEW,
        name: '',
        inn: '6731000015',
        kpp: '',
        ogrn: '304500116000157',
        latitude: '95',
        email: 'not-an-address',
        description: '<script>alert(1)</script>',
      },
      '/staff/organizations',
    );
    expect(bad.status).toBe(400);
    const text = textOf(bad.body);
    for (const message of [
      'Введите полное наименование',
      'Проверьте ИНН: контрольные цифры не совпадают',
      'Введите КПП: он есть у каждого юридического лица',
      'Широта — от −90 до 90',
      'Введите адрес электронной почты, например info@school.ru',
    ])
      expect(text).toContain(message);
    // Values kept, markup escaped.
    expect(bad.body).toContain('value="ДДТ «Заднепровье»"');
    expect(bad.body).not.toContain('<script>alert(1)</script>');
    expect(await database.db.select().from(organizations)).toHaveLength(0);
  });

  it('tells a legal entity’s numbers from an ИП’s', async () => {
    const ip = await clients.adminS.submit(
      '/staff/organizations/new',
      {
        ...NEW,
        inn: '500100732259',
        kpp: '673101001',
        ogrn: '1027700132195',
      },
      '/staff/organizations',
    );
    expect(ip.status).toBe(400);
    expect(textOf(ip.body)).toContain('У ИП нет КПП: оставьте поле пустым');
    expect(textOf(ip.body)).toContain('У ИП — ОГРНИП из 15 цифр');
  });

  it('refuses a post without the CSRF token', async () => {
    const forged = await clients.adminS.post('/staff/organizations', NEW);
    expect(forged.status).toBe(403);
    expect(await database.db.select().from(organizations)).toHaveLength(0);
  });

  it('creates it in the administrator’s own municipality whatever the form says, audited, PRG with a flash', async () => {
    const created = await clients.adminS.submit(
      '/staff/organizations/new',
      { ...NEW, municipalityId: '2' },
      '/staff/organizations',
    );
    expect(created.status).toBe(303);
    id = created.location!.split('/').pop()!;
    const row = await rowOf(id);
    expect(row).toMatchObject({ municipalityId: 1, inn: '6731000014', kpp: '673101001', latitude: 54.79 });
    const card = await clients.adminS.get(created.location!);
    expect(textOf(card.body)).toContain('Организация добавлена');
    expect(textOf(card.body)).toContain('Нет сотрудников — пригласите');
    const [event] = await database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'organization.created'), eq(auditEvents.subjectId, id)));
    expect(event!.actorUserId).toBeTruthy();
    // Public at once.
    expect(textOf((await app.http.inject(`/organizations/${id}`)).body)).toContain('ОГРН');
  });

  it('refuses a second organization with the same ИНН and КПП', async () => {
    const twice = await clients.coordinator.submit(
      '/staff/organizations/new',
      { ...NEW, municipalityId: '2' },
      '/staff/organizations',
    );
    expect(twice.status).toBe(400);
    expect(textOf(twice.body)).toContain('Организация с таким ИНН и КПП уже есть');
  });

  it('lists it as a task, filtered and searched in the URL; another municipality’s administrator neither sees nor opens it', async () => {
    const list = await clients.adminS.get('/staff/organizations?staff=none');
    expect(textOf(list.body)).toContain('ДДТ «Заднепровье»');
    expect(textOf(list.body)).toContain('Нет сотрудников — пригласите');
    expect(textOf((await clients.adminS.get('/staff/organizations?q=673100')).body)).toContain('Заднепровье');
    expect(textOf((await clients.adminS.get('/staff/organizations?q=олимп')).body)).toContain(
      'Организаций не найдено',
    );
    expect(textOf((await clients.adminD.get('/staff/organizations')).body)).not.toContain('Заднепровье');
    expect((await clients.adminD.get(`/staff/organizations/${id}`)).status).toBe(404);
    expect((await clients.adminD.get(`/staff/organizations/${id}/edit`)).status).toBe(404);
    const form = await clients.adminD.get('/staff/organizations/new');
    const token = csrfTokenOf(form.body);
    for (const path of ['', '/archive', '/staff'])
      expect(
        (
          await clients.adminD.post(`/staff/organizations/${id}${path}`, {
            _csrf: token,
            ...NEW,
            reason: 'x',
          })
        ).status,
      ).toBe(404);
    expect((await rowOf(id)).archivedAt).toBeNull();
    // The coordinator sees it, by municipality.
    const region = await clients.coordinator.get('/staff/organizations?municipality=smolensk');
    expect(textOf(region.body)).toContain('Заднепровье');
  });

  it('edits it: the administrator the legal details, the organization’s staff only the description', async () => {
    const edited = await clients.adminS.submit(
      `/staff/organizations/${id}/edit`,
      { ...NEW, shortName: 'ДДТ «Заднепровье» (новое)', latitude: '', longitude: '' },
      `/staff/organizations/${id}`,
    );
    expect(edited.status).toBe(303);
    expect(await rowOf(id)).toMatchObject({ shortName: 'ДДТ «Заднепровье» (новое)', latitude: null });
  });

  it('invites its staff from the card, and then it is no longer a task', async () => {
    const bad = await clients.adminS.submit(
      `/staff/organizations/${id}`,
      { lastName: '', firstName: 'Ольга', email: 'x' },
      `/staff/organizations/${id}/staff`,
    );
    expect(bad.status).toBe(400);
    expect(textOf(bad.body)).toContain('Введите фамилию');
    const invited = await clients.adminS.submit(
      `/staff/organizations/${id}`,
      { lastName: 'Петрова', firstName: 'Ольга', email: 'olga@ddt.example.ru' },
      `/staff/organizations/${id}/staff`,
    );
    expect(invited.status).toBe(303);
    const roles = await database.db.select().from(staffRoles).where(eq(staffRoles.organizationId, id));
    expect(roles).toMatchObject([{ role: 'org_staff', municipalityId: 1 }]);
    const card = await clients.adminS.get(`/staff/organizations/${id}`);
    expect(textOf(card.body)).toContain('Петрова Ольга, olga@ddt.example.ru');
    expect(textOf((await clients.adminS.get('/staff/organizations?staff=none')).body)).not.toContain(
      'Заднепровье',
    );
  });

  it('org staff cannot change ИНН/ОГРН or archive: their form has no such fields, the routes are closed', async () => {
    await createStaffAccount(database, {
      role: 'org_staff',
      municipalityId: 1,
      organizationId: id,
      email: 'own@ddt.example.ru',
      password: PASSWORD,
      lastName: 'Своя',
      firstName: 'Сотрудница',
    });
    const own = new TestClient(app.http, '198.51.100.70');
    expect((await own.submit('/login', { email: 'own@ddt.example.ru', password: PASSWORD })).status).toBe(
      303,
    );
    const saved = await own.submit('/staff/org/profile', {
      ...NEW,
      inn: '7707083893',
      kpp: '',
      description: 'Новое',
    });
    expect(saved.status).toBe(303);
    expect(await rowOf(id)).toMatchObject({ inn: '6731000014', kpp: '673101001', description: 'Новое' });
    expect((await own.get(`/staff/organizations/${id}`)).status).toBe(403);
    const token = csrfTokenOf((await own.get('/staff/org/profile')).body);
    expect((await own.post(`/staff/organizations/${id}/archive`, { _csrf: token, reason: 'x' })).status).toBe(
      403,
    );
  });

  it('archives it with a reason: out of the list, the catalog and applications; restores it; nothing deleted', async () => {
    const { programId } = await createOpenGroup(database.db, {
      organizationId: id,
      programName: 'Юные гончары',
    });
    expect((await app.http.inject(`/programs/${programId}`)).statusCode).toBe(200);
    const noReason = await clients.adminS.submit(
      `/staff/organizations/${id}`,
      {},
      `/staff/organizations/${id}/archive`,
    );
    expect(noReason.status).toBe(400);
    expect(textOf(noReason.body)).toContain('Укажите причину');
    const archived = await clients.adminS.submit(
      `/staff/organizations/${id}`,
      { reason: 'Прекратила деятельность' },
      `/staff/organizations/${id}/archive`,
    );
    expect(archived.status).toBe(303);
    expect((await app.http.inject(`/organizations/${id}`)).statusCode).toBe(404);
    expect((await app.http.inject(`/programs/${programId}`)).statusCode).toBe(404);
    expect(textOf((await app.http.inject('/organizations?q=Заднепровье')).body)).toContain(
      'Ничего не найдено',
    );
    expect(textOf((await app.http.inject('/programs?q=гончары&municipality=all')).body)).not.toContain(
      'Юные гончары',
    );
    expect(textOf((await clients.adminS.get('/staff/organizations?status=archived')).body)).toContain(
      'В архиве',
    );
    const [event] = await database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'organization.archived'), eq(auditEvents.subjectId, id)));
    expect(event!.details).toEqual({ reason: 'Прекратила деятельность' });
    const restored = await clients.coordinator.submit(
      `/staff/organizations/${id}`,
      { reason: 'Возобновила работу' },
      `/staff/organizations/${id}/restore`,
    );
    expect(restored.status).toBe(303);
    expect((await app.http.inject(`/programs/${programId}`)).statusCode).toBe(200);
  });
});
