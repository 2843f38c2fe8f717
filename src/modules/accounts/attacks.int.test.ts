import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.js';
import { loadConfig } from '../../platform/config.js';
import type { Database } from '../../platform/db/client.js';
import { createLogger } from '../../platform/logger.js';
import { smtpTransport } from '../../platform/mail/transport.js';
import { createMailingTestApp, createTestApp } from '../../../tests/support/app.js';
import { csrfTokenOf, TestClient, textOf } from '../../../tests/support/client.js';
import { addressesOf, eventually, type SmtpSink } from '../../../tests/support/smtp.js';
import { createFamily } from '../../../tests/support/enrolment.js';
import { hashPassword } from './password.js';
import { sessions, users } from './schema.js';

// The attacks of issue 12, each replayed against the app: every one of them worked before the fix.

const BASE_URL = 'http://navigator.test';
const PASSWORD = 'Лето-в-Смоленске-2026';
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

function newEmail(who = 'owner'): string {
  return `${who}${++serial}-${Date.now()}@example.ru`;
}

/** A distinct client address per call: the registration limit per address stays out of the way. */
function newIp(): string {
  serial++;
  return `198.18.${Math.floor(serial / 250)}.${(serial % 250) + 1}`;
}

function lettersTo(email: string, subject = '') {
  return sink.received.filter(
    (mail) => addressesOf(mail).includes(email) && (mail.subject ?? '').includes(subject),
  );
}

function linkIn(text: string | undefined, path: string): string {
  const match = new RegExp(`${BASE_URL}(${path}\\?code=[\\w-]+)`).exec(text ?? '');
  if (!match) throw new Error(`No ${path} link in the letter`);
  return match[1]!;
}

/** Waits for the `count`-th letter to `email` whose subject has `subject`, and returns its link to `path`. */
async function nthLink(email: string, subject: string, count: number, path: string): Promise<string> {
  const letters = await eventually(() => {
    const found = lettersTo(email, subject);
    return found.length >= count && found;
  });
  return linkIn(letters[count - 1]!.text, path);
}

async function registerAndConfirm(email: string): Promise<void> {
  const client = new TestClient(app.http, newIp());
  const registered = await client.submit('/register', {
    municipalityId: '1',
    lastName: 'Иванова',
    firstName: 'Анна',
    phone: '8 (900) 123-45-67',
    email,
    password: PASSWORD,
    passwordRepeat: PASSWORD,
    applicantKind: 'parent',
    consent: 'yes',
  });
  expect(registered.status).toBe(303);
  await client.get(await nthLink(email, 'Вы зарегистрированы', 1, '/verify/email'));
}

async function signedIn(email: string, password = PASSWORD, ip = newIp()): Promise<TestClient> {
  const client = new TestClient(app.http, ip);
  const response = await client.submit('/login', { email, password });
  expect(response.location).toBe('/cabinet');
  return client;
}

async function emailOf(userEmail: string): Promise<string | undefined> {
  const [user] = await database.db.select().from(users).where(eq(users.email, userEmail));
  return user?.email;
}

