import { count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.js';
import { auditEvents } from '../../platform/audit/schema.js';
import { queryRows, type Database } from '../../platform/db/client.js';
import { MAIL_JOB_NAME } from '../../platform/mail/mailer.js';
import { createMailingTestApp } from '../../../tests/support/app.js';
import { TestClient, textOf } from '../../../tests/support/client.js';
import type { SmtpSink } from '../../../tests/support/smtp.js';
import { addressesOf, eventually } from '../../../tests/support/smtp.js';
import { consents, sessions, users, verifications } from './schema.js';
import { removeExpired } from './service.js';

const BASE_URL = 'http://navigator.test';
let database: Database;
let sink: SmtpSink;
let app: App;
let serial = 0;

let testbed: Awaited<ReturnType<typeof createMailingTestApp>>;
beforeAll(async () => {
  testbed = await createMailingTestApp(BASE_URL);
  ({ database, sink, app } = testbed);
});
afterAll(async () => {
  await testbed.close();
});

/** A fresh address per test: tests share one database and never see each other's data. */
function newEmail(): string {
  return `parent${++serial}-${Date.now()}@example.ru`;
}

function registration(email: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    municipalityId: '1',
    lastName: 'Иванова',
    firstName: 'Анна',
    middleName: 'Сергеевна',
    phone: '8 (900) 123-45-67',
    email,
    password: 'Лето-в-Смоленске-2026',
    passwordRepeat: 'Лето-в-Смоленске-2026',
    applicantKind: 'parent',
    consent: 'yes',
    ...overrides,
  };
}

function lettersTo(email: string) {
  return sink.received.filter((mail) => addressesOf(mail).includes(email));
}

function linkIn(text: string | undefined, path: string): string {
  const match = new RegExp(`${BASE_URL}(${path}\\?code=[\\w-]+)`).exec(text ?? '');
  if (!match) throw new Error(`No ${path} link in the letter`);
  return match[1]!;
}

async function register(client: TestClient, email: string, overrides: Record<string, string> = {}) {
  return client.submit('/register', registration(email, overrides));
}

async function registerAndConfirm(email: string): Promise<TestClient> {
  const client = new TestClient(app.http);
  await register(client, email);
  const letter = await sink.waitFor(email);
  await client.get(linkIn(letter.text, '/verify/email'));
  return client;
}

async function signIn(client: TestClient, email: string, password = 'Лето-в-Смоленске-2026') {
  return client.submit('/login', { email, password });
}

