import { and, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.js';
import { auditEvents } from '../../platform/audit/schema.js';
import type { Database } from '../../platform/db/client.js';
import { rateLimits } from '../../platform/security/schema.js';
import { createMailingTestApp } from '../../../tests/support/app.js';
import { TestClient, csrfTokenOf, textOf } from '../../../tests/support/client.js';
import { eventually, type SmtpSink } from '../../../tests/support/smtp.js';
import { createStaffAccount } from '../accounts/service.js';
import { users } from '../accounts/schema.js';
import { supportRequests } from './schema.js';

/**
 * The support desk on both databases, with letters through a real SMTP server on loopback: a letter the server
 * refused shows the server's answer, the operator's resend delivers it, a mistyped address is corrected, and every
 * boundary — another municipality, a higher role, CSRF, no reason, hostile input — holds.
 */
let database: Database;
let sink: SmtpSink;
let app: App;
let testbed: Awaited<ReturnType<typeof createMailingTestApp>>;
const PASSWORD = 'Сотрудник-навигатора-67';
const staff: Record<string, TestClient> = {};
const ids: Record<string, string> = {};
const REFUSED = 'ivanova.oshibka@example.ru';

async function signedIn(email: string, ip: string): Promise<TestClient> {
  const client = new TestClient(app.http, ip);
  expect((await client.submit('/login', { email, password: PASSWORD })).status).toBe(303);
  return client;
}

const accountUrl = (name: string) => `/staff/support/accounts/${ids[name]}`;

/** Posts one of the account page's forms as the operator's browser would (the CSRF token from the page). */
async function act(client: TestClient, name: string, action: string, fields: Record<string, string>) {
  const page = await client.get(accountUrl(name));
  const token = page.status === 200 ? csrfTokenOf(page.body) : csrfTokenOf((await client.get('/staff')).body);
  return client.post(`${accountUrl(name)}/${action}`, { _csrf: token, ...fields });
}

async function userRow(name: string) {
  const [row] = await database.db.select().from(users).where(eq(users.id, ids[name]!));
  return row!;
}

beforeAll(async () => {
  testbed = await createMailingTestApp();
  ({ database, sink, app } = testbed);
  const accounts = {
    coordinator: { role: 'coordinator' },
    adminSmolensk: { role: 'municipal_admin', municipalityId: 1 },
    adminDesnogorsk: { role: 'municipal_admin', municipalityId: 2 },
    otherAdminDesnogorsk: { role: 'municipal_admin', municipalityId: 2 },
  } as const;
  let ip = 1;
  for (const [name, role] of Object.entries(accounts)) {
    const email = `${name.toLowerCase()}@support.example.ru`;
    ids[name] = (await createStaffAccount(database, {
      ...role,
      email,
      password: PASSWORD,
      lastName: 'Сотрудникова',
      firstName: 'Анна',
    }))!;
    staff[name] = await signedIn(email, `203.0.116.${ip++}`);
  }
  // A parent of Десногорск whose address the mail server refuses: the typo the seed's parents call about.
  sink.refused.set(REFUSED, '550 5.1.1 Mailbox unavailable');
  const parent = new TestClient(app.http, '203.0.116.100');
  await parent.submit('/register', {
    municipalityId: '2',
    lastName: 'Иванова',
    firstName: 'Мария',
    middleName: 'Сергеевна',
    phone: '+79005554433',
    email: REFUSED,
    password: PASSWORD,
    passwordRepeat: PASSWORD,
    applicantKind: 'parent',
    consent: 'yes',
  });
  const [row] = await database.db.select().from(users).where(eq(users.email, REFUSED));
  ids.parent = row!.id;
});
afterAll(async () => {
  await testbed?.close();
});

describe('the support desk', () => {
  it('finds the account by a part of the address, the phone and the ФИО (any case, ё as е), within reach only', async () => {
    for (const q of ['oshibka@', '8 (900) 555-44-33', 'иванова мария', 'ИВАНОВА Мария Сергеевна']) {
      const found = await staff.adminDesnogorsk!.get(`/staff/support?q=${encodeURIComponent(q)}`);
      expect(found.status, q).toBe(200);
      expect(found.headers['cache-control']).toBe('no-store');
      expect(found.body, q).toContain(accountUrl('parent'));
    }
    // Another municipality's administrator does not find Десногорск's parent; the coordinator does.
    const elsewhere = await staff.adminSmolensk!.get('/staff/support?q=oshibka%40');
    expect(elsewhere.body).not.toContain(ids.parent);
    expect(textOf(elsewhere.body)).toContain('Найдено: 0');
    expect((await staff.coordinator!.get('/staff/support?q=oshibka%40')).body).toContain(ids.parent);
    // Administrators are not listed to another administrator, nor the coordinator to anyone.
    const admins = await staff.adminDesnogorsk!.get(
      '/staff/support?q=support.example.ru%40'.replace('%40', ''),
    );
    expect(admins.status).toBe(400);
    const byDomain = await staff.adminDesnogorsk!.get('/staff/support?q=%40support.example.ru');
    expect(byDomain.body).not.toContain(ids.otherAdminDesnogorsk);
    expect(byDomain.body).not.toContain(ids.coordinator);
    expect((await staff.coordinator!.get('/staff/support?q=%40support.example.ru')).body).toContain(
      ids.otherAdminDesnogorsk,
    );
    const searched = await database.db
      .select()
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.action, 'support.accounts_searched'),
          eq(auditEvents.actorUserId, ids.adminDesnogorsk!),
        ),
      );
    expect(searched.length).toBeGreaterThanOrEqual(4);
    expect(JSON.stringify(searched.map((row) => row.details))).not.toContain('oshibka');
  });

  it('says what is wrong with a query, keeps it escaped, and never answers 500 to a huge or odd one', async () => {
    const hostile = await staff.adminDesnogorsk!.get(
      `/staff/support?q=${encodeURIComponent('<script>alert(1)</script>')}`,
    );
    expect(hostile.status).toBe(400);
    expect(hostile.body).not.toContain('<script>alert(1)</script>');
    expect(textOf(hostile.body)).toContain('Введите адрес электронной почты, телефон или ФИО');
    for (const q of ['x'.repeat(5000), '12', '%_@', "o'brien@"]) {
      const response = await staff.adminDesnogorsk!.get(
        `/staff/support?q=${encodeURIComponent(q)}&page=99999`,
      );
      expect(response.status, q).toBeLessThan(500);
    }
  });

  it('shows a refused letter with the SMTP server’s answer, and the operator’s resend delivers it', async () => {
    await eventually(async () => {
      const page = await staff.adminDesnogorsk!.get(accountUrl('parent'));
      return textOf(page.body).includes('550 5.1.1 Mailbox unavailable');
    }, 60_000);
    const page = await staff.adminDesnogorsk!.get(accountUrl('parent'));
    const text = textOf(page.body);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(text).toContain('адрес не подтверждён');
    expect(text).toMatch(/Не отправлено, попыток: \d+; следующая — /);
    expect(text).toContain('ещё не входил');
    const viewed = await database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'support.account_viewed'), eq(auditEvents.subjectId, ids.parent!)));
    expect(viewed.length).toBeGreaterThan(0);

    // The mailbox works again (the parent's provider fixed it): the operator sends the letter once more.
    sink.refused.delete(REFUSED);
    const noReason = await act(staff.adminDesnogorsk!, 'parent', 'resend-confirmation', {
      resendReason: '  ',
    });
    expect(noReason.status).toBe(400);
    expect(textOf(noReason.body)).toContain('Укажите причину');
    const sent = await act(staff.adminDesnogorsk!, 'parent', 'resend-confirmation', {
      resendReason: 'Позвонила мама: <b>письмо</b> не пришло',
    });
    expect(sent.status).toBe(303);
    const after = await staff.adminDesnogorsk!.get(accountUrl('parent'));
    expect(textOf(after.body)).toContain('Письмо для подтверждения адреса поставлено в очередь на отправку.');
    const letter = await sink.waitFor(REFUSED, 60_000, 'подтвердите адрес');
    expect(letter.text).toMatch(/\/verify\/email\?code=/);
    await eventually(async () =>
      textOf((await staff.adminDesnogorsk!.get(accountUrl('parent'))).body).includes(
        'Передано почтовому серверу',
      ),
    );
    const [audited] = await database.db
      .select()
      .from(auditEvents)
      .where(
        and(eq(auditEvents.action, 'support.confirmation_resent'), eq(auditEvents.subjectId, ids.parent!)),
      );
    expect(audited!.actorUserId).toBe(ids.adminDesnogorsk);
    expect(audited!.details).toEqual({ reason: 'Позвонила мама: <b>письмо</b> не пришло' });
    expect(audited!.requestId).toBeTruthy();
  });

  it('corrects a mistyped address: the new one gets the link and confirms it; the unconfirmed old one is told nothing', async () => {
    const taken = await act(staff.adminDesnogorsk!, 'parent', 'email', {
      newEmail: 'admindesnogorsk@support.example.ru',
      emailReason: 'Опечатка в адресе',
    });
    expect(taken.status).toBe(400);
    expect(textOf(taken.body)).toContain('С этим адресом уже есть другая учётная запись');
    const before = sink.received.length;
    const corrected = await act(staff.adminDesnogorsk!, 'parent', 'email', {
      newEmail: ' Ivanova@Example.ru ',
      emailReason: 'Опечатка в адресе, сверено по телефону',
    });
    expect(corrected.status).toBe(303);
    expect((await userRow('parent')).email).toBe('ivanova@example.ru');
    const letter = await sink.waitFor('ivanova@example.ru', 60_000, 'подтвердите адрес');
    const link = /(\/verify\/email\?code=[\w-]+)/.exec(letter.text ?? '')![1]!;
    // The old address's pending link ended with the change; the new one works.
    const oldLetter = sink.received.find(
      (mail) => mail.text?.includes('/verify/email?code=') && mail !== letter,
    );
    const oldLink = /(\/verify\/email\?code=[\w-]+)/.exec(oldLetter?.text ?? '')?.[1];
    expect(oldLink).toBeDefined();
    expect(textOf((await new TestClient(app.http).get(oldLink!)).body)).toContain('Ссылка недействительна');
    await new TestClient(app.http).get(link);
    expect((await userRow('parent')).emailVerifiedAt).not.toBeNull();
    expect(sink.received.slice(before).some((mail) => (mail.text ?? '').includes('изменён на'))).toBe(false);
    // The page lists the letters to both addresses.
    const text = textOf((await staff.adminDesnogorsk!.get(accountUrl('parent'))).body);
    expect(text).toContain(REFUSED);
    expect(text).toContain('адрес подтверждён');
  });

  it('a confirmed address corrected is told, with its undo link, as after the owner’s own change', async () => {
    const corrected = await act(staff.coordinator!, 'parent', 'email', {
      newEmail: 'ivanova.new@example.ru',
      emailReason: 'Родитель сменил почту',
    });
    expect(corrected.status).toBe(303);
    const told = await sink.waitFor('ivanova@example.ru', 60_000, 'изменён');
    expect(told.text).toContain('ivanova.new@example.ru');
    expect(told.text).toMatch(/\/email\/undo\?code=/);
    expect((await userRow('parent')).emailVerifiedAt).toBeNull();
  });

  it('confirms by hand, sends a reset link and lifts the account’s locks — each with its reason and flash', async () => {
    const confirmed = await act(staff.adminDesnogorsk!, 'parent', 'confirm-email', {
      confirmReason: 'Родитель пришёл лично, адрес сверен',
    });
    expect(confirmed.status).toBe(303);
    expect(textOf((await staff.adminDesnogorsk!.get(accountUrl('parent'))).body)).toContain(
      'Адрес электронной почты подтверждён.',
    );
    expect((await userRow('parent')).emailVerifiedAt).not.toBeNull();
    const again = await act(staff.adminDesnogorsk!, 'parent', 'confirm-email', { confirmReason: 'ещё раз' });
    expect(again.status).toBe(303);
    expect(textOf((await staff.adminDesnogorsk!.get(accountUrl('parent'))).body)).toContain(
      'Адрес уже подтверждён',
    );

    const reset = await act(staff.adminDesnogorsk!, 'parent', 'password-reset', {
      resetReason: 'Забыла пароль',
    });
    expect(reset.status).toBe(303);
    const letter = await sink.waitFor('ivanova.new@example.ru', 60_000, 'Восстановление пароля');
    expect(letter.text).toMatch(/\/password\/reset\?code=/);

    // Letters to the address used up, and sign-in slowed from two addresses: the desk shows it, and lifts it.
    const email = (await userRow('parent')).email;
    await database.db.insert(rateLimits).values([
      { key: `letters:${email}`, windowStart: new Date(), hits: 5 },
      { key: `signin:pair:${email}:203.0.113.9`, windowStart: new Date(), hits: 9 },
      { key: `signin:pair:${email}:203.0.113.10`, windowStart: new Date(), hits: 7 },
      { key: `signin:pair:someone-else@example.ru:203.0.113.9`, windowStart: new Date(), hits: 9 },
    ]);
    const locked = textOf((await staff.adminDesnogorsk!.get(accountUrl('parent'))).body);
    expect(locked).toContain('Письма на этот адрес: лимит исчерпан');
    expect(locked).toContain('Вход замедлен после неверных паролей');
    const lifted = await act(staff.adminDesnogorsk!, 'parent', 'unlock', { unlockReason: 'Не может войти' });
    expect(lifted.status).toBe(303);
    const left = await database.db
      .select()
      .from(rateLimits)
      .where(like(rateLimits.key, `%${email}%`));
    expect(left).toEqual([]);
    const [other] = await database.db
      .select()
      .from(rateLimits)
      .where(eq(rateLimits.key, 'signin:pair:someone-else@example.ru:203.0.113.9'));
    expect(other).toBeDefined();
    expect(textOf((await staff.adminDesnogorsk!.get(accountUrl('parent'))).body)).toContain(
      'Ограничения сняты.',
    );

    const actions = await database.db
      .select({ action: auditEvents.action, details: auditEvents.details })
      .from(auditEvents)
      .where(and(eq(auditEvents.subjectId, ids.parent!), like(auditEvents.action, 'support.%')));
    expect(actions).toEqual(
      expect.arrayContaining([
        { action: 'support.email_confirmed', details: { reason: 'Родитель пришёл лично, адрес сверен' } },
        { action: 'support.password_reset_sent', details: { reason: 'Забыла пароль' } },
        { action: 'support.locks_lifted', details: { reason: 'Не может войти', counters: 3 } },
        { action: 'support.email_corrected', details: { reason: 'Опечатка в адресе, сверено по телефону' } },
      ]),
    );
  });

  it('refuses, with 404 and no change, another municipality, a higher or equal role, and a form without CSRF', async () => {
    const before = await userRow('parent');
    // Смоленск's administrator and Десногорск's parent: not found, whatever the action.
    expect((await staff.adminSmolensk!.get(accountUrl('parent'))).status).toBe(404);
    for (const [action, fields] of [
      ['email', { newEmail: 'attacker@example.ru', emailReason: 'x' }],
      ['password-reset', { resetReason: 'x' }],
      ['unlock', { unlockReason: 'x' }],
      ['confirm-email', { confirmReason: 'x' }],
      ['resend-confirmation', { resendReason: 'x' }],
    ] as const) {
      const response = await act(staff.adminSmolensk!, 'parent', action, fields);
      expect(response.status, action).toBe(404);
      expect(response.body).not.toContain('ivanova');
    }
    // An administrator may not touch another administrator's account, nor anyone the coordinator's.
    expect((await staff.adminDesnogorsk!.get(accountUrl('otherAdminDesnogorsk'))).status).toBe(404);
    expect((await staff.adminDesnogorsk!.get(accountUrl('coordinator'))).status).toBe(404);
    expect(
      (
        await act(staff.adminDesnogorsk!, 'coordinator', 'email', {
          newEmail: 'attacker@example.ru',
          emailReason: 'x',
        })
      ).status,
    ).toBe(404);
    expect((await staff.coordinator!.get(accountUrl('otherAdminDesnogorsk'))).status).toBe(200);
    // No CSRF token: refused before anything runs.
    const forged = await staff.adminDesnogorsk!.post(`${accountUrl('parent')}/email`, {
      newEmail: 'attacker@example.ru',
      emailReason: 'x',
    });
    expect(forged.status).toBe(403);
    expect((await userRow('parent')).email).toBe(before.email);
    const denied = await database.db
      .select()
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.action, 'support.account_access_denied'),
          eq(auditEvents.actorUserId, ids.adminSmolensk!),
        ),
      );
    expect(denied.length).toBeGreaterThan(0);
    const coordinatorRow = await userRow('coordinator');
    expect(coordinatorRow.email).toBe('coordinator@support.example.ru');
  });
});