describe('e-mail change takeover (issue 12, fault test 10 d)', () => {
  it('a change link asked for by someone who knew the password dies when the owner changes the password', async () => {
    const owner = newEmail();
    const attackerAddress = newEmail('attacker');
    await registerAndConfirm(owner);
    const [account] = await database.db.select().from(users).where(eq(users.email, owner));

    // The attacker knows the password: signs in and asks to move the account to their own address.
    const attacker = await signedIn(owner);
    const asked = await attacker.submit('/cabinet/email', {
      email: attackerAddress,
      currentPassword: PASSWORD,
    });
    expect(asked.location).toBe('/cabinet');
    const changeLink = await nthLink(attackerAddress, 'Подтвердите новый адрес', 1, '/verify/email');

    // The owner notices and changes the password.
    const ownerClient = await signedIn(owner);
    const changed = await ownerClient.submit('/cabinet/password', {
      currentPassword: PASSWORD,
      password: 'Другой-пароль-2027',
      passwordRepeat: 'Другой-пароль-2027',
    });
    expect(changed.location).toBe('/cabinet');

    // The attacker (whose session ended with the password change) opens the change link: it is dead.
    const opened = await attacker.get(changeLink);
    expect(opened.status).toBe(400);
    expect(textOf(opened.body)).toContain('Ссылка недействительна');
    const [after] = await database.db.select().from(users).where(eq(users.id, account!.id));
    expect(after!.email).toBe(owner);
    // So the reset through the new address cannot follow: that address has no account.
    expect(await emailOf(attackerAddress)).toBeUndefined();
    const retry = await new TestClient(app.http, newIp()).submit('/login', {
      email: owner,
      password: PASSWORD,
    });
    expect(retry.status).toBe(401);
  });

  it('applies a change only in the signed-in session of the account, tells the old address and lets it undo the change for 7 days', async () => {
    const owner = newEmail();
    const newAddress = newEmail('new');
    await registerAndConfirm(owner);
    const client = await signedIn(owner);
    await client.submit('/cabinet/email', { email: newAddress, currentPassword: PASSWORD });
    const link = await nthLink(newAddress, 'Подтвердите новый адрес', 1, '/verify/email');

    // Opened by a guest (a stolen letter, a mail scanner): nothing changes, the guest is asked to sign in.
    const guest = await new TestClient(app.http, newIp()).get(link);
    expect(guest.status).toBe(303);
    expect(guest.location).toBe(`/login?next=${encodeURIComponent(link)}`);
    // Opened in another account's session: refused.
    const other = newEmail('other');
    await registerAndConfirm(other);
    const stranger = await (await signedIn(other)).get(link);
    expect(stranger.status).toBe(403);
    expect(await emailOf(owner)).toBe(owner);

    // In the owner's session the change is applied and the old address is told, with a link to undo it.
    const applied = await client.get(link);
    expect(textOf(applied.body)).toContain('Адрес электронной почты изменён');
    expect(await emailOf(newAddress)).toBe(newAddress);
    const undoLink = await nthLink(owner, 'Адрес электронной почты в навигаторе изменён', 1, '/email/undo');
    const told = lettersTo(owner, 'Адрес электронной почты в навигаторе изменён')[0]!;
    expect(told.text).toContain(newAddress);
    expect(told.text).toContain('Ссылка действует 7 дней');

    // Opening the undo link shows a button only (a scanner changes nothing); the button takes the account back.
    const undoPage = await new TestClient(app.http, newIp()).get(undoLink);
    expect(undoPage.status).toBe(200);
    expect(await emailOf(newAddress)).toBe(newAddress);
    const undoer = new TestClient(app.http, newIp());
    const undone = await undoer.submit(undoLink, { code: undoLink.split('code=')[1]! });
    expect(textOf(undone.body)).toContain('Прежний адрес возвращён');
    expect(await emailOf(owner)).toBe(owner);
    const [user] = await database.db.select().from(users).where(eq(users.email, owner));
    expect(await database.db.select().from(sessions).where(eq(sessions.userId, user!.id))).toHaveLength(0);
    // Used once only.
    expect((await undoer.get(undoLink)).status).toBe(400);
  });
});

