import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailingTestApp } from '../../../tests/support/app.js';
import { TestClient, csrfTokenOf, textOf } from '../../../tests/support/client.js';
import { confirmedContract, openFundingPeriod } from '../../../tests/support/contracts.js';
import { createFamily, createOpenGroup, createOrganization } from '../../../tests/support/enrolment.js';
import { zipBomb } from '../../../tests/support/xlsx-bombs.js';
import type { App } from '../../app.js';
import type { Actor } from '../../platform/access/policy.js';
import { queryRows, type Database } from '../../platform/db/client.js';
import { regionToday } from '../../platform/views/format.js';
import { hashPassword } from '../accounts/password.js';
import { createStaffAccount } from '../accounts/service.js';
import { nextPeriod, periodOf } from './money.js';

/**
 * An attacker's review (OWASP ASVS level 2) of the month close's pages, the funding settings and the contract
 * offer, replayed over HTTP: the findings that were fixed, and what held where no test said so.
 */

const PASSWORD = 'Атака-на-учёт-67';
let testbed: Awaited<ReturnType<typeof createMailingTestApp>>;
let database: Database;
let app: App;
let passwordHash: string;
let people = 0;
let organizationA: string;
let orgA: Actor;
const clients = {} as Record<'orgA' | 'adminS' | 'adminD' | 'coordinator', TestClient>;
const period = periodOf(regionToday());

async function signedIn(email: string): Promise<TestClient> {
  const client = new TestClient(app.http, `198.51.100.${(people++ % 200) + 1}`);
  const response = await client.submit('/login', { email, password: PASSWORD });
  expect(response.status).toBe(303);
  return client;
}

/** A parent, signed in, whose funded child has a contract confirmed by the organization (an offer). */
async function offer(childLastName?: string) {
  const email = `attack-parent${++people}@example.ru`;
  const family = await createFamily(database.db, {
    email,
    passwordHash,
    ...(childLastName ? { childLastName } : {}),
  });
  const parent: Actor = { id: family.userId, emailVerified: true, staff: null };
  expect((await app.services.funding.request(parent, family.childId)).status).toBe('funded');
  const { contractId: id } = await confirmedContract(app, database.db, {
    parent,
    childId: family.childId,
    provider: orgA,
    organizationId: organizationA,
    price: 300,
    programName: `Программа проверки ${people}`,
  });
  return { id, parent, client: await signedIn(email) };
}

const statusOf = async (contractId: string) =>
  String(
    (
      await queryRows(database.db, sql`select status::text from funding_contracts where id = ${contractId}`)
    )[0]!.status,
  );

beforeAll(async () => {
  testbed = await createMailingTestApp();
  ({ database, app } = testbed);
  passwordHash = await hashPassword(PASSWORD);
  organizationA = await createOrganization(database.db, 'Центр «Проверка»');
  const accounts = {
    orgA: { role: 'org_staff', municipalityId: 1, organizationId: organizationA },
    adminS: { role: 'municipal_admin', municipalityId: 1 },
    adminD: { role: 'municipal_admin', municipalityId: 2 },
    coordinator: { role: 'coordinator' },
  } as const;
  const ids: Record<string, string> = {};
  for (const [key, role] of Object.entries(accounts)) {
    ids[key] = (await createStaffAccount(database, {
      ...role,
      email: `attack-${key.toLowerCase()}@example.ru`,
      password: PASSWORD,
      lastName: 'Проверкина',
      firstName: 'Ольга',
    }))!;
    clients[key as keyof typeof accounts] = await signedIn(`attack-${key.toLowerCase()}@example.ru`);
  }
  orgA = { id: ids.orgA!, emailVerified: true, staff: { ...accounts.orgA } };
  const coordinator: Actor = {
    id: ids.coordinator!,
    emailVerified: true,
    staff: { role: 'coordinator', municipalityId: null, organizationId: null },
  };
  await openFundingPeriod(app, coordinator, period);
}, 120_000);

afterAll(async () => {
  await testbed?.close();
});

