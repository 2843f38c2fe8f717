import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.js';
import { createMailingTestApp } from '../../../tests/support/app.js';
import type { SmtpSink } from '../../../tests/support/smtp.js';

let sink: SmtpSink;
let app: App;
let testbed: Awaited<ReturnType<typeof createMailingTestApp>>;
beforeAll(async () => {
  testbed = await createMailingTestApp('http://navigator.test');
  ({ sink, app } = testbed);
});
afterAll(async () => {
  await testbed.close();
});

function json(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: object, cookie?: string) {
  return app.http.inject({
    method,
    url,
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(cookie ? { cookie } : {}) },
    ...(body ? { payload: JSON.stringify(body) } : {}),
  });
}

describe('accounts API', () => {
  it('registers, confirms by the code from the letter, signs in and reads and edits the profile', async () => {
    const email = `api-${Date.now()}@example.ru`;
    const bad = await json('POST', '/api/v1/accounts', { email: 'nope', consent: false });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({
      error: 'validation',
      errors: {
        email: 'Введите адрес электронной почты в формате name@example.ru',
        lastName: 'Введите фамилию',
      },
    });

    const created = await json('POST', '/api/v1/accounts', {
      municipalityId: 2,
      lastName: 'Кузнецов',
      firstName: 'Игорь',
      phone: '+7 (920) 111-22-33',
      email,
      password: 'Десногорск-2026-осень',
      passwordRepeat: 'Десногорск-2026-осень',
      applicantKind: 'parent',
      consent: true,
    });
    expect(created.statusCode).toBe(202);

    const letter = await sink.waitFor(email);
    const code = /code=([\w-]+)/.exec(letter.text ?? '')![1]!;
    const verified = await json('POST', '/api/v1/accounts/verify-email', { code });
    expect(verified.json()).toEqual({ status: 'confirmed', email });

    expect((await json('POST', '/api/v1/session', { email, password: 'не тот' })).statusCode).toBe(401);
    const session = await json('POST', '/api/v1/session', { email, password: 'Десногорск-2026-осень' });
    expect(session.json()).toMatchObject({ user: { email, shortName: 'Кузнецов И.', emailVerified: true } });
    const cookie = session.cookies.map((c) => `${c.name}=${c.value}`).join('; ');

    const me = await json('GET', '/api/v1/me', undefined, cookie);
    expect(me.json()).toMatchObject({ email, phone: '+79201112233', municipalityId: 2 });
    expect(me.json()).not.toHaveProperty('passwordHash');

    const edited = await json(
      'PATCH',
      '/api/v1/me',
      {
        municipalityId: '2',
        lastName: 'Кузнецов',
        firstName: 'Игорь',
        middleName: 'Петрович',
        phone: '89201112233',
      },
      cookie,
    );
    expect(edited.statusCode).toBe(200);
    expect((await json('GET', '/api/v1/me', undefined, cookie)).json()).toMatchObject({
      middleName: 'Петрович',
    });

    expect((await json('DELETE', '/api/v1/session', undefined, cookie)).statusCode).toBe(204);
    expect((await json('GET', '/api/v1/me', undefined, cookie)).statusCode).toBe(401);
  });

  it('answers a cut link code in Russian, per field', async () => {
    const verify = await json('POST', '/api/v1/accounts/verify-email', { code: 'abc' });
    expect(verify.statusCode).toBe(400);
    expect(verify.json()).toMatchObject({
      errors: { code: 'Ссылка неполная: откройте её из письма целиком или запросите новую' },
    });
    const reset = await json('POST', '/api/v1/password/reset', {
      code: 'x'.repeat(101),
      password: 'Десногорск-2026-осень',
      passwordRepeat: 'Десногорск-2026-осень',
    });
    expect(reset.json()).toMatchObject({
      errors: { code: 'Ссылка неверная: откройте её из письма целиком или запросите новую' },
    });
  });

  it('refuses a cross-site form post to the API without a CSRF token', async () => {
    const response = await app.http.inject({
      method: 'POST',
      url: '/api/v1/session',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'email=a%40b.ru&password=x',
    });
    expect(response.statusCode).toBe(403);
  });

  it('describes every operation in the OpenAPI document with the schemas the handlers use', async () => {
    const document = (await json('GET', '/api/v1/openapi.json')).json<{
      openapi: string;
      paths: Record<
        string,
        Record<string, { requestBody?: { content: Record<string, { schema: { properties: object } }> } }>
      >;
    }>();
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/accounts', '/accounts/verify-email', '/session', '/me', '/password/forgot']),
    );
    const register = document.paths['/accounts']!.post!.requestBody!.content['application/json']!.schema;
    expect(Object.keys(register.properties)).toEqual(
      expect.arrayContaining([
        'municipalityId',
        'lastName',
        'firstName',
        'phone',
        'email',
        'password',
        'consent',
      ]),
    );
  });
});