describe('e-mail change takeover, carried through', () => {
  /** The attacker, who knows the password, moves the owner's account to `first` and then to `second`. */
  async function movedTwice(owner: string, first: string, second: string) {
    await registerAndConfirm(owner);
    const attacker = await signedIn(owner);
    await attacker.submit('/cabinet/email', { email: first, currentPassword: PASSWORD });
    await attacker.get(await nthLink(first, 'Подтвердите новый адрес', 1, '/verify/email'));
    await attacker.submit('/cabinet/email', { email: second, currentPassword: PASSWORD });
    await attacker.get(await nthLink(second, 'Подтвердите новый адрес', 1, '/verify/email'));
    expect(await emailOf(second)).toBe(second);
    return {
      attacker,
      ownersUndo: await nthLink(owner, 'Адрес электронной почты в навигаторе изменён', 1, '/email/undo'),
      attackersUndo: await nthLink(first, 'Адрес электронной почты в навигаторе изменён', 1, '/email/undo'),
    };
  }
  const undo = (link: string) =>
    new TestClient(app.http, newIp()).submit(link, { code: link.split('code=')[1]! });
  /** A dead link shows no form: its page says so, and a POST made with a token from another page is refused. */
  async function refused(link: string, fields: Record<string, string> = {}) {
    const client = new TestClient(app.http, newIp());
    expect((await client.get(link)).status).toBe(400);
    const token = csrfTokenOf((await client.get('/login')).body);
    const posted = await client.post(link, { _csrf: token, code: link.split('code=')[1]!, ...fields });
    expect(posted.status).toBe(400);
  }

  it('after the owner undoes, the undo link a second change sent to the attacker’s first address is dead', async () => {
    const [owner, first, second] = [newEmail(), newEmail('attacker-a'), newEmail('attacker-b')];
    const { attacker, ownersUndo, attackersUndo } = await movedTwice(owner, first, second);
    expect(textOf((await undo(ownersUndo)).body)).toContain('Прежний адрес возвращён');
    expect(await emailOf(owner)).toBe(owner);
    expect((await attacker.get('/cabinet')).status).toBe(303);
    await refused(attackersUndo);
    expect(await emailOf(owner)).toBe(owner);
    expect(await emailOf(first)).toBeUndefined();
  });

  it('the attacker undoing their own second change first does not end the owner’s undo link', async () => {
    const [owner, first, second] = [newEmail(), newEmail('attacker-a'), newEmail('attacker-b')];
    const { ownersUndo, attackersUndo } = await movedTwice(owner, first, second);
    expect(textOf((await undo(attackersUndo)).body)).toContain('Прежний адрес возвращён');
    expect(await emailOf(first)).toBe(first);
    expect(textOf((await undo(ownersUndo)).body)).toContain('Прежний адрес возвращён');
    expect(await emailOf(owner)).toBe(owner);
  });

  it('a change of address ends the reset links sent to the address it leaves', async () => {
    const [owner, moved] = [newEmail(), newEmail('moved')];
    await registerAndConfirm(owner);
    await new TestClient(app.http, newIp()).submit('/password/forgot', { email: owner });
    const reset = await nthLink(owner, 'Восстановление пароля', 1, '/password/reset');
    const client = await signedIn(owner);
    await client.submit('/cabinet/email', { email: moved, currentPassword: PASSWORD });
    await client.get(await nthLink(moved, 'Подтвердите новый адрес', 1, '/verify/email'));
    expect(await emailOf(moved)).toBe(moved);
    await refused(reset, {
      password: 'Пароль-из-старого-ящика-1',
      passwordRepeat: 'Пароль-из-старого-ящика-1',
    });
    expect((await signedIn(moved)).cookies.get('sid')).toBeDefined();
  });

  it('the old address takes the account back even after the attacker reset the password through the new one', async () => {
    const owner = newEmail();
    const attackerAddress = newEmail('attacker');
    await registerAndConfirm(owner);
    const attacker = await signedIn(owner);
    await attacker.submit('/cabinet/email', { email: attackerAddress, currentPassword: PASSWORD });
    // In the account's own session the change goes through (the attacker knows the password)…
    await attacker.get(await nthLink(attackerAddress, 'Подтвердите новый адрес', 1, '/verify/email'));
    expect(await emailOf(attackerAddress)).toBe(attackerAddress);
    // …and the attacker resets the password through the new address.
    await new TestClient(app.http, newIp()).submit('/password/forgot', { email: attackerAddress });
    const reset = await nthLink(attackerAddress, 'Восстановление пароля', 1, '/password/reset');
    const resetter = new TestClient(app.http, newIp());
    await resetter.submit(reset, {
      code: reset.split('code=')[1]!,
      password: 'Пароль-злоумышленника-1',
      passwordRepeat: 'Пароль-злоумышленника-1',
    });
    const attackerAgain = await signedIn(attackerAddress, 'Пароль-злоумышленника-1');

    // The owner's letter about the change still holds a working undo link: the reset did not end it.
    const undoLink = await nthLink(owner, 'Адрес электронной почты в навигаторе изменён', 1, '/email/undo');
    const undone = await new TestClient(app.http, newIp()).submit(undoLink, {
      code: undoLink.split('code=')[1]!,
    });
    expect(textOf(undone.body)).toContain('Прежний адрес возвращён');
    expect(await emailOf(owner)).toBe(owner);
    expect((await attackerAgain.get('/cabinet')).status).toBe(303);
    const retry = await new TestClient(app.http, newIp()).submit('/login', {
      email: attackerAddress,
      password: 'Пароль-злоумышленника-1',
    });
    expect(retry.status).toBe(401);
    // The owner sets a new password through the address they got back.
    await new TestClient(app.http, newIp()).submit('/password/forgot', { email: owner });
    const ownReset = await nthLink(owner, 'Восстановление пароля', 1, '/password/reset');
    const saved = await new TestClient(app.http, newIp()).submit(ownReset, {
      code: ownReset.split('code=')[1]!,
      password: 'Снова-мой-пароль-2026',
      passwordRepeat: 'Снова-мой-пароль-2026',
    });
    expect(saved.location).toBe('/login');
    expect(await signedIn(owner, 'Снова-мой-пароль-2026')).toBeDefined();
  });
});