describe('the month in the address of the completeness and register pages', () => {
  it('is a 404 for a year PostgreSQL has no date for, not a 500 (finding)', async () => {
    // '0000-01' passed the month's pattern and reached `'0000-01-01'::date`: «date/time field value out of
    // range», the 500 page, on every page and download of the month close.
    const register = `organization=${organizationA}&municipality=1&kind=advance`;
    for (const month of ['0000-01', '0000-12-01', '1999-12', '2101-01']) {
      expect((await clients.orgA.get(`/staff/org/completeness?month=${month}`)).status).toBe(404);
      expect((await clients.orgA.get(`/staff/org/completeness.xlsx?month=${month}`)).status).toBe(404);
      expect(
        (await clients.orgA.submit('/staff/org/completeness', {}, `/staff/org/completeness?month=${month}`))
          .status,
      ).toBe(404);
      expect((await clients.adminS.get(`/staff/funding/registers?month=${month}`)).status).toBe(404);
      expect(
        (await clients.adminS.get(`/staff/funding/registers/export.xlsx?month=${month}&${register}`)).status,
      ).toBe(404);
      expect(
        (
          await clients.adminS.submit(
            '/staff/funding/registers',
            { status: 'paid' },
            `/staff/funding/registers/status?month=${month}&${register}`,
          )
        ).status,
      ).toBe(404);
    }
  });
});

describe('the completeness upload from a hostile form or file', () => {
  const boundary = '----attack';
  const part = (name: string, value: string, file?: string) =>
    `--${boundary}\r\ncontent-disposition: form-data; name="${name}"${file ? `; filename="${file}"` : ''}\r\n\r\n${value}\r\n`;
  const send = async (
    client: TestClient,
    payload: string | Buffer,
    type = `multipart/form-data; boundary=${boundary}`,
  ) => {
    const response = await app.http.inject({
      method: 'POST',
      url: '/staff/org/completeness/upload',
      remoteAddress: '198.51.100.250',
      headers: { cookie: [...client.cookies].map(([n, v]) => `${n}=${v}`).join('; '), 'content-type': type },
      payload,
    });
    return { status: response.statusCode, text: textOf(response.body) };
  };
  const csrf = async () => csrfTokenOf((await clients.orgA.get('/staff/org/completeness')).body);
  const entered = async () =>
    Number(
      (
        await queryRows(
          database.db,
          sql`select count(*)::int as n from audit_events where action = 'funding.completeness_entered'`,
        )
      )[0]!.n,
    );

  it('says in Russian on the page that one file is expected, for two files or extra fields (finding)', async () => {
    // The reader refused them with 413 and the bare «Неверный запрос» page.
    const token = await csrf();
    const two = await send(
      clients.orgA,
      part('_csrf', token) +
        part('file', 'a', 'a.xlsx') +
        part('file', 'b', 'b.xlsx') +
        `--${boundary}--\r\n`,
    );
    expect(two.status).toBe(400);
    expect(two.text).toContain('Загрузите один файл Excel (.xlsx) с заполненной полнотой');
    expect(two.text).toContain('Полнота оказания услуг');
    const fields = await send(
      clients.orgA,
      part('_csrf', token) +
        [1, 2, 3, 4, 5, 6].map((i) => part(`f${i}`, 'x')).join('') +
        `--${boundary}--\r\n`,
    );
    expect(fields.status).toBe(400);
    expect(fields.text).toContain('Форма отправлена не со страницы полноты');
  });

  it('holds: no token, a truncated body, a zip bomb, a file given as text — refused, nothing written, never a 500', async () => {
    const before = await entered();
    const token = await csrf();
    const noToken = await send(clients.orgA, part('file', 'a', 'a.xlsx') + `--${boundary}--\r\n`);
    expect(noToken.status).toBe(403);
    expect(noToken.text).toContain('Форма устарела');
    const truncated = await send(
      clients.orgA,
      part('_csrf', token) +
        `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="a"\r\n\r\nabc`,
    );
    expect(truncated.status).toBe(400);
    expect((await send(clients.orgA, 'abc', 'multipart/form-data')).status).toBe(400);
    const asText = await send(
      clients.orgA,
      part('_csrf', token) + part('file', 'abc') + `--${boundary}--\r\n`,
    );
    expect(asText.status).toBe(400);
    expect(asText.text).toContain('Выберите файл Excel (.xlsx)');
    // 300 MB of one sheet packed into a few hundred kilobytes, and one that lies about its size.
    for (const bomb of [zipBomb(300 * 1024 * 1024), zipBomb(100 * 1024 * 1024, 1000)]) {
      const page = await clients.orgA.get('/staff/org/completeness');
      const refused = await clients.orgA.upload(
        '/staff/org/completeness/upload',
        { _csrf: csrfTokenOf(page.body) },
        { field: 'file', name: 'polnota.xlsx', content: bomb, type: 'application/octet-stream' },
      );
      expect(refused.status).toBe(400);
      expect(textOf(refused.body)).toMatch(/Файл|файл/);
      expect(textOf(refused.body)).not.toContain('Ошибка на сервере');
    }
    // Guests and parents never reach the reader.
    expect((await send(new TestClient(app.http), part('file', 'a', 'a.xlsx'))).status).toBe(303);
    expect(await entered()).toBe(before);
  });
});

