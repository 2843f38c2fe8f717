import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../platform/db/client.js';
import { buildHttpApp } from '../../platform/http/app.js';
import type { CurrentUser } from '../../platform/http/request-context.js';
import { createLogger } from '../../platform/logger.js';
import { testConfig } from '../../../tests/support/app.js';
import { createTestDatabase } from '../../../tests/support/database.js';
import { access, userOf } from '../../platform/http/access.js';
import { emailNotConfirmedPage } from './routes.js';

const confirmed: CurrentUser = {
  id: '00000000-0000-4000-8000-000000000001',
  email: 'confirmed@example.ru',
  shortName: 'Петрова М. И.',
  emailVerified: true,
  municipalityId: 1,
  sessionTokenHash: 'a',
  staff: null,
};

let database: Database;
let app: FastifyInstance;
beforeAll(async () => {
  database = await createTestDatabase();
  const config = testConfig();
  app = await buildHttpApp({
    config,
    database,
    logger: createLogger(config),
    // Which person is signed in is chosen by a test header; sessions themselves are tested with accounts.
    resolveUser: (request) => {
      const who = request.headers['x-test-user'];
      if (who === 'confirmed') return Promise.resolve(confirmed);
      if (who === 'unconfirmed')
        return Promise.resolve({ ...confirmed, email: 'new@example.ru', emailVerified: false });
      return Promise.resolve(null);
    },
    access: { emailNotConfirmedPage },
    modules: [
      (scope) => {
        scope.get('/full-rights', access('confirmed'), (request, reply) =>
          reply.send(`ok ${userOf(request).email}`),
        );
      },
    ],
  });
});
afterAll(async () => {
  await app.close();
  await database.close();
});

describe("a route declared access('confirmed')", () => {
  it('sends a guest to sign in and back', async () => {
    const response = await app.inject('/full-rights');
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/login?next=%2Ffull-rights');
  });

  it('explains to an unconfirmed user why, with the resend button', async () => {
    const response = await app.inject({ url: '/full-rights', headers: { 'x-test-user': 'unconfirmed' } });
    expect(response.statusCode).toBe(403);
    expect(response.body).toContain('Подтвердите адрес электронной почты');
    expect(response.body).toContain('new@example.ru');
    expect(response.body).toContain('Отправить письмо повторно');
  });

  it('lets a confirmed user through', async () => {
    const response = await app.inject({ url: '/full-rights', headers: { 'x-test-user': 'confirmed' } });
    expect(response.body).toBe('ok confirmed@example.ru');
  });
});
