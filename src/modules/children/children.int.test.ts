import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.js';
import { prepareDatabase } from '../../app.js';
import type { Database } from '../../platform/db/client.js';
import { createLogger } from '../../platform/logger.js';
import { createMailingTestApp } from '../../../tests/support/app.js';
import { TestClient, csrfTokenOf, textOf } from '../../../tests/support/client.js';
import type { SmtpSink } from '../../../tests/support/smtp.js';
import { certificates } from '../certificates/schema.js';
import { isValidCertificateNumber } from '../certificates/number.js';
import { children } from './schema.js';
import { currentYear, isoInYear, typedInYear } from '../../../tests/support/dates.js';

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

async function parent(confirmed = true): Promise<TestClient> {
  const email = `mama${++serial}-${Date.now()}@example.ru`;
  const client = new TestClient(app.http, `203.0.114.${serial}`);
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
  if (confirmed) {
    const letter = await sink.waitFor(email);
    await client.get(/(\/verify\/email\?code=[\w-]+)/.exec(letter.text ?? '')![1]!);
  }
  await client.submit('/login', { email, password: 'Смоленск-кружки-2026' });
  return client;
}

const sasha = {
  lastName: 'Орлов',
  firstName: 'Александр',
  middleName: 'Игоревич',
  birthDate: typedInYear(10, '05-12'),
  sex: 'male',
  snils: '112-233-445 95',
  documentType: 'birth_certificate',
  documentSeries: 'ii-мп',
  documentNumber: '123456',
  documentIssuedAt: typedInYear(10, '05-20'),
  documentIssuedBy: 'Отдел ЗАГС Администрации города Смоленска',
  municipalityId: '1',
  registrationAddress: 'г. Смоленск, ул. Ленина, д. 5, кв. 12',
};

async function addChild(client: TestClient, fields: Record<string, string> = sasha) {
  return client.submit('/cabinet/children/new', fields, '/cabinet/children');
}

async function onlyChildId(client: TestClient): Promise<string> {
  const page = await client.get('/cabinet/children');
  return /\/cabinet\/children\/([0-9a-f-]{36})\/edit/.exec(page.body)![1]!;
}

describe('the «Дети» tab (seed step 6)', () => {
  it('saves a child with «Сохранить» and shows the card with «Получить сертификат»', async () => {
    const client = await parent();
    const empty = textOf((await client.get('/cabinet/children')).body);
    expect(empty).toContain('+Добавить ребенка');
    const saved = await addChild(client);
    expect(saved.status).toBe(303);
    const page = textOf((await client.follow(saved)).body);
    expect(page).toContain('Данные ребёнка Орлова Александра Игоревича сохранены');
    expect(page).toContain('Орлов Александр Игоревич');
    // The locality once: the address already names the city of the municipality.
    expect(page).toContain('Адрес регистрации г. Смоленск, ул. Ленина, д. 5, кв. 12');
    expect(page).not.toContain('город Смоленск, г. Смоленск');
    expect(page).toContain(typedInYear(10, '05-12'));
    expect(page).toContain('Свидетельство о рождении II-МП № 123456');
    expect(page).toContain('112-233-445 95');
    expect(page).toContain('Получить сертификат');
    expect(page).not.toContain('подтвердить данные');
  });

  it('shows every error of the child form at once and keeps the values', async () => {
    const client = await parent(false);
    const response = await addChild(client, {
      ...sasha,
      firstName: '',
      birthDate: `31.02.${currentYear - 10}`,
      snils: '112-233-445 96',
      documentSeries: 'МП',
      documentNumber: '12',
      registrationAddress: '',
    });
    expect(response.status).toBe(400);
    const text = textOf(response.body);
    for (const message of [
      'Введите имя ребёнка',
      'Такой даты нет в календаре',
      'Проверьте СНИЛС: контрольное число не совпадает',
      'Серия свидетельства — например, II-МП',
      'Номер свидетельства — 6 цифр',
      'Введите адрес регистрации ребёнка',
    ]) {
      expect(text).toContain(message);
    }
    expect(response.body).toContain('value="Орлов"');
    expect(response.body).toContain('value="112-233-445 96"');
  });

  it('refuses the same child twice in one account, and flags both records when another account adds it', async () => {
    const first = await parent(false);
    await addChild(first, { ...sasha, snils: '', lastName: 'Зуев' });
    const twice = await addChild(first, { ...sasha, snils: '', lastName: 'ЗУЕВ' });
    expect(twice.status).toBe(400);
    expect(textOf(twice.body)).toContain('Этот ребёнок уже добавлен в ваш личный кабинет');

    const second = await parent(false);
    const added = await addChild(second, { ...sasha, snils: '', lastName: 'Зуев' });
    expect(added.status).toBe(303);
    expect(textOf((await second.follow(added)).body)).toContain(
      'Данные ребёнка Зуева Александра Игоревича сохранены',
    );
    const flagged = await database.db.select().from(children).where(eq(children.lastName, 'Зуев'));
    expect(flagged.map((c) => c.possibleDuplicate)).toEqual([true, true]);
  });

  it('never shows, edits or deletes another parent’s child', async () => {
    const owner = await parent(false);
    await addChild(owner, { ...sasha, lastName: 'Чужой', snils: '' });
    const childId = await onlyChildId(owner);
    const stranger = await parent(false);
    expect((await stranger.get(`/cabinet/children/${childId}/edit`)).status).toBe(404);
    expect((await stranger.get(`/cabinet/children/${childId}/confirm`)).status).toBe(404);
    const token = csrfTokenOf((await stranger.get('/cabinet/children/new')).body);
    expect((await stranger.post(`/cabinet/children/${childId}/delete`, { _csrf: token })).status).toBe(404);
    expect((await stranger.post(`/cabinet/children/${childId}`, { _csrf: token, ...sasha })).status).toBe(
      404,
    );
    expect(textOf((await stranger.get('/cabinet/children')).body)).not.toContain('Чужой');
    expect(await database.db.select().from(children).where(eq(children.id, childId))).toHaveLength(1);
  });
});