describe('funding settings of another municipality', () => {
  it('holds: its administrator’s own correct password changes nothing there; without the token nothing either', async () => {
    const next = nextPeriod(period);
    const periods = async () =>
      Number((await queryRows(database.db, sql`select count(*)::int as n from funding_periods`))[0]!.n);
    const categories = async () =>
      Number((await queryRows(database.db, sql`select count(*)::int as n from funding_categories`))[0]!.n);
    const before = { periods: await periods(), categories: await categories() };
    const own = '/staff/funding/2';
    expect(
      (await clients.adminD.submit(own, { password: PASSWORD }, '/staff/funding/1/next-period')).status,
    ).toBe(404);
    const [category] = await queryRows(database.db, sql`select id from funding_categories limit 1`);
    const changed = await clients.adminD.submit(
      `/staff/funding/2/categories/new`,
      {
        name: 'Дети 5–18 лет',
        ageFrom: '5',
        ageTo: '18',
        nominal: '90000',
        quota: '1000',
        password: PASSWORD,
      },
      `/staff/funding/1/categories/${String(category!.id)}`,
    );
    expect(changed.status).toBe(404);
    expect((await clients.adminD.submit(own, { open: 'no' }, '/staff/funding/1/period')).status).toBe(404);
    // The payer's own administrator, from a page of another site (no CSRF token): refused before the password.
    const forged = await clients.adminS.post('/staff/funding/1/next-period', { password: PASSWORD });
    expect(forged.status).toBe(403);
    expect(textOf(forged.body)).toContain('Форма устарела');
    expect({ periods: await periods(), categories: await categories() }).toEqual(before);
    const [nominal] = await queryRows(
      database.db,
      sql`select nominal_kopecks from funding_categories where id = ${category!.id}`,
    );
    expect(Number(nominal!.nominal_kopecks)).toBe(500_000);
    const [created] = await queryRows(
      database.db,
      sql`select count(*)::int as n from funding_periods where starts_on = ${next.startsOn}`,
    );
    expect(Number(created!.n)).toBe(0);
  });
});

