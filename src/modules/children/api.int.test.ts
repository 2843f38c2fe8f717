import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.js';
import { prepareDatabase } from '../../app.js';
import { createLogger } from '../../platform/logger.js';
import { createMailingTestApp } from '../../../tests/support/app.js';
import { createStaffAccount, DEMO_PARENT } from '../accounts/service.js';
import { isoInYear } from '../../../tests/support/dates.js';

let app: App;
let testbed: Awaited<ReturnType<typeof createMailingTestApp>>;
beforeAll(async () => {
  testbed = await createMailingTestApp();
  app = testbed.app;
  await prepareDatabase(
    testbed.database,
    { demoData: true },
    createLogger({ logLevel: 'silent', env: 'test' }),
  );
  await createStaffAccount(testbed.database, {
    role: 'municipal_admin',
    municipalityId: 1,
    email: 'api-admin@example.ru',
    password: 'Администратор-API-67',
    lastName: 'Апишин',
    firstName: 'Павел',
  });
});
afterAll(async () => {
  await testbed.close();
});

async function session(email: string, password: string): Promise<string> {
  const response = await app.http.inject({
    method: 'POST',
    url: '/api/v1/session',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ email, password }),
  });
  expect(response.statusCode).toBe(200);
  return response.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
}

function call(cookie: string, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, given?: object) {
  // The API's mutating calls are JSON (or carry the CSRF token): a POST without a body still says JSON.
  const body = given ?? (method === 'POST' ? {} : undefined);
  return app.http.inject({
    method,
    url,
    headers: { cookie, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { payload: JSON.stringify(body) } : {}),
  });
}

describe('children and confirmation API', () => {
  it('a parent adds a child and gets a certificate; an administrator finds, confirms; the parent sees it active', async () => {
    const parent = await session(DEMO_PARENT.email, DEMO_PARENT.password);
    const invalid = await call(parent, 'POST', '/api/v1/children', { lastName: 'Тест' });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json()).toMatchObject({
      errors: { firstName: 'Введите имя ребёнка', sex: 'Выберите пол ребёнка' },
    });

    const created = await call(parent, 'POST', '/api/v1/children', {
      lastName: 'Апиев',
      firstName: 'Максим',
      birthDate: isoInYear(13, '09-01'),
      sex: 'male',
      documentType: 'birth_certificate',
      documentSeries: 'III-МП',
      documentNumber: '246810',
      documentIssuedAt: isoInYear(13, '09-10'),
      documentIssuedBy: 'Отдел ЗАГС',
      municipalityId: 1,
      registrationAddress: 'ул. Николаева, д. 7',
    });
    expect(created.statusCode).toBe(201);
    const childId = created.json<{ id: string }>().id;
    expect(created.json()).not.toHaveProperty('identityKey');

    const certificate = await call(parent, 'POST', `/api/v1/children/${childId}/certificate`);
    expect(certificate.json()).toMatchObject({ status: 'awaiting_confirmation', type: 'accounting' });
    expect(certificate.json()).not.toHaveProperty('holderKey');
    const number = certificate.json<{ number: string }>().number;

    const admin = await session('api-admin@example.ru', 'Администратор-API-67');
    expect(
      (await call(parent, 'POST', '/api/v1/staff/search', { by: 'certificate', number })).statusCode,
    ).toBe(403);
    const found = await call(admin, 'POST', '/api/v1/staff/search', { by: 'certificate', number });
    expect(found.json<{ results: { child: { id: string } }[] }>().results.map((r) => r.child.id)).toEqual([
      childId,
    ]);
    expect(found.body).not.toContain('holder');
    const confirmed = await call(admin, 'POST', `/api/v1/staff/children/${childId}/confirm`, {
      document: 'Свидетельство о рождении III-МП № 246810',
      checked: true,
    });
    expect(confirmed.json()).toEqual({ status: 'confirmed' });

    const list = await call(parent, 'GET', '/api/v1/children');
    const mine = list.json<{
      children: { id: string; dataStatus: string; certificate: { status: string } }[];
    }>().children;
    expect(mine.find((c) => c.id === childId)).toMatchObject({
      dataStatus: 'confirmed',
      certificate: { status: 'active' },
    });
    expect((await call(parent, 'DELETE', `/api/v1/children/${childId}`)).statusCode).toBe(409);
  });

  it('lists the children and staff operations in the OpenAPI document', async () => {
    const document = (await app.http.inject('/api/v1/openapi.json')).json<{
      paths: Record<string, unknown>;
    }>();
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/children',
        '/children/{id}/certificate',
        '/staff/search',
        '/staff/children/{id}/confirm',
      ]),
    );
  });
});