describe('reset links', () => {
  it('only the newest reset link works, and it works once', async () => {
    const owner = newEmail();
    await registerAndConfirm(owner);
    const guest = new TestClient(app.http, newIp());
    await guest.submit('/password/forgot', { email: owner });
    const first = await nthLink(owner, 'Восстановление пароля', 1, '/password/reset');
    await guest.submit('/password/forgot', { email: owner });
    const second = await nthLink(owner, 'Восстановление пароля', 2, '/password/reset');

    expect((await guest.get(first)).status).toBe(400);
    const stale = await guest.post('/password/reset', {
      _csrf: /name="_csrf" value="([^"]+)"/.exec((await guest.get('/password/forgot')).body)![1]!,
      code: first.split('code=')[1]!,
      password: 'Новый-пароль-для-входа',
      passwordRepeat: 'Новый-пароль-для-входа',
    });
    expect(stale.status).toBe(400);
    expect(textOf(stale.body)).toContain('Ссылка недействительна');

    const used = await guest.submit(second, {
      code: second.split('code=')[1]!,
      password: 'Новый-пароль-для-входа',
      passwordRepeat: 'Новый-пароль-для-входа',
    });
    expect(used.location).toBe('/login');
    expect((await guest.get(second)).status).toBe(400);
  });

  it('a password change ends every pending reset link', async () => {
    const owner = newEmail();
    await registerAndConfirm(owner);
    await new TestClient(app.http, newIp()).submit('/password/forgot', { email: owner });
    const link = await nthLink(owner, 'Восстановление пароля', 1, '/password/reset');

    const client = await signedIn(owner);
    await client.submit('/cabinet/password', {
      currentPassword: PASSWORD,
      password: 'Другой-пароль-2027',
      passwordRepeat: 'Другой-пароль-2027',
    });
    const attacker = new TestClient(app.http, newIp());
    expect((await attacker.get(link)).status).toBe(400);
    const tried = await attacker.post('/password/reset', {
      _csrf: /name="_csrf" value="([^"]+)"/.exec((await attacker.get('/password/forgot')).body)![1]!,
      code: link.split('code=')[1]!,
      password: 'Пароль-злоумышленника-1',
      passwordRepeat: 'Пароль-злоумышленника-1',
    });
    expect(tried.status).toBe(400);
    expect(await signedIn(owner, 'Другой-пароль-2027')).toBeDefined();
  });
});