describe('the contract offer', () => {
  it('holds: accepted once only, never by another parent, never after its deadline even before the job ran', async () => {
    const first = await offer();
    const stranger = await offer();
    // Another parent, with their own session and token: as if the contract did not exist.
    const foreign = await stranger.client.submit(
      `/cabinet/contracts/${stranger.id}`,
      { agree: 'yes' },
      `/cabinet/contracts/${first.id}/accept`,
    );
    expect(foreign.status).toBe(404);
    expect((await stranger.client.get(`/cabinet/contracts/${first.id}/pdf`)).status).toBe(404);
    expect(await statusOf(first.id)).toBe('confirmed');
    const accept = (who: Awaited<ReturnType<typeof offer>>) =>
      who.client.submit(
        `/cabinet/contracts/${who.id}`,
        { agree: 'yes' },
        `/cabinet/contracts/${who.id}/accept`,
      );
    expect((await accept(first)).status).toBe(303);
    expect(await statusOf(first.id)).toBe('active');
    const acceptedEvents = async (id: string) =>
      Number(
        (
          await queryRows(
            database.db,
            sql`select count(*)::int as n from audit_events where action = 'contract.accepted' and subject_id = ${id}`,
          )
        )[0]!.n,
      );
    // Replayed: the status has moved on, said so; nothing is written again.
    const replay = await first.client.follow(await accept(first));
    expect(textOf(replay.body)).toContain('Статус договора уже изменился');
    expect(await acceptedEvents(first.id)).toBe(1);

    // The deadline passed, the expiry job has not run yet: the offer cannot be accepted.
    await queryRows(
      database.db,
      sql`update funding_contracts set offer_expires_at = now() - interval '1 minute' where id = ${stranger.id}`,
    );
    const late = await stranger.client.follow(await accept(stranger));
    expect(textOf(late.body)).toContain('Срок акцепта оферты истёк');
    expect(await statusOf(stranger.id)).toBe('confirmed');
    expect(await acceptedEvents(stranger.id)).toBe(0);
  });
});

describe('the XLSX of completeness and of a register', () => {
  it('holds: a child’s name that looks like a formula is text in both; the register’s download is audited as one (finding)', async () => {
    // A parent names the child «=HYPERLINK(…)»: a spreadsheet must show it, never evaluate it.
    const formula = '=HYPERLINK("http://attacker.example/?x=1","Открыть")';
    const contract = await offer(formula);
    expect(
      (
        await contract.client.submit(
          `/cabinet/contracts/${contract.id}`,
          { agree: 'yes' },
          `/cabinet/contracts/${contract.id}/accept`,
        )
      ).status,
    ).toBe(303);
    const [row] = await queryRows(
      database.db,
      sql`select months from funding_contracts where id = ${contract.id}`,
    );
    const month = (row!.months as { month: string }[])[0]!.month;
    const cellsOf = async (raw: Buffer) => {
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(raw as unknown as ArrayBuffer);
      const cells: ExcelJS.Cell[] = [];
      workbook.worksheets[0]!.eachRow((r) => r.eachCell((cell) => cells.push(cell)));
      return cells;
    };
    const completeness = await clients.orgA.get(`/staff/org/completeness.xlsx?month=${month.slice(0, 7)}`);
    expect(completeness.status).toBe(200);
    const named = (await cellsOf(completeness.raw)).filter((cell) => cell.text.includes('HYPERLINK'));
    expect(named.length).toBe(1);
    expect(named[0]!.type).toBe(ExcelJS.ValueType.String);
    expect(named.some((cell) => cell.formula)).toBe(false);

    await app.services.accounting.closeMonth(month);
    const register = new URLSearchParams({
      month: month.slice(0, 7),
      organization: organizationA,
      municipality: '1',
      kind: 'advance',
    }).toString();
    const downloads = async () =>
      queryRows(
        database.db,
        sql`select actor_user_id, details from audit_events where action = 'staff.register_downloaded'`,
      );
    // Another municipality's administrator, the same register's address: as if it did not exist, and not audited.
    expect((await clients.adminD.get(`/staff/funding/registers/export.xlsx?${register}`)).status).toBe(404);
    expect(await downloads()).toEqual([]);
    const exported = await clients.adminS.get(`/staff/funding/registers/export.xlsx?${register}`);
    expect(exported.status).toBe(200);
    const cells = (await cellsOf(exported.raw)).filter((cell) => cell.text.includes('HYPERLINK'));
    expect(cells.length).toBe(1);
    expect(cells[0]!.type).toBe(ExcelJS.ValueType.String);
    // The download was written to the audit as a download (it read «registers viewed», as the page does).
    const audited = await downloads();
    expect(audited.length).toBe(1);
    expect((audited[0]!.details as { contractIds: string[] }).contractIds).toContain(contract.id);
    // A status for a register that is not there (another payer in the address): 404, nothing changes.
    const elsewhere = register.replace('municipality=1', 'municipality=2');
    expect(
      (
        await clients.adminS.submit(
          `/staff/funding/registers?month=${month.slice(0, 7)}`,
          { status: 'paid' },
          `/staff/funding/registers/status?${elsewhere}`,
        )
      ).status,
    ).toBe(404);
    const statuses = await queryRows(database.db, sql`select status::text from funding_registers`);
    expect(statuses.every((r) => r.status === 'unviewed')).toBe(true);
  });
});