describe('«Задать вопрос» and the requests of the desk', () => {
  let requestId: string;

  it('a guest asks for Десногорск: all errors at once, then the request goes to Десногорск’s desk only', async () => {
    const guest = new TestClient(app.http, '203.0.116.150');
    const empty = await guest.submit('/support/ask', {});
    expect(empty.status).toBe(400);
    const errors = textOf(empty.body);
    for (const message of [
      'Выберите тему вопроса',
      'Опишите, что случилось',
      'Введите адрес электронной почты',
      'Выберите муниципалитет',
    ])
      expect(errors).toContain(message);
    const asked = await guest.submit('/support/ask', {
      topic: 'letter',
      text: 'Не пришло письмо.\n\n<script>alert(1)</script>',
      email: 'Guest@Example.ru',
      municipalityId: '2',
    });
    expect(asked.status).toBe(303);
    expect(asked.location).toBe('/support/ask/sent');
    const list = await staff.adminDesnogorsk!.get('/staff/support/requests');
    requestId = /\/staff\/support\/requests\/([0-9a-f-]{36})/.exec(list.body)![1]!;
    expect(textOf(list.body)).toContain('guest@example.ru');
    expect((await staff.adminSmolensk!.get('/staff/support/requests')).body).not.toContain(requestId);
    expect((await staff.adminSmolensk!.get(`/staff/support/requests/${requestId}`)).status).toBe(404);
    const page = await staff.adminDesnogorsk!.get(`/staff/support/requests/${requestId}`);
    expect(page.body).not.toContain('<script>alert(1)</script>');
    expect(textOf(page.body)).toContain('Новое');
    // The workspace counts it for Десногорск's administrator and the coordinator, not for Смоленск's.
    expect(textOf((await staff.adminDesnogorsk!.get('/staff')).body)).toMatch(/1\s*Обращения: ждут ответа/);
    expect(textOf((await staff.adminSmolensk!.get('/staff')).body)).toMatch(/0\s*Обращения: ждут ответа/);
    expect(textOf((await staff.coordinator!.get('/staff')).body)).toMatch(/1\s*Обращения: ждут ответа/);
  });

  it('a signed-in parent’s question goes to their profile’s municipality, prefilled with their address', async () => {
    const parent = await signedIn('ivanova.new@example.ru', '203.0.116.151');
    const form = await parent.get('/support/ask');
    expect(form.body).toContain('value="ivanova.new@example.ru"');
    expect(form.body).not.toContain('name="municipalityId"');
    // A guest's municipality field sent by a signed-in person is ignored: the profile's decides.
    expect(
      (
        await parent.submit('/support/ask', {
          topic: 'other',
          text: 'Вопрос',
          email: 'ivanova.new@example.ru',
          municipalityId: '1',
        })
      ).status,
    ).toBe(303);
    const [asked] = await database.db
      .select()
      .from(supportRequests)
      .where(eq(supportRequests.userId, ids.parent!));
    expect(asked!.municipalityId).toBe(2);
    expect(asked!.email).toBe('ivanova.new@example.ru');
  });

  it('answers by e-mail through the queue, with the status «Отвечено»; refuses another municipality and a forged form', async () => {
    const url = `/staff/support/requests/${requestId}`;
    const empty = await staff.adminDesnogorsk!.submit(url, { answer: ' ' }, `${url}/answer`);
    expect(empty.status).toBe(400);
    expect(textOf(empty.body)).toContain('Напишите ответ');
    const foreign = await staff.adminSmolensk!.submit('/staff', { answer: 'Чужой ответ' }, `${url}/answer`);
    expect(foreign.status).toBe(404);
    const forged = await staff.adminDesnogorsk!.post(`${url}/answer`, { answer: 'Без CSRF' });
    expect(forged.status).toBe(403);
    const answered = await staff.adminDesnogorsk!.submit(
      url,
      { answer: 'Письмо отправлено повторно.\n\nПроверьте «Спам».' },
      `${url}/answer`,
    );
    expect(answered.status).toBe(303);
    const letter = await sink.waitFor('guest@example.ru', 60_000, 'Ответ на ваше обращение');
    expect(letter.text).toContain('Проверьте «Спам».');
    expect(letter.text).not.toContain('Чужой ответ');
    const page = textOf((await staff.adminDesnogorsk!.get(url)).body);
    expect(page).toContain('Отвечено');
    expect(page).toContain('Письмо отправлено повторно.');
    const closed = await staff.adminDesnogorsk!.submit(url, { status: 'closed' }, `${url}/status`);
    expect(closed.status).toBe(303);
    expect(textOf((await staff.adminDesnogorsk!.get(`${url}`)).body)).toContain(
      'Состояние обращения: «Закрыто».',
    );
    expect((await staff.adminSmolensk!.submit('/staff', { status: 'new' }, `${url}/status`)).status).toBe(
      404,
    );
    const [answeredRow] = await database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'support.request_answered'), eq(auditEvents.subjectId, requestId)));
    expect(answeredRow!.actorUserId).toBe(ids.adminDesnogorsk);
  });

  it('is rate limited per client address', async () => {
    const guest = new TestClient(app.http, '203.0.116.160');
    const ask = (n: number) =>
      guest.submit('/support/ask', {
        topic: 'other',
        text: `Вопрос ${n}`,
        email: `many${n}@example.ru`,
        municipalityId: '2',
      });
    for (let n = 0; n < 5; n++) expect((await ask(n)).status).toBe(303);
    const limited = await ask(5);
    expect(limited.status).toBe(429);
    expect(textOf(limited.body)).toContain('Слишком много вопросов подряд');
  });
});