describe('«Забыли пароль?»', () => {
  it('answers a registered address no slower than an unknown one', async () => {
    // Without a worker: no letter is prepared meanwhile, so nothing in the background skews the figures.
    const quiet = await createTestApp(database);
    try {
      const timed = async (email: string) => {
        const client = new TestClient(quiet.http, newIp());
        const token = csrfTokenOf((await client.get('/password/forgot')).body);
        const started = process.hrtime.bigint();
        const response = await client.post('/password/forgot', { _csrf: token, email });
        expect(response.location).toBe('/password/forgot/sent');
        return Number(process.hrtime.bigint() - started) / 1e6;
      };
      const known: number[] = [];
      const unknown: number[] = [];
      // Fresh accounts (an address's letter limit, 3 in 10 minutes, would otherwise cut the work short), made
      // beforehand; the order alternates, so that neither kind always follows the other.
      const registered = Array.from({ length: 30 }, () => newEmail());
      for (const email of registered) {
        await database.db.insert(users).values({
          email,
          emailVerifiedAt: new Date(),
          passwordHash: 'not-used-here',
          lastName: 'Иванова',
          firstName: 'Анна',
          phone: '+79001234567',
          municipalityId: 1,
          applicantKind: 'parent',
        });
      }
      for (const [round, email] of registered.entries()) {
        if (round % 2 === 0) known.push(await timed(email));
        unknown.push(await timed(`nobody-${email}`));
        if (round % 2 === 1) known.push(await timed(email));
      }
      const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
      // Before, a registered address took a transaction with the link and the letter: two to three times as long.
      console.info(
        `reset request median: registered ${median(known).toFixed(1)} ms, unknown ${median(unknown).toFixed(1)} ms`,
      );
      // What would tell an account exists is a registered address answering slower; both do the same work now,
      // so what is left is the noise of a shared machine.
      expect(median(known)).toBeLessThan(median(unknown) * 1.4 + 2);
    } finally {
      await quiet.close();
    }
  });

  it('limits attempts to set a password by reset link from one address', async () => {
    const client = new TestClient(app.http, newIp());
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 21; attempt++) {
      const token = csrfTokenOf((await client.get('/password/forgot')).body);
      const response = await client.post('/password/reset', {
        _csrf: token,
        code: `made-up-code-${attempt}-1234567890`,
        password: 'Новый-пароль-для-входа',
        passwordRepeat: 'Новый-пароль-для-входа',
      });
      statuses.push(response.status);
    }
    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(400));
    expect(statuses[20]).toBe(429);
  });
});

describe('sign-in throttling (ADR 0013)', () => {
  it('someone else’s wrong passwords from another address do not keep the owner out', async () => {
    const owner = newEmail();
    await registerAndConfirm(owner);
    const attacker = new TestClient(app.http, '192.0.2.66');
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 25; attempt++) {
      statuses.push((await attacker.submit('/login', { email: owner, password: `wrong-${attempt}` })).status);
    }
    // The attacker is slowed down…
    expect(statuses).toContain(429);
    const limited = await attacker.submit('/login', { email: owner, password: PASSWORD });
    expect(limited.status).toBe(429);
    expect(textOf(limited.body)).toMatch(/Слишком много попыток\. Попробуйте через \d+ (секунд|минут)/);
    // …and the owner, from their own address, signs in at once.
    const ownerClient = new TestClient(app.http, '192.0.2.10');
    const response = await ownerClient.submit('/login', { email: owner, password: PASSWORD });
    expect(response.status).toBe(303);
    expect(response.location).toBe('/cabinet');
  });
});