describe('registration (seed steps 2–4)', () => {
  it('creates the account, stores the consent, and sends the confirmation letter at once', async () => {
    const client = new TestClient(app.http);
    const email = newEmail();
    const started = Date.now();
    const response = await register(client, email.toUpperCase());
    expect(response.status).toBe(303);
    expect(response.location).toBe('/register/check-email');

    const page = await client.follow(response);
    expect(textOf(page.body)).toContain(`Мы отправили письмо на адрес ${email}`);
    expect(textOf(page.body)).toContain('Проверьте папку «Спам»');
    // Whom to ask for help: the administrator of the municipality chosen in the form.
    expect(textOf(page.body)).toContain('Обратитесь к муниципальному администратору: город Смоленск');
    expect(page.body).toContain('Отправить письмо повторно');

    const letter = await sink.waitFor(email);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(letter.subject).toBe(
      'Вы зарегистрированы в навигаторе дополнительного образования Смоленской области — подтвердите адрес электронной почты',
    );
    expect(letter.subject).not.toContain(BASE_URL);
    expect(letter.text).toContain('Пожалуйста, подтвердите получение этого письма по следующей ссылке');
    const link = linkIn(letter.text, '/verify/email');

    const [user] = await database.db.select().from(users).where(eq(users.email, email));
    expect(user).toMatchObject({
      lastName: 'Иванова',
      firstName: 'Анна',
      middleName: 'Сергеевна',
      phone: '+79001234567',
      municipalityId: 1,
      applicantKind: 'parent',
      emailVerifiedAt: null,
    });
    expect(user!.passwordHash).toMatch(/^\$argon2id\$/);
    const agreed = await database.db.select().from(consents).where(eq(consents.userId, user!.id));
    expect(agreed.map((c) => c.document).sort()).toEqual(['privacy_policy', 'user_agreement']);
    expect(agreed.every((c) => /^\d{4}-\d{2}-\d{2}$/.test(c.version))).toBe(true);

    // Only a hash of the code is stored.
    const code = link.split('code=')[1]!;
    const stored = await database.db.select().from(verifications).where(eq(verifications.userId, user!.id));
    expect(stored).toHaveLength(1);
    expect(stored[0]!.codeHash).not.toBe(code);
    expect(stored[0]!.codeHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('shows every wrong field at once in Russian, keeps the values but not the passwords', async () => {
    const client = new TestClient(app.http);
    const response = await client.submit('/register', {
      municipalityId: '',
      lastName: 'Иванова',
      firstName: '',
      middleName: 'Сергеевна2',
      phone: '123',
      email: 'not-an-email',
      password: 'qwerty123',
      passwordRepeat: 'другой пароль',
      applicantKind: 'parent',
    });
    expect(response.status).toBe(400);
    const text = textOf(response.body);
    for (const message of [
      'Исправьте ошибки',
      'Выберите муниципалитет',
      'Введите имя',
      'Введите номер мобильного телефона, например +7 900 123-45-67',
      'Введите адрес электронной почты в формате name@example.ru',
      'Этот пароль слишком простой и часто встречается',
      'Пароли не совпадают',
      'Чтобы зарегистрироваться, подтвердите согласие с документами',
    ]) {
      expect(text).toContain(message);
    }
    expect(response.body).toMatch(/<title>Ошибка: Регистрация/);
    // The summary line names the field it links to, the same message as beside the field.
    expect(response.body).toContain(
      '<a href="#middleName">Отчество может содержать только буквы, дефис, пробел и апостроф</a>',
    );
    expect(response.body).toContain('href="#firstName"');
    expect(response.body).toContain('value="Иванова"');
    expect(response.body).toContain('value="not-an-email"');
    expect(response.body).not.toContain('qwerty123');
    const [row] = await database.db.select({ n: count() }).from(users).where(eq(users.lastName, 'Иванова'));
    expect(row!.n).toBeGreaterThanOrEqual(0);
  });

  it('refuses a password equal to the e-mail and a teen under 14, and accepts a teen of 15', async () => {
    const client = new TestClient(app.http);
    const email = newEmail();
    const same = await register(client, email, { password: email, passwordRepeat: email });
    expect(textOf(same.body)).toContain('Пароль не должен совпадать с адресом электронной почты');

    const today = new Date();
    const young = `${today.getUTCFullYear() - 12}-01-01`;
    const tooYoung = await register(client, email, { applicantKind: 'teen', birthDate: young });
    expect(tooYoung.status).toBe(400);
    expect(textOf(tooYoung.body)).toContain('Самостоятельно зарегистрироваться можно с 14 лет');

    const noSuchDay = await register(client, email, { applicantKind: 'teen', birthDate: '31.02.2010' });
    expect(noSuchDay.status).toBe(400);
    expect(textOf(noSuchDay.body)).toContain('Такой даты нет в календаре');
    expect(textOf(noSuchDay.body)).not.toContain('в формате ДД.ММ.ГГГГ');

    const teenBirth = `01.01.${today.getUTCFullYear() - 15}`;
    const teen = await register(client, email, {
      applicantKind: 'teen',
      birthDate: teenBirth,
      middleName: '',
    });
    expect(teen.status).toBe(303);
    const [user] = await database.db.select().from(users).where(eq(users.email, email));
    expect(user).toMatchObject({
      applicantKind: 'teen',
      birthDate: `${today.getUTCFullYear() - 15}-01-01`,
      middleName: null,
    });
  });

  it('never makes a second account for the same address: same answer, and a letter to the owner', async () => {
    const email = newEmail();
    const first = new TestClient(app.http, '203.0.113.21');
    await register(first, email);
    await sink.waitFor(email);

    const again = await register(
      new TestClient(app.http, '203.0.113.22'),
      email.replace('parent', 'PARENT'),
      {
        lastName: 'Петрова',
      },
    );
    expect(again.status).toBe(303);
    expect(again.location).toBe('/register/check-email');
    await eventually(() => lettersTo(email).length === 2);
    // Unconfirmed: the owner gets a fresh confirmation link.
    expect(lettersTo(email)[1]!.text).toContain('/verify/email?code=');

    await first.get(linkIn(lettersTo(email)[0]!.text, '/verify/email'));
    await register(new TestClient(app.http, '203.0.113.23'), email);
    await eventually(() => lettersTo(email).length === 3);
    expect(lettersTo(email)[2]!.subject).toBe(
      'Попытка повторной регистрации в навигаторе дополнительного образования',
    );

    const [row] = await database.db.select({ n: count() }).from(users).where(eq(users.email, email));
    expect(row!.n).toBe(1);
    const [user] = await database.db.select().from(users).where(eq(users.email, email));
    expect(user!.lastName).toBe('Иванова');
  });

  it('makes exactly one account from 20 parallel registrations with one address', async () => {
    const email = newEmail();
    const clients = Array.from({ length: 20 }, (_, i) => new TestClient(app.http, `198.51.100.${i + 1}`));
    const pages = await Promise.all(clients.map((client) => client.get('/register')));
    const responses = await Promise.all(
      clients.map((client, i) => {
        const token = /name="_csrf" value="([^"]+)"/.exec(pages[i]!.body)![1]!;
        return client.post('/register', { _csrf: token, ...registration(email) });
      }),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(303));
    const [row] = await database.db.select({ n: count() }).from(users).where(eq(users.email, email));
    expect(row!.n).toBe(1);
    // The address is protected from a flood: at most 3 letters in 10 minutes. Every letter is a job, queued
    // with its request: wait until the queued ones are sent, then count (no sleep that a slow worker outruns).
    const jobs = await eventually(async () => {
      const rows = await queryRows(
        database.db,
        sql`select state from pgboss.job where name = ${MAIL_JOB_NAME} and data->>'to' = ${email}`,
      );
      return rows.length > 0 && rows.every((row) => row.state === 'completed') ? rows : null;
    });
    expect(jobs.length).toBeLessThanOrEqual(3);
    expect(lettersTo(email)).toHaveLength(jobs.length);
  });

  it('refuses a form without the CSRF token and changes nothing', async () => {
    const client = new TestClient(app.http);
    const email = newEmail();
    await client.get('/register');
    const response = await client.post('/register', registration(email));
    expect(response.status).toBe(403);
    expect(textOf(response.body)).toContain('Форма устарела');
    expect(await database.db.select().from(users).where(eq(users.email, email))).toHaveLength(0);
  });
});

describe('e-mail confirmation link', () => {
  it('confirms the address once; a second visit says it is already confirmed', async () => {
    const email = newEmail();
    const client = new TestClient(app.http);
    await register(client, email);
    const link = linkIn((await sink.waitFor(email)).text, '/verify/email');
    const first = await client.get(link);
    expect(first.status).toBe(200);
    expect(textOf(first.body)).toContain('Адрес электронной почты подтверждён');
    const [user] = await database.db.select().from(users).where(eq(users.email, email));
    expect(user!.emailVerifiedAt).not.toBeNull();
    const second = await client.get(link);
    expect(textOf(second.body)).toContain('Адрес электронной почты подтверждён');
  });

  it('explains an expired link and offers to send a new one', async () => {
    const email = newEmail();
    const client = new TestClient(app.http);
    await register(client, email);
    const link = linkIn((await sink.waitFor(email)).text, '/verify/email');
    const [user] = await database.db.select().from(users).where(eq(users.email, email));
    await database.db
      .update(verifications)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(verifications.userId, user!.id));
    const page = await client.get(link);
    expect(page.status).toBe(410);
    expect(textOf(page.body)).toContain('Срок действия ссылки истёк');
    expect(page.body).toContain('Отправить письмо повторно');
    expect(page.body).toContain(`value="${email}"`);
  });

  it('says a made-up link is invalid', async () => {
    const page = await new TestClient(app.http).get('/verify/email?code=made-up-code-1234567890');
    expect(page.status).toBe(400);
    expect(textOf(page.body)).toContain('Ссылка недействительна');
  });
});

