import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../tests/support/app.js';
import { textOf } from '../../../tests/support/client.js';
import { createTestDatabase } from '../../../tests/support/database.js';
import type { App } from '../../app.js';
import type { Database } from '../../platform/db/client.js';
import { MUNICIPALITIES } from './data.js';
import { ensureDemoOffices } from './service.js';

/** «Контакты» and «Помощь»: public pages the footer of every page links to. */

let database: Database;
let app: App;

beforeAll(async () => {
  database = await createTestDatabase();
  await ensureDemoOffices(database.db);
  app = await createTestApp(database);
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

describe('«Контакты»', () => {
  it('lists the regional coordinator and every municipal administrator’s office', async () => {
    const response = await app.http.inject('/contacts');
    expect(response.statusCode).toBe(200);
    const text = textOf(response.body);
    expect(text).toContain('Региональный координатор');
    expect(text).toContain('Смоленский областной институт развития образования');
    expect(text).toContain('Управление образования и молодёжной политики Администрации города Смоленска');
    expect(response.body.match(/<li class="result"/g)).toHaveLength(MUNICIPALITIES.length);
    expect(response.body).toMatch(/<a href="tel:\+7481231001\d">/);
    expect(text).toContain('Часы приёма');
  });

  it('shows one municipality chosen in the select (GET), and all for an unknown one', async () => {
    const one = await app.http.inject('/contacts?municipality=desnogorsk');
    expect(one.statusCode).toBe(200);
    expect(one.body.match(/<li class="result"/g)).toHaveLength(1);
    expect(textOf(one.body)).toContain('город Десногорск');
    expect(one.body).toContain('<option value="desnogorsk" selected>');
    expect(textOf(one.body)).toContain('Показать все муниципалитеты');
    for (const url of [
      '/contacts?municipality=nowhere',
      '/contacts?municipality[]=x',
      '/contacts?municipality=',
    ]) {
      const all = await app.http.inject(url);
      expect(all.statusCode, url).toBe(200);
      expect(all.body.match(/<li class="result"/g)).toHaveLength(MUNICIPALITIES.length);
    }
  });

  it('is linked from the footer of every page', async () => {
    for (const url of ['/', '/programs', '/contacts', '/help', '/login', '/no-such-page']) {
      const body = (await app.http.inject(url)).body;
      for (const link of ['/help', '/contacts', '/privacy', '/terms']) {
        expect(body, `${url} → ${link}`).toMatch(new RegExp(`<footer[\\s\\S]*href="${link}"`));
      }
    }
  });
});

describe('«Помощь»', () => {
  it('gives the seed’s steps and the common problems, with links', async () => {
    const response = await app.http.inject('/help');
    expect(response.statusCode).toBe(200);
    const text = textOf(response.body);
    for (const heading of [
      'Шаг за шагом',
      'Не пришло письмо',
      'Забыли пароль',
      'Потерялся номер сертификата',
      'Как подтвердить данные',
    ]) {
      expect(text).toContain(heading);
    }
    expect(text).toContain('Нажмите «Получить сертификат»');
    expect(text).toContain('от нескольких минут до нескольких часов');
    for (const link of ['/register', '/password/forgot', '/cabinet/children', '/contacts', '/programs']) {
      expect(response.body).toContain(`href="${link}"`);
    }
  });
});