describe('GET /api/v1/programs/places', () => {
  it('holds: only organizations of published programs, not archived, with their public fields; hostile queries are empty answers', async () => {
    const place = async (name: string) => {
      const id = await createOrganization(database.db, name);
      await queryRows(
        database.db,
        sql`update organizations set latitude = 54.78, longitude = 32.04 where id = ${id}`,
      );
      return id;
    };
    const shown = await place('Студия «Видна»');
    const draftOnly = await place('Студия «Черновик»');
    const archived = await place('Студия «Архив»');
    await createOpenGroup(database.db, { organizationId: shown, programName: 'Макраме для всех' });
    await createOpenGroup(database.db, {
      organizationId: draftOnly,
      programName: 'Макраме черновое',
      status: 'draft',
    });
    await createOpenGroup(database.db, { organizationId: archived, programName: 'Макраме в архиве' });
    await queryRows(database.db, sql`update organizations set archived_at = now() where id = ${archived}`);

    const answer = await app.http.inject('/api/v1/programs/places?municipality=all&q=макраме');
    expect(answer.statusCode).toBe(200);
    const body = answer.json<{ total: number; places: Record<string, unknown>[] }>();
    expect(body.places.map((p) => p.organizationId)).toEqual([shown]);
    expect(Object.keys(body.places[0]!).sort()).toEqual(
      ['address', 'href', 'latitude', 'longitude', 'name', 'note', 'organizationId', 'programs'].sort(),
    );
    expect(JSON.stringify(body)).not.toMatch(/inn|ogrn|phone|email/i);
    for (const query of [
      `q=${'а'.repeat(5000)}`,
      `q=${encodeURIComponent("' or 1=1 --")}`,
      `q=${encodeURIComponent('a & b | !c :* <-> (')}`,
      'page=-1&age=1e309&maxCost=-5',
      'municipality[]=x&direction=%00',
      'organization=not-a-uuid',
      'child=00000000-0000-4000-8000-000000000000',
    ]) {
      const hostile = await app.http.inject(`/api/v1/programs/places?${query}`);
      expect(hostile.statusCode).toBe(200);
      expect(hostile.json<{ places: unknown[] }>().places.length).toBeLessThanOrEqual(200);
    }
  });
});

describe('the contract’s PDF', () => {
  it('holds: names with emoji, control and right-to-left marks, CJK and thousands of characters render, never a 500', async () => {
    const contract = await offer('Иванов\n\u200f🎨𝔘\u0007 ' + 'Щ'.repeat(300));
    await queryRows(
      database.db,
      sql`update programs set name = ${'🎨 Рисование\tи\r\nлепка ' + '漢字 '.repeat(500)}
           where id = (select program_id from funding_contracts where id = ${contract.id})`,
    );
    for (const response of [
      await contract.client.get(`/cabinet/contracts/${contract.id}/pdf`),
      await clients.orgA.get(`/staff/contracts/${contract.id}/pdf`),
    ]) {
      expect(response.status).toBe(200);
      expect(response.raw.subarray(0, 5).toString()).toBe('%PDF-');
    }
    expect((await contract.client.get(`/cabinet/contracts/${contract.id}`)).status).toBe(200);
  });
});
