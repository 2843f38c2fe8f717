import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.js';
import { prepareDatabase } from '../../app.js';
import type { Database } from '../../platform/db/client.js';
import { createLogger } from '../../platform/logger.js';
import { createMailingTestApp } from '../../../tests/support/app.js';
import { TestClient, textOf } from '../../../tests/support/client.js';
import { typedInYear } from '../../../tests/support/dates.js';
import { createOpenGroup, createOrganization } from '../../../tests/support/enrolment.js';
import type { SmtpSink } from '../../../tests/support/smtp.js';
import { children } from './schema.js';

/** The child's card says where it stands; edit and delete say why they are closed instead of failing silently. */

let database: Database;
let sink: SmtpSink;
let app: App;
let testbed: Awaited<ReturnType<typeof createMailingTestApp>>;
let serial = 0;

beforeAll(async () => {
  testbed = await createMailingTestApp();
  ({ database, sink, app } = testbed);
  await prepareDatabase(database, { demoData: true }, createLogger({ logLevel: 'silent', env: 'test' }));
});
afterAll(async () => {
  await testbed.close();
});

async function parent(): Promise<TestClient> {
  const email = `card${++serial}-${Date.now()}@example.ru`;
  const client = new TestClient(app.http, `203.0.115.${serial}`);
  await client.submit('/register', {
    municipalityId: '1',
    lastName: 'Орлова',
    firstName: 'Мария',
    phone: '+79005554433',
    email,
    password: 'Смоленск-кружки-2026',
    passwordRepeat: 'Смоленск-кружки-2026',
    applicantKind: 'parent',
    consent: 'yes',
  });
  const letter = await sink.waitFor(email);
  await client.get(/(\/verify\/email\?code=[\w-]+)/.exec(letter.text ?? '')![1]!);
  await client.submit('/login', { email, password: 'Смоленск-кружки-2026' });
  return client;
}

/** A child added through the form, with its certificate; answers its id. */
async function childWithCertificate(client: TestClient, lastName: string): Promise<string> {
  await client.submit(
    '/cabinet/children/new',
    {
      lastName,
      firstName: 'Александр',
      middleName: 'Игоревич',
      birthDate: typedInYear(10, '05-12'),
      sex: 'male',
      snils: '',
      documentType: 'birth_certificate',
      documentSeries: 'II-МП',
      documentNumber: String(100000 + serial),
      documentIssuedAt: typedInYear(10, '05-20'),
      documentIssuedBy: 'Отдел ЗАГС Администрации города Смоленска',
      municipalityId: '1',
      registrationAddress: 'г. Смоленск, ул. Ленина, д. 5, кв. 12',
    },
    '/cabinet/children',
  );
  const [child] = await database.db.select().from(children).where(eq(children.lastName, lastName));
  const issued = await client.submit('/cabinet/children', {}, `/cabinet/children/${child!.id}/certificate`);
  expect(issued.status).toBe(303);
  return child!.id;
}

const setStatus = (childId: string, dataStatus: 'confirmed' | 'rejected', rejectionReason?: string) =>
  database.db
    .update(children)
    .set({ dataStatus, rejectionReason: rejectionReason ?? null, confirmedAt: new Date() })
    .where(eq(children.id, childId));

/** Links on the page that lead to the in-person procedure of this child. */
const procedureLinks = (html: string, childId: string) =>
  html.match(new RegExp(`href="/cabinet/children/${childId}/confirm"`, 'g'))?.length ?? 0;