describe('«Получить сертификат» (seed step 7)', () => {
  it('needs a confirmed e-mail', async () => {
    const client = await parent(false);
    await addChild(client, { ...sasha, lastName: 'Неподтверждённый', snils: '' });
    const childId = await onlyChildId(client);
    const response = await client.submit('/cabinet/children', {}, `/cabinet/children/${childId}/certificate`);
    expect(response.status).toBe(403);
    expect(textOf(response.body)).toContain('Подтвердите адрес электронной почты');
  });

  it('issues one certificate at once, with «Активировать сертификат» and «подтвердить данные», and no second one for 20 parallel clicks', async () => {
    const client = await parent();
    await addChild(client, { ...sasha, lastName: 'Быстров', snils: '' });
    const childId = await onlyChildId(client);
    const token = csrfTokenOf((await client.get('/cabinet/children')).body);
    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        client.post(`/cabinet/children/${childId}/certificate`, { _csrf: token }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(303));
    const issued = await database.db.select().from(certificates).where(eq(certificates.childId, childId));
    expect(issued).toHaveLength(1);
    expect(issued[0]).toMatchObject({
      status: 'awaiting_confirmation',
      type: 'accounting',
      validUntil: isoInYear(10 - 18, '05-11'),
    });
    expect(isValidCertificateNumber(issued[0]!.number)).toBe(true);

    const page = textOf((await client.get('/cabinet/children')).body);
    const number = issued[0]!.number;
    expect(page).toContain(`Сертификат № ${number.slice(0, 2)} ${number.slice(2, 6)} ${number.slice(6)}`);
    expect(page).toContain('Активировать сертификат');
    expect(page).toContain('подтвердить данные');
    expect(page).not.toContain('Получить сертификат');

    const procedure = textOf((await client.get(`/cabinet/children/${childId}/confirm`)).body);
    expect(procedure).toContain('Какие документы взять с собой');
    expect(procedure).toContain('свидетельство о рождении ребёнка');
    expect(procedure).toContain('Куда обратиться: город Смоленск');
    // Data are confirmed by the municipal administrator only: organizations are not listed as places to go.
    expect(procedure).toContain('подтвердить лично у муниципального администратора');
    expect(procedure).toContain('Муниципальный администратор:');
    expect(procedure).not.toContain('Станция юных техников');
  });

  it('after in-person confirmation shows the seed’s last line and no «подтвердить данные»', async () => {
    const client = await parent();
    await addChild(client, { ...sasha, lastName: 'Подтверждённый', snils: '' });
    const childId = await onlyChildId(client);
    await client.submit('/cabinet/children', {}, `/cabinet/children/${childId}/certificate`);
    // The operator's side confirms the data (staff screens come next); here the record is set as they will set it.
    await database.db
      .update(children)
      .set({
        dataStatus: 'confirmed',
        confirmedAt: new Date(),
        confirmedDocument: 'свидетельство о рождении II-МП 123456',
      })
      .where(eq(children.id, childId));
    const page = textOf((await client.get('/cabinet/children')).body);
    expect(page).not.toContain('подтвердить данные');
    expect(page).not.toContain('Активировать сертификат');
    expect(page).toContain('В настоящее время финансирование сертификата не осуществляется');
    expect(page).not.toContain('Изменить данные');
  });

  it('gives the same child added in another account a held certificate, and its parent the same page', async () => {
    const first = await parent();
    await addChild(first, { ...sasha, lastName: 'Двойников' });
    const firstChild = await onlyChildId(first);
    await first.submit('/cabinet/children', {}, `/cabinet/children/${firstChild}/certificate`);
    const second = await parent();
    await addChild(second, { ...sasha, lastName: 'Двойников' });
    const secondChild = await onlyChildId(second);
    const issued = await second.submit(
      '/cabinet/children',
      {},
      `/cabinet/children/${secondChild}/certificate`,
    );
    expect(issued.status).toBe(303);
    const [mine, theirs] = await Promise.all(
      [second, first].map(async (client) => textOf((await client.follow(issued)).body)),
    );
    for (const page of [mine!, theirs!]) {
      expect(page).toContain('Сертификат выдан. Чтобы активировать его, подтвердите данные ребёнка лично.');
      expect(page).toContain('Данные ребёнка проверит муниципальный администратор при личном подтверждении');
      expect(page).not.toMatch(/друг(ом|ой) (личном )?кабинет|приостановлен|уже выдан/);
    }
    const rows = await database.db
      .select({ childId: certificates.childId, status: certificates.status })
      .from(certificates)
      .where(inArray(certificates.childId, [firstChild, secondChild]));
    expect(rows.find((row) => row.childId === firstChild)?.status).toBe('awaiting_confirmation');
    expect(rows.find((row) => row.childId === secondChild)?.status).toBe('suspended');
  });

  it('deletes an unconfirmed child after asking', async () => {
    const client = await parent(false);
    await addChild(client, { ...sasha, lastName: 'Удаляемый', snils: '' });
    const childId = await onlyChildId(client);
    expect(textOf((await client.get(`/cabinet/children/${childId}/delete`)).body)).toContain(
      'Удалить данные ребёнка Удаляемого Александра Игоревича?',
    );
    const deleted = await client.submit(`/cabinet/children/${childId}/delete`, {});
    expect(textOf((await client.follow(deleted)).body)).toContain('Данные ребёнка удалены');
    expect(await database.db.select().from(children).where(eq(children.id, childId))).toHaveLength(0);
  });
});

