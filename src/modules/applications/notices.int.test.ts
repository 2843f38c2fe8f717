import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../tests/support/app.js';
import { TestClient, csrfTokenOf, textOf } from '../../../tests/support/client.js';
import { createTestDatabase } from '../../../tests/support/database.js';
import {
  applyOnline,
  createFamily,
  createOpenGroup,
  createOrganization,
} from '../../../tests/support/enrolment.js';
import type { App } from '../../app.js';
import { queryRows, type Database } from '../../platform/db/client.js';
import { hashPassword } from '../accounts/password.js';
import { deleteOldNotices, noticesCleanupJob } from './notices.js';
import type { ApplicationStatus } from './places.js';

/** «Уведомления»: the list, the header's counter, marking read by POST only, each person's own, the cleanup. */

const PASSWORD = 'Родитель-навигатора-67';
let database: Database;
let app: App;
let passwordHash: string;
let organizationId: string;
let families = 0;

interface Parent {
  userId: string;
  applicationId: string;
  client: TestClient;
}

async function parentWithApplication(): Promise<Parent> {
  const email = `notice-parent${++families}@example.ru`;
  const family = await createFamily(database.db, { email, passwordHash });
  const { groupId } = await createOpenGroup(database.db, { organizationId });
  const filed = await applyOnline(app.services.applications, family, groupId);
  const client = new TestClient(app.http, `198.51.100.${families + 20}`);
  expect((await client.submit('/login', { email, password: PASSWORD })).status).toBe(303);
  return { userId: family.userId, applicationId: filed.id, client };
}

/** A status change and its notice, as the notifying job writes them, `daysAgo` days back. */
async function addNotice(parent: Parent, to: ApplicationStatus, daysAgo = 0): Promise<string> {
  const [event] = await queryRows(
    database.db,
    sql`insert into application_events (application_id, to_status, created_at)
        values (${parent.applicationId}, ${to}, now() - make_interval(days => ${daysAgo})) returning id`,
  );
  const [notice] = await queryRows(
    database.db,
    sql`insert into application_notices (event_id, user_id, application_id, text, created_at)
        values (${event!.id}, ${parent.userId}, ${parent.applicationId},
                ${`Длинный абзац письма о статусе ${to}.`}, now() - make_interval(days => ${daysAgo}))
        returning id`,
  );
  return String(notice!.id);
}

const unreadOf = async (userId: string) =>
  Number(
    (
      await queryRows(
        database.db,
        sql`select count(*)::int as n from application_notices where user_id = ${userId} and read_at is null`,
      )
    )[0]!.n,
  );

