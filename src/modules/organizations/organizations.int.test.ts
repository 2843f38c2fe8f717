import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../tests/support/app.js';
import { TestClient, textOf } from '../../../tests/support/client.js';
import { createTestDatabase } from '../../../tests/support/database.js';
import { createOpenGroup, createOrganization } from '../../../tests/support/enrolment.js';
import type { App } from '../../app.js';
import type { Actor } from '../../platform/access/policy.js';
import { auditEvents } from '../../platform/audit/schema.js';
import type { Database } from '../../platform/db/client.js';
import { createStaffAccount } from '../accounts/service.js';
import { organizations } from './schema.js';

/** The public profile of an organization (page and API) and its edit by the organization's own staff. */

let database: Database;
let app: App;
let own: string;
let other: string;
let staff: TestClient;
let staffId: string;
const PASSWORD = 'Сотрудник-навигатора-67';

const PROFILE = {
  name: 'Муниципальное бюджетное учреждение дополнительного образования «Дом творчества Заднепровья»',
  shortName: 'Дом творчества Заднепровья',
  kind: 'Муниципальное бюджетное учреждение дополнительного образования',
  address: 'г. Смоленск, ул. Шевченко, д. 7',
  phone: '+7 4812 55-11-22',
  email: 'INFO@dt-zadneprovie.ru',
  website: 'https://dt-zadneprovie.ru',
  inn: '6731000001',
  ogrn: '',
  workingHours: 'пн–пт 9:00–18:00',
  description: 'Кружки для детей от 5 лет.',
};

beforeAll(async () => {
  database = await createTestDatabase();
  app = await createTestApp(database);
  own = await createOrganization(database.db, 'Дом творчества «Радуга»');
  other = await createOrganization(database.db, 'Спортивная школа «Олимп»', 2);
  await createOpenGroup(database.db, { organizationId: own, programName: 'Юные художники' });
  await createOpenGroup(database.db, {
    organizationId: own,
    programName: 'Черновик студии',
    status: 'draft',
  });
  const email = 'staff@raduga.example.ru';
  staffId = (await createStaffAccount(database, {
    role: 'org_staff',
    municipalityId: 1,
    organizationId: own,
    email,
    password: PASSWORD,
    lastName: 'Петрова',
    firstName: 'Ольга',
  }))!;
  staff = new TestClient(app.http, '198.51.100.40');
  expect((await staff.submit('/login', { email, password: PASSWORD })).status).toBe(303);
});
afterAll(async () => {
  await app.close();
  await database.close();
});

describe('the public profile', () => {
  it('shows the organization and only its published programs to a guest', async () => {
    const page = await app.http.inject(`/organizations/${own}`);
    expect(page.statusCode).toBe(200);
    const text = textOf(page.body);
    expect(text).toContain('Дом творчества «Радуга»');
    expect(text).toContain('Юные художники');
    expect(text).toContain('Бесплатно');
    expect(text).not.toContain('Черновик студии');
    expect(text).toContain('Программы (1)');
  });

  it('answers the same in the API, allow-listed', async () => {
    const answer = await app.http.inject(`/api/v1/organizations/${own}`);
    expect(answer.statusCode).toBe(200);
    const body = answer.json<{
      organization: Record<string, unknown>;
      municipality: string;
      programs: { name: string; financing: string }[];
    }>();
    expect(body.municipality).toBe('город Смоленск');
    expect(body.programs).toEqual([expect.objectContaining({ name: 'Юные художники', financing: 'free' })]);
    expect(body.organization).not.toHaveProperty('createdAt');
    expect(body.organization).not.toHaveProperty('updatedAt');
  });

  it('answers «не найдено» for an unknown or malformed id', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      expect((await app.http.inject(`/organizations/${id}`)).statusCode).toBe(404);
      const api = await app.http.inject(`/api/v1/organizations/${id}`);
      expect(api.statusCode).toBe(404);
      expect(api.json()).toMatchObject({ error: 'not_found' });
    }
  });
});

describe('the profile edit (/staff/org/profile)', () => {
  it('shows every error at once and changes nothing', async () => {
    const bad = await staff.submit(
      '/staff/org/profile',
      { ...PROFILE, name: '', latitude: '200', website: 'ftp://x' },
      '/staff/org/profile',
    );
    expect(bad.status).toBe(400);
    const text = textOf(bad.body);
    for (const message of [
      'Введите полное наименование',
      'Широта — от −90 до 90',
      'Укажите и долготу',
      'Введите адрес сайта, например https://school.ru',
    ]) {
      expect(text).toContain(message);
    }
    const [row] = await database.db.select().from(organizations).where(eq(organizations.id, own));
    expect(row!.shortName).toBe('Дом творчества «Радуга»');
  });

  it('saves the organization’s own profile through the organizations service, audited, shown at once', async () => {
    const saved = await staff.submit('/staff/org/profile', PROFILE, '/staff/org/profile');
    expect(saved.status).toBe(303);
    const [row] = await database.db.select().from(organizations).where(eq(organizations.id, own));
    expect(row).toMatchObject({ shortName: PROFILE.shortName, email: 'info@dt-zadneprovie.ru', ogrn: null });
    const [event] = await database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'organization.updated'), eq(auditEvents.subjectId, own)));
    expect(event).toMatchObject({ actorUserId: staffId, clientAddress: '198.51.100.40' });
    expect(event!.requestId).toBeTruthy();
    expect(textOf((await app.http.inject(`/organizations/${own}`)).body)).toContain(PROFILE.phone);
  });

  it('sets the kind parents filter by from the list, and keeps it when the form has no such field', async () => {
    const bad = await staff.submit(
      '/staff/org/profile',
      { ...PROFILE, category: 'casino' },
      '/staff/org/profile',
    );
    expect(bad.status).toBe(400);
    expect(textOf(bad.body)).toContain('Выберите тип организации из списка');
    const form = await staff.get('/staff/org/profile');
    expect(form.body).toContain('<option value="other" selected');
    expect(
      (
        await staff.submit(
          '/staff/org/profile',
          { ...PROFILE, category: 'sports_school' },
          '/staff/org/profile',
        )
      ).status,
    ).toBe(303);
    expect((await staff.submit('/staff/org/profile', PROFILE, '/staff/org/profile')).status).toBe(303);
    const [row] = await database.db.select().from(organizations).where(eq(organizations.id, own));
    expect(row!.category).toBe('sports_school');
    expect(textOf((await app.http.inject(`/organizations/${own}`)).body)).toContain('Спортивная школа');
  });

  it('lets no one out of reach write it: staff of another organization, another municipality’s administrator', async () => {
    const actors: Actor[] = [
      {
        id: staffId,
        emailVerified: true,
        staff: { role: 'org_staff', municipalityId: 2, organizationId: other },
      },
      {
        id: staffId,
        emailVerified: true,
        staff: { role: 'municipal_admin', municipalityId: 2, organizationId: null },
      },
    ];
    for (const actor of actors) {
      expect(
        await app.services.organizations.update(actor, own, { ...PROFILE, shortName: 'Захвачено' }),
      ).toBe(false);
      expect(await app.services.organizations.ownProfile(actor)).toEqual(
        actor.staff?.role === 'org_staff' ? expect.objectContaining({ id: other }) : null,
      );
    }
    const [row] = await database.db.select().from(organizations).where(eq(organizations.id, own));
    expect(row!.shortName).toBe(PROFILE.shortName);
  });
});