describe('a teen of 14+ who registered alone', () => {
  it('is offered their own record, prefilled from the profile, and it is marked as the account holder', async () => {
    const email = `teen-${Date.now()}@example.ru`;
    const year = new Date().getUTCFullYear() - 15;
    const client = new TestClient(app.http, '203.0.114.250');
    await client.submit('/register', {
      municipalityId: '17',
      lastName: 'Юный',
      firstName: 'Илья',
      phone: '+79009998877',
      email,
      password: 'Подросток-2026-осень',
      passwordRepeat: 'Подросток-2026-осень',
      applicantKind: 'teen',
      birthDate: `10.10.${year}`,
      consent: 'yes',
    });
    await client.submit('/login', { email, password: 'Подросток-2026-осень' });
    expect(textOf((await client.get('/cabinet/children')).body)).toContain('Добавить свои данные');

    const form = await client.get('/cabinet/children/new?self=1');
    expect(form.body).toContain('value="Юный"');
    expect(form.body).toContain(`value="10.10.${year}"`);
    const saved = await client.post('/cabinet/children', {
      _csrf: csrfTokenOf(form.body),
      self: 'yes',
      lastName: 'Юный',
      firstName: 'Илья',
      birthDate: `10.10.${year}`,
      sex: 'male',
      documentType: 'passport',
      documentSeries: '6615',
      documentNumber: '123987',
      documentIssuedAt: `20.10.${year + 14}`,
      documentIssuedBy: 'УМВД России по Смоленской области',
      municipalityId: '17',
      registrationAddress: 'г. Рославль, ул. Ленина, д. 3',
    });
    expect(saved.status).toBe(303);
    const [record] = await database.db.select().from(children).where(eq(children.lastName, 'Юный'));
    expect(record).toMatchObject({ isSelf: true, documentType: 'passport', documentSeries: '6615' });
    expect(textOf((await client.get('/cabinet/children')).body)).not.toContain('Добавить свои данные');
  });
});