function api(client: TestClient, method: 'GET' | 'POST', url: string) {
  return app.http.inject({
    method,
    url,
    headers: {
      cookie: [...client.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
      ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
    },
    ...(method === 'POST' ? { payload: '{}' } : {}),
  });
}

/** The header's link «Уведомления» with its counter, as a screen reader reads it. */
const headerCounter = (html: string) =>
  /<a href="\/cabinet\/notices" class="site-header__notices">(.*?)<\/a>/s
    .exec(html)?.[1]
    ?.replace(/<[^>]+>/g, '');

beforeAll(async () => {
  database = await createTestDatabase();
  app = await createTestApp(database);
  passwordHash = await hashPassword(PASSWORD);
  organizationId = await createOrganization(database.db);
});

afterAll(async () => {
  await app?.close();
  await database?.close();
});

describe('«Уведомления»', () => {
  it('lists one short line per notice, newest first, 20 a page, with a link to the application', async () => {
    const parent = await parentWithApplication();
    for (let day = 24; day >= 1; day--) await addNotice(parent, 'queued', day);
    await addNotice(parent, 'accepted', 0);

    const first = await parent.client.get('/cabinet/notices');
    expect(first.status).toBe(200);
    const text = textOf(first.body);
    expect(text).toContain('Заявка принята, ребёнок зачислен — «');
    expect(text.indexOf('Заявка принята')).toBeLessThan(text.indexOf('Заявка в очереди'));
    expect(text).not.toContain('Длинный абзац письма');
    expect(text).toContain('Страница 1 из 2');
    expect(first.body.match(/class="notices-list__item/g)).toHaveLength(20);
    expect(first.body).toContain(`href="/cabinet/applications/${parent.applicationId}"`);

    const second = await parent.client.get('/cabinet/notices?page=2');
    expect(second.body.match(/class="notices-list__item/g)).toHaveLength(5);
    // Bad page numbers are the first page or the last, never an error.
    for (const page of ['0', 'abc', '999999999999', '-1']) {
      expect((await parent.client.get(`/cabinet/notices?page=${page}`)).status).toBe(200);
    }
  });

  it('counts unread ones in the header of every page, and the cabinet shows one line instead of the texts', async () => {
    const parent = await parentWithApplication();
    await addNotice(parent, 'new', 1);
    await addNotice(parent, 'accepted', 0);

    for (const url of ['/', '/programs', '/cabinet', '/cabinet/applications', '/help']) {
      const page = await parent.client.get(url);
      expect(headerCounter(page.body), url).toBe('Уведомления 2 новых');
    }
    const tab = await parent.client.get('/cabinet/applications');
    expect(textOf(tab.body)).toContain('2 новых уведомления');
    expect(tab.body).toContain('<a href="/cabinet/notices">2 новых уведомления</a>');
    expect(textOf(tab.body)).not.toContain('Длинный абзац письма');
    // A guest has no counter.
    expect(headerCounter((await new TestClient(app.http).get('/')).body)).toBeUndefined();
  });

  it('marks read only by POST: one with «Отметить прочитанным», all with «Отметить все прочитанными»', async () => {
    const parent = await parentWithApplication();
    const older = await addNotice(parent, 'queued', 2);
    await addNotice(parent, 'offered', 1);
    await addNotice(parent, 'accepted', 0);

    // Reading the list, the application and the API marks nothing.
    const list = await parent.client.get('/cabinet/notices');
    await parent.client.get(`/cabinet/applications/${parent.applicationId}`);
    await api(parent.client, 'GET', '/api/v1/notices');
    expect(await unreadOf(parent.userId)).toBe(3);
    expect(textOf(list.body)).toContain('Отметить прочитанным');
    expect(textOf(list.body)).toContain('Отметить все прочитанными');

    // Without the CSRF token nothing happens.
    expect((await parent.client.post(`/cabinet/notices/${older}/read`, {})).status).toBe(403);
    expect(await unreadOf(parent.userId)).toBe(3);

    const token = csrfTokenOf(list.body);
    const one = await parent.client.post(`/cabinet/notices/${older}/read`, { _csrf: token, page: '1' });
    expect(one).toMatchObject({ status: 303, location: '/cabinet/notices' });
    expect(await unreadOf(parent.userId)).toBe(2);
    const after = await parent.client.get('/cabinet/notices');
    expect(headerCounter(after.body)).toBe('Уведомления 2 новых');
    expect(after.body.match(/notices-list__item--unread/g)).toHaveLength(2);
    // Marking it again changes nothing and is no error.
    expect((await parent.client.post(`/cabinet/notices/${older}/read`, { _csrf: token })).status).toBe(303);

    const all = await parent.client.post('/cabinet/notices/read-all', { _csrf: token });
    expect(all).toMatchObject({ status: 303, location: '/cabinet/notices' });
    expect(await unreadOf(parent.userId)).toBe(0);
    const done = await parent.client.get('/cabinet/applications');
    expect(headerCounter(done.body)).toBe('Уведомления');
    expect(textOf(done.body)).not.toContain('новых уведомлени');
    expect(textOf((await parent.client.get('/cabinet/notices')).body)).toContain('Новых уведомлений нет');
  });

  it('another parent neither sees nor marks yours: «not found»', async () => {
    const owner = await parentWithApplication();
    const other = await parentWithApplication();
    const notice = await addNotice(owner, 'rejected');
    const token = csrfTokenOf((await other.client.get('/cabinet/notices')).body);

    expect((await other.client.post(`/cabinet/notices/${notice}/read`, { _csrf: token })).status).toBe(404);
    expect((await api(other.client, 'POST', `/api/v1/notices/${notice}/read`)).statusCode).toBe(404);
    expect((await other.client.post('/cabinet/notices/read-all', { _csrf: token })).status).toBe(303);
    expect(await unreadOf(owner.userId)).toBe(1);
    expect((await other.client.get('/cabinet/notices')).body).not.toContain(notice);
    expect((await api(other.client, 'GET', '/api/v1/notices')).json()).toMatchObject({ items: [], total: 0 });
    // A malformed or unknown id is «not found» too.
    expect((await other.client.post('/cabinet/notices/nonsense/read', { _csrf: token })).status).toBe(404);
    expect(
      (await api(other.client, 'POST', '/api/v1/notices/00000000-0000-4000-8000-000000000000/read'))
        .statusCode,
    ).toBe(404);
  });

  it('answers in the API with the documented fields, and marks read by POST', async () => {
    const parent = await parentWithApplication();
    const notice = await addNotice(parent, 'accepted');
    const list = await api(parent.client, 'GET', '/api/v1/notices');
    expect(list.statusCode).toBe(200);
    const body = list.json<{ items: Record<string, unknown>[]; unread: number }>();
    expect(body).toMatchObject({ page: 1, pageCount: 1, total: 1, unread: 1 });
    expect(Object.keys(body.items[0]!).sort()).toEqual(
      ['applicationId', 'createdAt', 'id', 'read', 'status', 'summary', 'text'].sort(),
    );
    expect(body.items[0]).toMatchObject({ id: notice, status: 'accepted', read: false });

    const read = await api(parent.client, 'POST', `/api/v1/notices/${notice}/read`);
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual({ unread: 0 });
    await addNotice(parent, 'completed');
    expect((await api(parent.client, 'POST', '/api/v1/notices/read-all')).json()).toEqual({ unread: 0 });

    const openapi = (await app.http.inject('/api/v1/openapi.json')).json<{
      paths: Record<string, unknown>;
    }>();
    expect(Object.keys(openapi.paths)).toEqual(
      expect.arrayContaining(['/notices', '/notices/{id}/read', '/notices/read-all']),
    );
    expect((await app.http.inject('/api/v1/notices')).statusCode).toBe(401);
  });
});

describe('keeping notices 12 months', () => {
  it('deletes the older ones every night, keeps the rest, and a second run finds nothing', async () => {
    const parent = await parentWithApplication();
    const old = await addNotice(parent, 'new', 400);
    const recent = await addNotice(parent, 'accepted', 300);
    const job = noticesCleanupJob(database.db);
    expect(job.cron).toBe('30 3 * * *');

    const logger = { info: () => undefined } as never;
    await job.handle({}, { jobId: 'test', logger, queue: app.queue });
    const left = await queryRows(
      database.db,
      sql`select id from application_notices where user_id = ${parent.userId}`,
    );
    expect(left.map((row) => row.id)).toEqual([recent]);
    expect(left.map((row) => row.id)).not.toContain(old);
    expect(await deleteOldNotices(database.db)).toBe(0);
  });

  it('is scheduled in pg-boss by the process that runs the jobs', async () => {
    const worker = await createTestApp(database, { runWorker: true });
    try {
      const rows = await queryRows(
        database.db,
        sql`select name, cron, timezone from pgboss.schedule where name = 'application-notices-cleanup'`,
      );
      expect(rows).toEqual([
        { name: 'application-notices-cleanup', cron: '30 3 * * *', timezone: 'Europe/Moscow' },
      ]);
    } finally {
      await worker.close();
    }
  });
});
