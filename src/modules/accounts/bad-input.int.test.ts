import fc from 'fast-check';
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.js';
import type { Database } from '../../platform/db/client.js';
import { createTestApp } from '../../../tests/support/app.js';
import { TestClient } from '../../../tests/support/client.js';
import { createTestDatabase } from '../../../tests/support/database.js';
import { consents, users, verifications } from './schema.js';

let database: Database;
let app: App;
beforeAll(async () => {
  database = await createTestDatabase();
  app = await createTestApp(database);
});
afterAll(async () => {
  await app.close();
  await database.close();
});

/** Strings people and robots send: empty, spaces, Cyrillic, control characters, markup, very long. */
const anyText = fc.oneof(
  fc.constant(''),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(
    '   ',
    'Иванова',
    '<script>alert(1)</script>',
    "'; drop table users; --",
    '\u0000',
    'a'.repeat(5000),
  ),
  fc.emailAddress(),
);

const registrationFields = fc.record(
  {
    municipalityId: fc.oneof(anyText, fc.integer({ min: -5, max: 40 }).map(String)),
    lastName: anyText,
    firstName: anyText,
    middleName: anyText,
    phone: anyText,
    email: anyText,
    password: anyText,
    passwordRepeat: anyText,
    applicantKind: fc.oneof(anyText, fc.constantFrom('parent', 'teen')),
    birthDate: anyText,
    consent: fc.oneof(anyText, fc.constant('yes')),
    extra: anyText,
  },
  { requiredKeys: [] },
);

async function rowCounts() {
  const [u] = await database.db.select({ n: count() }).from(users);
  const [c] = await database.db.select({ n: count() }).from(consents);
  const [v] = await database.db.select({ n: count() }).from(verifications);
  return { users: u!.n, consents: c!.n, verifications: v!.n };
}

describe('any input', () => {
  it('to registration gets a page with messages or a redirect, never a server error, and never a partial account', async () => {
    const client = new TestClient(app.http, '192.0.2.1');
    const page = await client.get('/register');
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    await fc.assert(
      fc.asyncProperty(registrationFields, async (fields) => {
        const before = await rowCounts();
        const response = await client.post('/register', {
          _csrf: token,
          ...(fields as Record<string, string>),
        });
        expect([303, 400, 429]).toContain(response.status);
        const after = await rowCounts();
        if (response.status === 400) {
          expect(response.body).toContain('Исправьте ошибки');
          expect(after).toEqual(before);
        } else if (after.users > before.users) {
          // A whole account or none: the user, both consents and the confirmation link together.
          expect(after.consents - before.consents).toBe(2 * (after.users - before.users));
          expect(after.verifications).toBeGreaterThan(before.verifications);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('to sign-in gets the form back with messages, never a server error', async () => {
    const client = new TestClient(app.http, '192.0.2.2');
    const page = await client.get('/login');
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    await fc.assert(
      fc.asyncProperty(
        fc.record({ email: anyText, password: anyText, next: anyText }, { requiredKeys: [] }),
        async (fields) => {
          const response = await client.post('/login', {
            _csrf: token,
            ...(fields as Record<string, string>),
          });
          expect([400, 401, 429]).toContain(response.status);
          expect(response.body).toContain('Вход в личный кабинет');
        },
      ),
      { numRuns: 150 },
    );
  });
});
