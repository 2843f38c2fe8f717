import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.js';
import { prepareDatabase } from '../../app.js';
import { auditEvents } from '../../platform/audit/schema.js';
import type { Database } from '../../platform/db/client.js';
import { createLogger } from '../../platform/logger.js';
import { apiParent, type ApiCall } from '../../../tests/support/api-parents.js';
import { createMailingTestApp } from '../../../tests/support/app.js';
import { TestClient, textOf } from '../../../tests/support/client.js';
import { createStaffAccount } from '../accounts/service.js';
import { certificates } from '../certificates/schema.js';
import { organizations } from '../organizations/schema.js';

// One certificate per child, whatever the parents do: the identity rules of issue 11 (item 6).
let database: Database;
let app: App;
let testbed: Awaited<ReturnType<typeof createMailingTestApp>>;
const PASSWORD = 'Сотрудник-совпадений-67';
const staff: Record<'admin' | 'otherAdmin' | 'org', TestClient> = {} as never;

beforeAll(async () => {
  testbed = await createMailingTestApp();
  ({ database, app } = testbed);
  await prepareDatabase(database, { demoData: true }, createLogger({ logLevel: 'silent', env: 'test' }));
  const [organization] = await database.db
    .select()
    .from(organizations)
    .where(eq(organizations.municipalityId, 1))
    .limit(1);
  const roles = {
    admin: { role: 'municipal_admin', municipalityId: 1 },
    otherAdmin: { role: 'municipal_admin', municipalityId: 4 },
    org: { role: 'org_staff', municipalityId: 1, organizationId: organization!.id },
  } as const;
  let ip = 1;
  for (const [name, role] of Object.entries(roles)) {
    const email = `identity-${name.toLowerCase()}@staff.example.ru`;
    await createStaffAccount(database, {
      ...role,
      email,
      password: PASSWORD,
      lastName: 'Проверкина',
      firstName: 'Нина',
    });
    const client = new TestClient(app.http, `203.0.116.${ip++}`);
    expect((await client.submit('/login', { email, password: PASSWORD })).status).toBe(303);
    staff[name as keyof typeof staff] = client;
  }
});
afterAll(async () => {
  await testbed.close();
});

let serial = 0;
/** A child of Смоленск (municipality 1) as the API takes it. */
function childBody(lastName: string, extra: Record<string, string> = {}) {
  return {
    lastName,
    firstName: 'Полина',
    middleName: 'Андреевна',
    birthDate: '2014-06-01',
    sex: 'female',
    documentType: 'birth_certificate',
    documentSeries: 'I-МП',
    documentNumber: String(500000 + ++serial),
    documentIssuedAt: '2014-06-20',
    documentIssuedBy: 'Отдел ЗАГС',
    municipalityId: 1,
    registrationAddress: 'г. Смоленск, ул. Ленина, д. 9',
    ...extra,
  };
}

async function addWithCertificate(call: ApiCall, body: object) {
  const created = await call('POST', '/api/v1/children', body);
  expect(created.statusCode).toBe(201);
  const id = created.json<{ id: string }>().id;
  const issued = await call('POST', `/api/v1/children/${id}/certificate`);
  expect(issued.statusCode).toBe(200);
  return { id, created, issued };
}

async function statusOf(childId: string) {
  const [row] = await database.db.select().from(certificates).where(eq(certificates.childId, childId));
  return row?.status;
}

async function confirm(childId: string) {
  const page = await staff.admin.submit(
    `/staff/children/${childId}`,
    { document: 'Свидетельство о рождении', checked: 'yes' },
    `/staff/children/${childId}/confirm`,
  );
  expect(page.status).toBe(303);
  return textOf((await staff.admin.follow(page)).body);
}

const actionsOn = async (childIds: string[]) =>
  (
    await database.db
      .select({ action: auditEvents.action })
      .from(auditEvents)
      .where(inArray(auditEvents.subjectId, childIds))
  ).map((row) => row.action);