describe('the state line of the child’s card', () => {
  it('says «not confirmed», with one link to the procedure and «Активировать сертификат» leading to it', async () => {
    const client = await parent();
    const childId = await childWithCertificate(client, 'Неподтверждённов');
    const html = (await client.get('/cabinet/children')).body;
    expect(textOf(html)).toContain('Данные не подтверждены — подтвердите их лично');
    expect(procedureLinks(html, childId)).toBe(1);
    expect(html).toMatch(/<a href="\/cabinet\/children\/[\w-]+\/confirm">подтвердить данные<\/a>/);
    // «Активировать сертификат» stays under the number, and points at the state that says what to do.
    expect(html).toContain(`<a href="#child-${childId}-state">Активировать сертификат</a>`);
    expect(html).toContain(`id="child-${childId}-state"`);
    expect(textOf(html)).not.toContain('В настоящее время финансирование сертификата не осуществляется');
  });

  it('says why the data were rejected and what to do', async () => {
    const client = await parent();
    const childId = await childWithCertificate(client, 'Отклонённов');
    await setStatus(childId, 'rejected', 'номер свидетельства не совпадает с документом');
    const html = (await client.get('/cabinet/children')).body;
    expect(textOf(html)).toContain(
      'Данные отклонены: номер свидетельства не совпадает с документом — исправьте и подтвердите снова',
    );
    expect(procedureLinks(html, childId)).toBe(1);
    expect(html).toContain(`href="/cabinet/children/${childId}/edit">Изменить данные</a>`);
  });

  it('says the accounting certificate is in force, keeps the seed’s line under the number, explains edit/delete', async () => {
    const client = await parent();
    const childId = await childWithCertificate(client, 'Подтверждённов');
    await setStatus(childId, 'confirmed');
    const html = (await client.get('/cabinet/children')).body;
    const text = textOf(html);
    expect(text).toContain('Сертификат учёта действует');
    expect(text).toMatch(
      /Сертификат № [\d ]+ В настоящее время финансирование сертификата не осуществляется/,
    );
    expect(procedureLinks(html, childId)).toBe(0);
    expect(text).not.toContain('Активировать сертификат');
    expect(text).toContain('Подтверждённые данные нельзя изменить или удалить в личном кабинете');
    expect(html).toContain(`href="/cabinet/children/${childId}/edit">Как исправить данные</a>`);
  });

  it('says a child without a certificate has none yet', async () => {
    const client = await parent();
    await client.submit(
      '/cabinet/children/new',
      {
        lastName: 'Безсертификатов',
        firstName: 'Пётр',
        birthDate: typedInYear(9, '01-12'),
        sex: 'male',
        documentType: 'birth_certificate',
        documentSeries: 'II-МП',
        documentNumber: '654321',
        documentIssuedAt: typedInYear(9, '02-20'),
        documentIssuedBy: 'Отдел ЗАГС Администрации города Смоленска',
        municipalityId: '1',
        registrationAddress: 'г. Смоленск, ул. Ленина, д. 5, кв. 12',
      },
      '/cabinet/children',
    );
    const text = textOf((await client.get('/cabinet/children')).body);
    expect(text).toContain('Сертификат не получен — нажмите «Получить сертификат»');
    expect(text).not.toContain('подтвердить данные');
  });
});

describe('edit and delete of a confirmed child', () => {
  it('GET /edit and /delete answer 200 with the explanation and the office, and no form', async () => {
    const client = await parent();
    const childId = await childWithCertificate(client, 'Закрытов');
    await setStatus(childId, 'confirmed');
    for (const [path, title] of [
      ['edit', 'Подтверждённые данные изменить нельзя'],
      ['delete', 'Данные ребёнка удалить нельзя'],
    ] as const) {
      const response = await client.get(`/cabinet/children/${childId}/${path}`);
      expect(response.status).toBe(200);
      const text = textOf(response.body);
      expect(text).toContain(title);
      expect(text).toContain('Данные ребёнка подтверждены лично');
      expect(text).toContain('обратитесь к муниципальному администратору');
      expect(text).toContain('Куда обратиться: город Смоленск');
      expect(text).toContain('Муниципальный администратор:');
      expect(text).not.toContain('нельзя отменить');
      expect(response.body).not.toContain(`action="/cabinet/children/${childId}`);
      expect(response.body).not.toContain('name="lastName"');
    }
    // The service still refuses a post by hand.
    const deleted = await client.submit('/cabinet/children', {}, `/cabinet/children/${childId}/delete`);
    expect(deleted.status).toBe(303);
    expect(await database.db.select().from(children).where(eq(children.id, childId))).toHaveLength(1);
  });

  it('refuses to delete a child with applications before asking', async () => {
    const client = await parent();
    const childId = await childWithCertificate(client, 'Заявочный');
    const [child] = await database.db.select().from(children).where(eq(children.id, childId));
    const organizationId = await createOrganization(database.db, 'Дом творчества «Исток»');
    const { groupId } = await createOpenGroup(database.db, { organizationId });
    const filed = await app.services.applications.apply({
      actorUserId: child!.ownerUserId,
      ownerUserId: child!.ownerUserId,
      channel: 'online',
      childId,
      groupId,
    });
    expect(filed.ok).toBe(true);
    const response = await client.get(`/cabinet/children/${childId}/delete`);
    expect(response.status).toBe(200);
    const text = textOf(response.body);
    expect(text).toContain('Данные ребёнка удалить нельзя');
    expect(text).toContain('У ребёнка есть заявки в группы');
    expect(text).not.toContain('нельзя отменить');
    expect(response.body).not.toContain(`action="/cabinet/children/${childId}/delete"`);
    expect(response.body).toContain(`href="/cabinet/children/${childId}/edit"`);
  });
});
