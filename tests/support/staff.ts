import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { App } from '../../src/app.js';
import { createStaffAccount } from '../../src/modules/accounts/service.js';
import type { Database } from '../../src/platform/db/client.js';
import { TestClient } from './client.js';

let signedIn = 0;

/**
 * A staff account of `role` made in the database (a municipal administrator and organization staff in
 * municipality 1; organization staff of `organizationId`), signed in through the form, from an address of its own
 * (so that the sign-in rate limits of one file's many accounts do not meet).
 */
export async function signedInStaff(
  app: App,
  database: Database,
  role: 'coordinator' | 'municipal_admin' | 'org_staff',
  {
    password,
    organizationId,
    lastName = 'Сотрудникова',
  }: { password: string; organizationId?: string; lastName?: string },
): Promise<TestClient> {
  const email = `${role}-${randomBytes(4).toString('hex')}@staff.example.ru`;
  await createStaffAccount(database, {
    role,
    ...(role === 'coordinator' ? {} : { municipalityId: 1 }),
    ...(role === 'org_staff' ? { organizationId: organizationId! } : {}),
    email,
    password,
    lastName,
    firstName: 'Анна',
  });
  const client = new TestClient(app.http, `192.0.2.${(++signedIn % 250) + 1}`);
  expect((await client.submit('/login', { email, password })).status, email).toBe(303);
  return client;
}
