import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../tests/support/app.js';
import { TestClient, csrfTokenOf } from '../../../tests/support/client.js';
import { createTestDatabase } from '../../../tests/support/database.js';
import { createOrganization } from '../../../tests/support/enrolment.js';
import { cellBomb, zipBomb } from '../../../tests/support/xlsx-bombs.js';
import type { App } from '../../app.js';
import type { Database } from '../../platform/db/client.js';
import { createStaffAccount } from '../accounts/service.js';

/**
 * Fault test (issue 12, 10c): hostile workbooks — 2 MB cell bombs and zip bombs, over 10 MB in all — uploaded at
 * once over real HTTP while another client polls /healthz. Every poll must answer within a second: the files
 * are read in worker threads, and refused with a Russian message.
 */

const PASSWORD = 'Бомбы-не-пройдут-2026';
let database: Database;
let app: App;
let base: string;
let client: TestClient;

beforeAll(async () => {
  database = await createTestDatabase();
  app = await createTestApp(database);
  const organizationId = await createOrganization(database.db);
  await createStaffAccount(database, {
    role: 'org_staff',
    municipalityId: 1,
    organizationId,
    email: 'bombs@provider.example.ru',
    password: PASSWORD,
    lastName: 'Петрова',
    firstName: 'Ольга',
  });
  client = new TestClient(app.http, '198.51.100.77');
  expect(
    (await client.submit('/login', { email: 'bombs@provider.example.ru', password: PASSWORD })).status,
  ).toBe(303);
  await app.http.listen({ port: 0, host: '127.0.0.1' });
  const address = app.http.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterAll(async () => {
  await app.close();
  await database.close();
});

describe('hostile workbooks', () => {
  it('are refused while /healthz answers every poll within a second', async () => {
    const cells = cellBomb(9_500);
    const bombs = [
      ...Array.from({ length: 5 }, () => ({ file: cells, refusal: 'ячеек' })),
      { file: zipBomb(200 * 1024 * 1024), refusal: 'после распаковки больше 40 МБ' },
      { file: zipBomb(200 * 1024 * 1024, 1000), refusal: 'после распаковки больше 40 МБ' },
    ];
    const total = bombs.reduce((sum, bomb) => sum + bomb.file.length, 0);
    expect(cells.length).toBeGreaterThan(2 * 1000 * 1000);
    expect(total).toBeGreaterThan(10 * 1024 * 1024);

    const cookie = [...client.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const csrf = csrfTokenOf((await client.get('/staff/org/import')).body);
    const latencies: number[] = [];
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const started = performance.now();
        const response = await fetch(`${base}/healthz`);
        await response.text();
        latencies.push(response.ok ? performance.now() - started : Infinity);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    const started = performance.now();
    const answers = await Promise.all(
      bombs.map(async ({ file }) => {
        const form = new FormData();
        form.append('_csrf', csrf);
        form.append('file', new Blob([new Uint8Array(file)]), 'programs.xlsx');
        const response = await fetch(`${base}/staff/org/import`, {
          method: 'POST',
          headers: { cookie },
          body: form,
        });
        return { status: response.status, body: await response.text() };
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    polling = false;
    await poller;

    answers.forEach((answer, index) => {
      expect(answer.status).toBe(400);
      expect(answer.body).toContain(bombs[index]!.refusal);
    });
    const max = Math.max(...latencies);
    console.log(
      `import bombs: ${bombs.length} files, ${(total / 1024 / 1024).toFixed(1)} MB, refused in ${seconds.toFixed(1)} s; ` +
        `/healthz polled ${latencies.length} times, max latency ${max.toFixed(0)} ms`,
    );
    expect(latencies.length).toBeGreaterThan(5);
    expect(max).toBeLessThan(1000);
  });
});