describe('client addresses behind a proxy', () => {
  /** The app as production runs it; TRUST_PROXY as given. */
  async function productionApp(trustProxy?: string): Promise<App> {
    const config = loadConfig({
      NODE_ENV: 'production',
      DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'navigator-data-')),
      LOG_LEVEL: 'silent',
      SESSION_SECRET: 'a-production-secret-of-at-least-32-chars',
      SMTP_URL: sink.url,
      BASE_URL: 'https://navigator.test',
      DATABASE_URL: 'postgres://unused@127.0.0.1/unused',
      ...(trustProxy ? { TRUST_PROXY: trustProxy } : {}),
    });
    return createTestApp(database, { config, mailTransport: smtpTransport(sink.url) });
  }

  /** 40 sign-in tries from one connection, each naming another address in X-Forwarded-For. */
  async function rotatingTries(target: App): Promise<number[]> {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 40; attempt++) {
      const response = await target.http.inject({
        method: 'POST',
        url: '/api/v1/session',
        remoteAddress: '198.51.100.77',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': `203.0.113.${attempt + 1}` },
        payload: JSON.stringify({ email: `nobody${attempt}-${Date.now()}@example.ru`, password: 'x' }),
      });
      statuses.push(response.statusCode);
    }
    return statuses;
  }

  it('TRUST_PROXY off (the default, also in production): a rotating X-Forwarded-For does not dodge the limit', async () => {
    const production = await productionApp();
    try {
      const statuses = await rotatingTries(production);
      expect(statuses.slice(0, 30).every((status) => status === 401)).toBe(true);
      expect(statuses.slice(30)).toEqual(Array(10).fill(429));
    } finally {
      await production.close();
    }
  });

  it('names the CSRF cookie __Host-csrf in production: Secure, Path=/, no Domain', async () => {
    const production = await productionApp();
    try {
      const page = await production.http.inject({ method: 'GET', url: '/login' });
      const cookies = [page.headers['set-cookie'] ?? []].flat();
      const csrf = cookies.find((line) => line.startsWith('__Host-csrf='));
      expect(csrf).toBeDefined();
      expect(csrf).toMatch(/; Secure/i);
      expect(csrf).toMatch(/; Path=\/(;|$)/i);
      expect(csrf).not.toMatch(/Domain=/i);
      expect(cookies.some((line) => line.startsWith('csrf='))).toBe(false);
    } finally {
      await production.close();
    }
  });

  /** Signs a new parent in through the API of `target`; answers the Set-Cookie lines and the session token. */
  async function signedInThrough(target: App, remoteAddress: string) {
    const email = `cookie${++serial}-${Date.now()}@example.ru`;
    await createFamily(database.db, { email, passwordHash: await hashPassword(PASSWORD) });
    const response = await target.http.inject({
      method: 'POST',
      url: '/api/v1/session',
      remoteAddress,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ email, password: PASSWORD }),
    });
    expect(response.statusCode, response.body).toBe(200);
    const cookies = [response.headers['set-cookie'] ?? []].flat();
    return {
      cookies,
      token: (name: string) => cookies.find((line) => line.startsWith(`${name}=`))?.split(/[=;]/)[1],
    };
  }

  const me = (target: App, cookie: string) =>
    target.http.inject({
      method: 'GET',
      url: '/api/v1/me',
      remoteAddress: '198.51.100.90',
      headers: { cookie },
    });

  it('names the session cookie __Host-sid in production, and only that name signs a request in', async () => {
    const production = await productionApp();
    try {
      const { cookies, token } = await signedInThrough(production, '198.51.100.91');
      const session = cookies.find((line) => line.startsWith('__Host-sid='));
      expect(session).toBeDefined();
      expect(session).toMatch(/; Secure/i);
      expect(session).toMatch(/; Path=\/(;|$)/i);
      expect(session).not.toMatch(/Domain=/i);
      expect(cookies.some((line) => line.startsWith('sid='))).toBe(false);
      expect((await me(production, `__Host-sid=${token('__Host-sid')}`)).statusCode).toBe(200);
      // A plain `sid` cookie, which a sibling subdomain could plant, is not a session here.
      expect((await me(production, `sid=${token('__Host-sid')}`)).statusCode).toBe(401);
      const signedOut = await production.http.inject({
        method: 'DELETE',
        url: '/api/v1/session',
        remoteAddress: '198.51.100.91',
        headers: { cookie: `__Host-sid=${token('__Host-sid')}` },
      });
      const cleared = [signedOut.headers['set-cookie'] ?? []]
        .flat()
        .find((line) => line.startsWith('__Host-sid='));
      // The browser drops a __Host- cookie only from a Set-Cookie that is Secure too.
      expect(cleared).toMatch(/; Secure/i);
    } finally {
      await production.close();
    }
  });

  it('keeps the plain session cookie name sid over HTTP (tests, development)', async () => {
    const { cookies, token } = await signedInThrough(app, '198.51.100.92');
    expect(cookies.some((line) => line.startsWith('__Host-sid='))).toBe(false);
    expect(cookies.find((line) => line.startsWith('sid='))).not.toMatch(/; Secure/i);
    expect((await me(app, `sid=${token('sid')}`)).statusCode).toBe(200);
  });

  it('TRUST_PROXY with the proxy address believes the header only from that proxy', async () => {
    const trusting = await productionApp('198.51.100.77');
    const elsewhere = await productionApp('10.0.0.1');
    try {
      // From the named proxy each try has its own client address: none is limited.
      expect(await rotatingTries(trusting)).toEqual(Array(40).fill(401));
      // From any other peer the header is ignored.
      expect(await rotatingTries(elsewhere)).toContain(429);
    } finally {
      await trusting.close();
      await elsewhere.close();
    }
  });
});

