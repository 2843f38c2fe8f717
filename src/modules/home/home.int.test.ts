import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../tests/support/app.js';
import { TestClient, textOf } from '../../../tests/support/client.js';
import { createTestDatabase } from '../../../tests/support/database.js';
import { createFamily } from '../../../tests/support/enrolment.js';
import type { App } from '../../app.js';
import type { Database } from '../../platform/db/client.js';
import { hashPassword } from '../accounts/password.js';

/** The home page's steps to a certificate speak to whoever reads them. */

/** The page's text with the links' tag gaps inside «…» closed: «Регистрация», not « Регистрация ». */
const read = (html: string) => textOf(html).replace(/« /g, '«').replace(/ »/g, '»');

let database: Database;
let app: App;
const PASSWORD = 'Родитель-навигатора-67';

beforeAll(async () => {
  database = await createTestDatabase();
  app = await createTestApp(database);
});
afterAll(async () => {
  await app.close();
  await database.close();
});

async function signedIn(email: string, emailVerified: boolean): Promise<TestClient> {
  await createFamily(database.db, { email, emailVerified, passwordHash: await hashPassword(PASSWORD) });
  const client = new TestClient(app.http, `198.51.100.${emailVerified ? 61 : 62}`);
  expect((await client.submit('/login', { email, password: PASSWORD })).status).toBe(303);
  return client;
}

describe('the steps to a certificate', () => {
  it('start with «Регистрация» for a guest', async () => {
    const text = read((await app.http.inject('/')).body);
    expect(text).toContain('Нажмите «Регистрация» и заполните форму.');
    expect(text).toContain('Подтвердите адрес электронной почты');
  });

  it('skip what a signed-in parent has done', async () => {
    const confirmed = read((await (await signedIn('home-confirmed@example.ru', true)).get('/')).body);
    expect(confirmed).not.toContain('Нажмите «Регистрация»');
    expect(confirmed).not.toContain('Подтвердите адрес электронной почты по ссылке');
    expect(confirmed).toContain('на вкладке «Дети» добавьте ребёнка и нажмите «Получить сертификат»');

    const unconfirmed = read((await (await signedIn('home-unconfirmed@example.ru', false)).get('/')).body);
    expect(unconfirmed).not.toContain('Нажмите «Регистрация»');
    expect(unconfirmed).toContain('Подтвердите адрес электронной почты по ссылке из письма');
  });
});
