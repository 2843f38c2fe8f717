import fc from 'fast-check';
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.js';
import type { Database } from '../../platform/db/client.js';
import { createTestApp } from '../../../tests/support/app.js';
import { TestClient, csrfTokenOf } from '../../../tests/support/client.js';
import { createTestDatabase } from '../../../tests/support/database.js';
import { createStaffAccount } from '../accounts/service.js';
import { children } from './schema.js';

let database: Database;
let app: App;
beforeAll(async () => {
  database = await createTestDatabase();
  app = await createTestApp(database);
  await createStaffAccount(database, {
    role: 'coordinator',
    email: 'fuzz-coordinator@example.ru',
    password: 'Проверка-ввода-67',
    lastName: 'Проверкина',
    firstName: 'Ольга',
  });
});
afterAll(async () => {
  await app.close();
  await database.close();
});

const anyText = fc.oneof(
  fc.constant(''),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.constantFrom(
    'II-МП',
    '123456',
    '31.02.2016',
    '2016-05-12',
    '112-233-445 95',
    '<b>x</b>',
    '\u0000',
    '9'.repeat(3000),
  ),
  fc
    .date({ min: new Date('1900-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10)),
);

const childFields = fc.record(
  {
    lastName: anyText,
    firstName: anyText,
    middleName: anyText,
    birthDate: anyText,
    sex: fc.oneof(anyText, fc.constantFrom('male', 'female')),
    snils: anyText,
    documentType: fc.oneof(anyText, fc.constantFrom('birth_certificate', 'passport')),
    documentSeries: anyText,
    documentNumber: anyText,
    documentIssuedAt: anyText,
    documentIssuedBy: anyText,
    municipalityId: fc.oneof(anyText, fc.integer({ min: -3, max: 40 }).map(String)),
    registrationAddress: anyText,
  },
  { requiredKeys: [] },
);

describe('any input', () => {
  it('to the child form gets messages or a saved child, never a server error or a broken row', async () => {
    const client = new TestClient(app.http, '192.0.2.20');
    // A coordinator account is a confirmed account like any other for its own «Дети» tab.
    await client.submit('/login', { email: 'fuzz-coordinator@example.ru', password: 'Проверка-ввода-67' });
    const token = csrfTokenOf((await client.get('/cabinet/children/new')).body);
    await fc.assert(
      fc.asyncProperty(childFields, async (fields) => {
        const [before] = await database.db.select({ n: count() }).from(children);
        const response = await client.post('/cabinet/children', {
          _csrf: token,
          ...(fields as Record<string, string>),
        });
        expect([303, 400]).toContain(response.status);
        const [after] = await database.db.select({ n: count() }).from(children);
        expect(after!.n - before!.n).toBe(response.status === 303 ? 1 : 0);
      }),
      { numRuns: 150 },
    );
  });

  it('to the staff search gets results or messages, never a server error', async () => {
    const client = new TestClient(app.http, '192.0.2.21');
    await client.submit('/login', { email: 'fuzz-coordinator@example.ru', password: 'Проверка-ввода-67' });
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          {
            by: fc.oneof(anyText, fc.constantFrom('certificate', 'person', 'contact')),
            number: anyText,
            lastName: anyText,
            firstName: anyText,
            middleName: anyText,
            birthDate: anyText,
            contact: anyText,
          },
          { requiredKeys: [] },
        ),
        async (fields) => {
          const query = new URLSearchParams(fields).toString();
          const response = await client.get(`/staff/search?${query}`);
          expect([200, 400]).toContain(response.status);
        },
      ),
      { numRuns: 150 },
    );
  });
});