describe('sign-in, the banner, the cabinet (seed step 5)', () => {
  it('lets an unconfirmed user in with a banner and a resend button; after confirming the banner is gone', async () => {
    const email = newEmail();
    const client = new TestClient(app.http, '203.0.113.40');
    await register(client, email);
    const firstLetter = await sink.waitFor(email);

    const signedIn = await signIn(client, email);
    expect(signedIn.status).toBe(303);
    expect(signedIn.location).toBe('/cabinet');
    const sessionCookie = signedIn.setCookies.find((line) => line.startsWith('sid='))!;
    expect(sessionCookie).toMatch(/HttpOnly/i);
    expect(sessionCookie).toMatch(/SameSite=Lax/i);

    const cabinet = await client.follow(signedIn);
    const text = textOf(cabinet.body);
    expect(text).toContain('Иванова А. С.');
    expect(text).toContain('Личный кабинет');
    expect(text).toContain('Профиль');
    expect(text).toContain('Дети');
    expect(text).toContain('Заявки');
    expect(text).toContain('Подтвердите адрес электронной почты');

    const resent = await client.submit('/cabinet', {}, '/verify/email/resend');
    expect(textOf((await client.follow(resent)).body)).toContain(`Письмо отправлено на адрес ${email}`);
    await eventually(() => lettersTo(email).length === 2);
    expect(firstLetter.text).not.toBe(lettersTo(email)[1]!.text);

    const confirmed = textOf((await client.get(linkIn(lettersTo(email)[1]!.text, '/verify/email'))).body);
    expect(confirmed).toContain('Адрес электронной почты подтверждён');
    expect(confirmed).not.toContain('Подтвердите адрес электронной почты');
    const after = textOf((await client.get('/cabinet')).body);
    expect(after).not.toContain('Подтвердите адрес электронной почты');
    expect(after).toContain('подтверждена');
  });

  it('gives the same answer for an unknown address and a wrong password, and records both', async () => {
    const email = newEmail();
    await registerAndConfirm(email);
    const client = new TestClient(app.http, '203.0.113.41');
    const wrongPassword = await signIn(client, email, 'совсем-не-тот-пароль');
    const unknown = await signIn(client, `nobody-${email}`, 'совсем-не-тот-пароль');
    expect(wrongPassword.status).toBe(401);
    expect(unknown.status).toBe(401);
    const message = 'Неверный адрес электронной почты или пароль';
    expect(textOf(wrongPassword.body)).toContain(message);
    expect(textOf(unknown.body)).toContain(message);
    expect(wrongPassword.body.replace(/value="[^"]*"/g, '')).toBe(unknown.body.replace(/value="[^"]*"/g, ''));
    const failures = await database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'auth.sign_in_failed'));
    expect(failures.length).toBeGreaterThanOrEqual(2);
  });

  it('slows down attempts on one account from one address and says when to try again', async () => {
    const email = newEmail();
    await registerAndConfirm(email);
    const client = new TestClient(app.http, '203.0.113.42');
    for (let attempt = 0; attempt < 10; attempt++) await signIn(client, email, `wrong-${attempt}`);
    // The last counted attempt as of now: on a slow machine the ten may take longer than the first pause (1 s).
    await queryRows(
      database.db,
      sql`update rate_limits set window_start = now() where key = ${`signin:pair:${email}:203.0.113.42`}`,
    );
    const limited = await signIn(client, email);
    expect(limited.status).toBe(429);
    expect(textOf(limited.body)).toMatch(/Слишком много попыток\. Попробуйте через \d+ (секунд|минут)/);
  });

  it('starts a new session at each sign-in and ends it at sign-out', async () => {
    const email = newEmail();
    const client = await registerAndConfirm(email);
    await signIn(client, email);
    const firstToken = client.cookies.get('sid');
    await signIn(new TestClient(app.http), email);
    const [user] = await database.db.select().from(users).where(eq(users.email, email));
    expect(await database.db.select().from(sessions).where(eq(sessions.userId, user!.id))).toHaveLength(2);

    const out = await client.submit('/cabinet', {}, '/logout');
    expect(out.location).toBe('/');
    expect(client.cookies.get('sid')).toBeUndefined();
    expect(await database.db.select().from(sessions).where(eq(sessions.userId, user!.id))).toHaveLength(1);
    // The old cookie no longer opens the cabinet.
    client.cookies.set('sid', firstToken!);
    const cabinet = await client.get('/cabinet');
    expect(cabinet.status).toBe(303);
    expect(cabinet.location).toBe('/login?next=%2Fcabinet');
  });
});