describe('one live certificate per child', () => {
  it('an invented child edited into another family’s child loses its certificate; the parent is told nothing', async () => {
    const family = await apiParent(app, database.db);
    const fraud = await apiParent(app, database.db);
    const real = await addWithCertificate(family.call, childBody('Настоящая'));
    const invented = await addWithCertificate(fraud.call, childBody('Выдуманная'));
    expect(await statusOf(invented.id)).toBe('awaiting_confirmation');

    const edited = await fraud.call('PATCH', `/api/v1/children/${invented.id}`, childBody('НАСТОЯЩАЯ'));
    expect(edited.statusCode).toBe(200);
    expect(await statusOf(invented.id)).toBe('suspended');
    expect(await statusOf(real.id)).toBe('awaiting_confirmation');

    // Both parents read the same kind of answer: no flag, no other status, no word about another account.
    for (const { call, id } of [
      { call: family.call, id: real.id },
      { call: fraud.call, id: invented.id },
    ]) {
      const list = await call('GET', '/api/v1/children');
      const mine = list.json<{ children: { id: string; certificate: { status: string } }[] }>().children;
      expect(mine.find((child) => child.id === id)!.certificate.status).toBe('awaiting_confirmation');
      expect(list.body).not.toContain('possibleDuplicate');
      expect(list.body).not.toContain('suspended');
    }
    expect(edited.body).not.toContain('possibleDuplicate');
    expect(Object.keys(edited.json<object>()).sort()).toEqual(
      Object.keys(real.created.json<object>()).sort(),
    );
    expect(await actionsOn([invented.id])).toEqual(
      expect.arrayContaining(['child.identity_match', 'certificate.held']),
    );

    // The municipal administrator sees both records; after seeing the documents, confirms the real child.
    const matches = textOf((await staff.admin.get('/staff/matches')).body);
    expect(matches).toContain('Настоящая Полина Андреевна');
    expect(matches).toContain('НАСТОЯЩАЯ Полина Андреевна');
    expect(textOf((await staff.otherAdmin.get('/staff/matches')).body)).not.toContain('Настоящая');
    expect((await staff.org.get('/staff/matches')).status).toBe(403);
    const viewed = await database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'staff.identity_matches_viewed'));
    expect(viewed.length).toBeGreaterThan(0);
    // With the request it answered, like every other staff view: who looked, from where, in which request.
    for (const row of viewed) {
      expect(row.requestId).toMatch(/^[\w-]{8,}$/);
      expect(row.clientAddress).toMatch(/^203\.0\.116\.\d+$/);
    }

    const childPage = textOf((await staff.admin.get(`/staff/children/${invented.id}`)).body);
    expect(childPage).toContain('Возможный дубликат');
    expect(childPage).toContain('сертификат: ожидает подтверждения');

    expect(await confirm(real.id)).toContain('Данные подтверждены, сертификат активирован');
    expect(await statusOf(real.id)).toBe('active');
    expect(await confirm(invented.id)).toContain('на этого ребёнка уже действует подтверждённый сертификат');
    expect(await statusOf(invented.id)).toBe('suspended');
  });

  it('the real family coming second wins when the administrator confirms it; the same СНИЛС is the same child', async () => {
    const fraud = await apiParent(app, database.db);
    const family = await apiParent(app, database.db);
    const snils = '00100000013';
    const first = await addWithCertificate(fraud.call, childBody('Опередившая', { snils }));
    const second = await addWithCertificate(family.call, childBody('Законная', { snils }));
    expect(await statusOf(first.id)).toBe('awaiting_confirmation');
    expect(await statusOf(second.id)).toBe('suspended');
    expect(second.issued.json<{ status: string }>().status).toBe('awaiting_confirmation');

    await confirm(second.id);
    expect(await statusOf(second.id)).toBe('active');
    expect(await statusOf(first.id)).toBe('suspended');
    expect(await actionsOn([first.id])).toContain('certificate.suspended');
  });

  it('a record that moves to a free identity keeps its certificate live', async () => {
    const parent = await apiParent(app, database.db);
    const child = await addWithCertificate(parent.call, childBody('Исправленная'));
    const fixed = await parent.call('PATCH', `/api/v1/children/${child.id}`, childBody('Исправленнная'));
    expect(fixed.statusCode).toBe(200);
    expect(await statusOf(child.id)).toBe('awaiting_confirmation');
    const [row] = await database.db.select().from(certificates).where(eq(certificates.childId, child.id));
    expect(row!.holderKey).toBe('исправленнная|полина|андреевна|2014-06-01');
  });

  it('two parents saving the same child at the same moment both get an answer, never a server error', async () => {
    const [one, two] = [await apiParent(app, database.db), await apiParent(app, database.db)];
    const ids = await Promise.all(
      [one, two].map(async (p, i) => {
        const created = await p.call('POST', '/api/v1/children', childBody(['Первая', 'Вторая'][i]!));
        await p.call('POST', `/api/v1/children/${created.json<{ id: string }>().id}/certificate`);
        return created.json<{ id: string }>().id;
      }),
    );
    for (const name of ['Общая', 'Совместная', 'Общая']) {
      const answers = await Promise.all(
        [one, two].map((p, i) => p.call('PATCH', `/api/v1/children/${ids[i]}`, childBody(name))),
      );
      expect(answers.map((answer) => answer.statusCode)).toEqual([200, 200]);
      const statuses = await Promise.all(ids.map(statusOf));
      expect(statuses.filter((status) => status !== 'suspended').length).toBeLessThanOrEqual(1);
    }
  });

  it('a child confirmed before asking for a certificate gets an active one', async () => {
    const parent = await apiParent(app, database.db);
    const created = await parent.call('POST', '/api/v1/children', childBody('Заранеева'));
    const id = created.json<{ id: string }>().id;
    await confirm(id);
    const issued = await parent.call('POST', `/api/v1/children/${id}/certificate`);
    expect(issued.json<{ status: string }>().status).toBe('active');
  });

  it('the database itself refuses a second live certificate for one identity', async () => {
    const parent = await apiParent(app, database.db);
    const child = await addWithCertificate(parent.call, childBody('Единственная'));
    const other = await apiParent(app, database.db);
    const created = await other.call('POST', '/api/v1/children', childBody('Вторая'));
    const [mine] = await database.db.select().from(certificates).where(eq(certificates.childId, child.id));
    await expect(
      database.db.insert(certificates).values({
        childId: created.json<{ id: string }>().id,
        number: '6700000000',
        validUntil: '2032-05-31',
        holderKey: mine!.holderKey,
      }),
    ).rejects.toMatchObject({ cause: { constraint: 'certificates_live_holder_uq' } });
    const live = await database.db
      .select()
      .from(certificates)
      .where(eq(certificates.holderKey, mine!.holderKey));
    expect(live).toHaveLength(1);
  });
});