describe('CSRF tokens', () => {
  it('a token from before sign-in does not pass after it, nor one from before sign-out after that', async () => {
    const owner = newEmail();
    await registerAndConfirm(owner);
    const client = new TestClient(app.http, newIp());
    const guestToken = csrfTokenOf((await client.get('/login')).body);
    expect(
      (await client.post('/login', { _csrf: guestToken, email: owner, password: PASSWORD })).location,
    ).toBe('/cabinet');
    const profile = { municipalityId: '1', lastName: 'Петрова', firstName: 'Анна', phone: '+79001234567' };
    const withGuestToken = await client.post('/cabinet/profile', { _csrf: guestToken, ...profile });
    expect(withGuestToken.status).toBe(403);

    const userToken = csrfTokenOf((await client.get('/cabinet/profile')).body);
    expect((await client.post('/logout', { _csrf: userToken })).location).toBe('/');
    const afterSignOut = await client.post('/password/forgot', { _csrf: userToken, email: owner });
    expect(afterSignOut.status).toBe(403);
    // The page's own token still works.
    expect((await client.submit('/password/forgot', { email: owner })).location).toBe(
      '/password/forgot/sent',
    );
  });

  it('a token of one session does not pass in another session of the same browser cookie', async () => {
    const owner = newEmail();
    await registerAndConfirm(owner);
    const first = await signedIn(owner);
    const firstToken = csrfTokenOf((await first.get('/cabinet/profile')).body);
    // Another session with the same CSRF cookie (an attacker who planted it, say).
    const second = await signedIn(owner);
    second.cookies.set('csrf', first.cookies.get('csrf')!);
    const response = await second.post('/cabinet/profile', {
      _csrf: firstToken,
      municipalityId: '1',
      lastName: 'Петрова',
      firstName: 'Анна',
      phone: '+79001234567',
    });
    expect(response.status).toBe(403);
  });
});

describe('passwords', () => {
  it.each(['Passw0rd!', 'Password123!', 'qazwsx123', 'Smolensk2024', 'Навигатор2026', 'йцукен123'])(
    'refuses %s at registration with a Russian message on the field',
    async (password) => {
      const email = newEmail();
      const response = await new TestClient(app.http, newIp()).submit('/register', {
        municipalityId: '1',
        lastName: 'Иванова',
        firstName: 'Анна',
        phone: '8 (900) 123-45-67',
        email,
        password,
        passwordRepeat: password,
        applicantKind: 'parent',
        consent: 'yes',
      });
      expect(response.status).toBe(400);
      expect(textOf(response.body)).toContain('Этот пароль слишком простой и часто встречается');
      expect(await emailOf(email)).toBeUndefined();
    },
  );
});

describe('security log', () => {
  it('records failed sign-ins and limits with the client address and request id, without the e-mail', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const config = loadConfig({
      NODE_ENV: 'test',
      DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'navigator-data-')),
      LOG_LEVEL: 'warn',
    });
    const logged = await createTestApp(database, {
      config,
      logger: createLogger(config, stream),
      mailTransport: smtpTransport(sink.url),
    });
    try {
      const email = newEmail('unknown');
      const client = new TestClient(logged.http, '192.0.2.77');
      const failed = await client.submit('/login', { email, password: 'совсем-не-тот-пароль' });
      expect(failed.status).toBe(401);
      await new Promise((resolve) => setImmediate(resolve));
      const event = lines
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .find((entry) => {
          return entry.securityEvent === 'sign_in_failed';
        });
      expect(event).toMatchObject({ clientIp: '192.0.2.77', path: '/login' });
      expect(event!.requestId).toEqual(failed.headers['x-request-id']);
      // Going on from the same address: the slow-down refuses, and says so in the log.
      let refused: Awaited<ReturnType<TestClient['submit']>> | undefined;
      for (let attempt = 0; attempt < 10 && !refused; attempt++) {
        const response = await client.submit('/login', { email, password: `не-тот-${attempt}` });
        if (response.status === 429) refused = response;
      }
      expect(refused).toBeDefined();
      await new Promise((resolve) => setImmediate(resolve));
      const limited = lines
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .find((entry) => entry.requestId === refused!.headers['x-request-id']);
      expect(limited).toMatchObject({
        securityEvent: 'rate_limited',
        limit: 'signin-slowdown',
        clientIp: '192.0.2.77',
      });
      expect(lines.join('')).not.toContain(email);
    } finally {
      await logged.close();
    }
  });
});