describe('passwords and e-mail changes', () => {
  it('resets a forgotten password by a one-time link and ends every session', async () => {
    const email = newEmail();
    const client = await registerAndConfirm(email);
    await signIn(client, email);
    const stranger = new TestClient(app.http, '203.0.113.50');
    const asked = await stranger.submit('/password/forgot', { email });
    expect(asked.location).toBe('/password/forgot/sent');
    const unknown = await stranger.submit('/password/forgot', { email: `nobody-${email}` });
    expect(unknown.location).toBe('/password/forgot/sent');

    await eventually(() => lettersTo(email).some((m) => m.subject?.startsWith('Восстановление пароля')));
    const letter = lettersTo(email).find((m) => m.subject?.startsWith('Восстановление пароля'))!;
    const link = linkIn(letter.text, '/password/reset');
    const code = link.split('code=')[1]!;
    const saved = await stranger.submit(link, {
      code,
      password: 'Новый-пароль-для-входа',
      passwordRepeat: 'Новый-пароль-для-входа',
    });
    expect(saved.location).toBe('/login');
    expect(textOf((await stranger.follow(saved)).body)).toContain('Пароль изменён');

    expect((await client.get('/cabinet')).status).toBe(303);
    expect((await signIn(new TestClient(app.http), email, 'Новый-пароль-для-входа')).location).toBe(
      '/cabinet',
    );
    expect((await stranger.get(link)).status).toBe(400);
  });

  it('changes the password only with the current one, and keeps this session', async () => {
    const email = newEmail();
    const client = await registerAndConfirm(email);
    await signIn(client, email);
    const wrong = await client.submit('/cabinet/password', {
      currentPassword: 'не тот',
      password: 'Другой-пароль-2027',
      passwordRepeat: 'Другой-пароль-2027',
    });
    expect(textOf(wrong.body)).toContain('Неверный текущий пароль');
    const done = await client.submit('/cabinet/password', {
      currentPassword: 'Лето-в-Смоленске-2026',
      password: 'Другой-пароль-2027',
      passwordRepeat: 'Другой-пароль-2027',
    });
    expect(textOf((await client.follow(done)).body)).toContain('Пароль изменён');
    const [user] = await database.db.select().from(users).where(eq(users.email, email));
    const changes = await database.db.select().from(auditEvents).where(eq(auditEvents.subjectId, user!.id));
    expect(changes.map((e) => e.action)).toContain('auth.password_changed');
  });

  it('changes the e-mail only after the new address is confirmed', async () => {
    const email = newEmail();
    const newAddress = newEmail();
    const client = await registerAndConfirm(email);
    await signIn(client, email);
    const asked = await client.submit('/cabinet/email', {
      email: newAddress,
      currentPassword: 'Лето-в-Смоленске-2026',
    });
    expect(textOf((await client.follow(asked)).body)).toContain(`Мы отправили ссылку на адрес ${newAddress}`);
    const [before] = await database.db.select().from(users).where(eq(users.email, email));
    expect(before).toBeDefined();

    const letter = await sink.waitFor(newAddress);
    await eventually(() => lettersTo(email).some((m) => m.subject?.startsWith('Запрошена смена адреса')));
    const confirmed = await client.get(linkIn(letter.text, '/verify/email'));
    expect(textOf(confirmed.body)).toContain('Адрес электронной почты изменён');
    const [after] = await database.db.select().from(users).where(eq(users.id, before!.id));
    expect(after!.email).toBe(newAddress);
  });

  it('edits the profile with the same validation', async () => {
    const email = newEmail();
    const client = await registerAndConfirm(email);
    await signIn(client, email);
    const bad = await client.submit('/cabinet/profile', {
      municipalityId: '99',
      lastName: '',
      firstName: 'Анна',
      phone: '+7 900 000',
    });
    expect(bad.status).toBe(400);
    expect(textOf(bad.body)).toContain('Выберите муниципалитет из списка');
    expect(textOf(bad.body)).toContain('Введите фамилию');
    const saved = await client.submit('/cabinet/profile', {
      municipalityId: '4',
      lastName: 'Смирнова',
      firstName: 'Анна',
      middleName: '',
      phone: '+7 (910) 765 43 21',
    });
    const page = textOf((await client.follow(saved)).body);
    expect(page).toContain('Данные профиля сохранены');
    expect(page).toContain('Смирнова А.');
    expect(page).toContain('Вяземский');
    expect(page).toContain('+7 910 765-43-21');
  });
});

describe('housekeeping', () => {
  it('removes expired sessions and old one-time links, and keeps live ones', async () => {
    const email = newEmail();
    const client = await registerAndConfirm(email);
    await signIn(client, email);
    const [user] = await database.db.select().from(users).where(eq(users.email, email));
    const [live] = await database.db.select().from(sessions).where(eq(sessions.userId, user!.id));
    await database.db.insert(sessions).values({
      tokenHash: 'expired-session-hash',
      userId: user!.id,
      expiresAt: new Date(Date.now() - 1000),
    });
    await database.db
      .update(verifications)
      .set({ usedAt: new Date(Date.now() - 8 * 24 * 3600 * 1000) })
      .where(eq(verifications.userId, user!.id));

    await database.transaction((tx) => removeExpired(tx));

    const left = await database.db.select().from(sessions).where(eq(sessions.userId, user!.id));
    expect(left.map((s) => s.tokenHash)).toEqual([live!.tokenHash]);
    expect(
      await database.db.select().from(verifications).where(eq(verifications.userId, user!.id)),
    ).toHaveLength(0);
    expect((await client.get('/cabinet')).status).toBe(200);
  });
});
