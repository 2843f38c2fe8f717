import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMailingTestApp } from '../../../tests/support/app.js';
import { TestClient, csrfTokenOf, textOf } from '../../../tests/support/client.js';
import { activeContract as contractInForce, openFundingPeriod } from '../../../tests/support/contracts.js';
import { createFamily, createOrganization } from '../../../tests/support/enrolment.js';
import type { App } from '../../app.js';
import type { Actor } from '../../platform/access/policy.js';
import { queryRows, type Database } from '../../platform/db/client.js';
import { regionToday } from '../../platform/views/format.js';
import { hashPassword } from '../accounts/password.js';
import { createStaffAccount } from '../accounts/service.js';
import { shiftMonth } from './accounting.js';
import { PERIOD_ENDED_REASON } from './contracts.js';
import { periodOf } from './money.js';

/** The month close: advances, invoices by completeness, the end of contracts; reruns and races; the ledger. */

const PASSWORD = 'Закрытие-месяца-67';
let testbed: Awaited<ReturnType<typeof createMailingTestApp>>;
let database: Database;
let app: App;
let passwordHash: string;
let people = 0;
let organizationA: string;
let orgA: Actor;
const clients = {} as Record<'orgA' | 'orgB' | 'adminS' | 'adminD' | 'coordinator', TestClient>;

async function signedIn(email: string): Promise<TestClient> {
  const client = new TestClient(app.http, `198.51.100.${(people++ % 200) + 1}`);
  const response = await client.submit('/login', { email, password: PASSWORD });
  expect(response.status).toBe(303);
  return client;
}
const period = periodOf(regionToday());
const context = { requestId: 'test', clientAddress: '::1' };

/** A parent whose funded child has an active contract at `price` ₽ a month (4 000 ₽ and less fit the balance). */
async function activeContract(price = 400) {
  const email = `accounting-parent${++people}@example.ru`;
  const family = await createFamily(database.db, { email, passwordHash });
  const parent: Actor = { id: family.userId, emailVerified: true, staff: null };
  expect((await app.services.funding.request(parent, family.childId)).status).toBe('funded');
  const { contractId: id } = await contractInForce(app, database.db, {
    parent,
    childId: family.childId,
    provider: orgA,
    organizationId: organizationA,
    price,
    programName: `Программа учёта ${people}`,
  });
  return { id, email, certificate: await certificateOf(id), months: await monthsOf(id) };
}

async function monthsOf(contractId: string) {
  const [row] = await queryRows(
    database.db,
    sql`select months from funding_contracts where id = ${contractId}`,
  );
  return row!.months as { month: string; certificateKopecks: number }[];
}

async function certificateOf(contractId: string) {
  const [row] = await queryRows(
    database.db,
    sql`select certificate_id from funding_contracts where id = ${contractId}`,
  );
  return String(row!.certificate_id);
}

async function sums(certificateId: string) {
  const [row] = await queryRows(
    database.db,
    sql`select sum(case kind when 'grant' then amount_kopecks when 'reserve' then -amount_kopecks
                             when 'release' then amount_kopecks when 'refund' then amount_kopecks
                             when 'expire' then -amount_kopecks else 0 end)::bigint as balance,
               sum(case kind when 'reserve' then amount_kopecks when 'release' then -amount_kopecks
                             when 'charge' then -amount_kopecks else 0 end)::bigint as reserved,
               sum(case kind when 'charge' then amount_kopecks when 'refund' then -amount_kopecks else 0 end)::bigint as spent
          from funding_ledger where certificate_id = ${certificateId}`,
  );
  return { balance: Number(row!.balance), reserved: Number(row!.reserved), spent: Number(row!.spent) };
}

async function accrualsOf(contractId: string) {
  return queryRows(
    database.db,
    sql`select month::text, kind::text, part_kopecks, completeness_percent, due_kopecks, charged_kopecks,
               released_kopecks, refunded_kopecks
          from funding_accruals where contract_id = ${contractId} order by month, kind`,
  );
}

const ledgerCount = async () =>
  Number((await queryRows(database.db, sql`select count(*)::int as n from funding_ledger`))[0]!.n);

/**
 * granted = balance + reserved + spent + expired and nothing below 0, per certificate and period; a live contract
 * holds its reserve less what its accruals charged and released; a closed one holds nothing.
 */
async function ledgerInvariant() {
  const rows = await queryRows(
    database.db,
    sql`select sum(amount_kopecks) filter (where kind = 'grant') as granted,
               sum(case kind when 'grant' then amount_kopecks when 'reserve' then -amount_kopecks
                             when 'release' then amount_kopecks when 'refund' then amount_kopecks
                             when 'expire' then -amount_kopecks else 0 end) as balance,
               sum(case kind when 'reserve' then amount_kopecks when 'release' then -amount_kopecks
                             when 'charge' then -amount_kopecks else 0 end) as reserved,
               sum(case kind when 'charge' then amount_kopecks when 'refund' then -amount_kopecks else 0 end) as spent,
               sum(amount_kopecks) filter (where kind = 'expire') as expired
          from funding_ledger group by certificate_id, period_id`,
  );
  for (const row of rows) {
    for (const key of ['balance', 'reserved', 'spent']) expect(Number(row[key])).toBeGreaterThanOrEqual(0);
    expect(Number(row.granted ?? 0)).toBe(
      Number(row.balance) + Number(row.reserved) + Number(row.spent) + Number(row.expired ?? 0),
    );
  }
  const contracts = await queryRows(
    database.db,
    sql`select c.status, c.certificate_kopecks,
               (select coalesce(sum(case l.kind when 'reserve' then l.amount_kopecks when 'release' then -l.amount_kopecks
                                               when 'charge' then -l.amount_kopecks else 0 end), 0)
                  from funding_ledger l where l.contract_id = c.id) as held,
               (select coalesce(sum(a.charged_kopecks + a.released_kopecks), 0)
                  from funding_accruals a where a.contract_id = c.id) as accrued
          from funding_contracts c`,
  );
  for (const row of contracts)
    expect(Number(row.held)).toBe(
      ['created', 'confirmed', 'active'].includes(String(row.status))
        ? Number(row.certificate_kopecks) - Number(row.accrued)
        : 0,
    );
}

beforeAll(async () => {
  testbed = await createMailingTestApp();
  ({ database, app } = testbed);
  passwordHash = await hashPassword(PASSWORD);
  organizationA = await createOrganization(database.db, 'Центр «Полнота»');
  const coordinatorId = await createStaffAccount(database, {
    role: 'coordinator',
    email: 'accounting-coordinator@example.ru',
    password: PASSWORD,
    lastName: 'Сергеева',
    firstName: 'Нина',
  });
  const orgId = await createStaffAccount(database, {
    role: 'org_staff',
    municipalityId: 1,
    organizationId: organizationA,
    email: 'accounting-org@example.ru',
    password: PASSWORD,
    lastName: 'Петрова',
    firstName: 'Анна',
  });
  orgA = {
    id: orgId!,
    emailVerified: true,
    staff: { role: 'org_staff', municipalityId: 1, organizationId: organizationA },
  };
  const coordinator: Actor = {
    id: coordinatorId!,
    emailVerified: true,
    staff: { role: 'coordinator', municipalityId: null, organizationId: null },
  };
  await openFundingPeriod(app, coordinator, period);
  const organizationB = await createOrganization(database.db, 'Студия «Другая»');
  const others = {
    orgB: { role: 'org_staff', municipalityId: 1, organizationId: organizationB },
    adminS: { role: 'municipal_admin', municipalityId: 1 },
    adminD: { role: 'municipal_admin', municipalityId: 2 },
  } as const;
  for (const [key, role] of Object.entries(others))
    await createStaffAccount(database, {
      ...role,
      email: `accounting-${key.toLowerCase()}@example.ru`,
      password: PASSWORD,
      lastName: 'Сергеева',
      firstName: 'Нина',
    });
  for (const key of ['orgA', 'orgB', 'adminS', 'adminD', 'coordinator'] as const)
    clients[key] = await signedIn(
      key === 'orgA'
        ? 'accounting-org@example.ru'
        : key === 'coordinator'
          ? 'accounting-coordinator@example.ru'
          : `accounting-${key.toLowerCase()}@example.ru`,
    );
}, 120_000);

afterEach(ledgerInvariant, 120_000);

afterAll(async () => {
  await testbed?.close();
});

describe('the month close', () => {
  it('charges advances, invoices by completeness (50 %, the default 100 %), ends the contract; reruns write nothing', async () => {
    const contract = await activeContract(400);
    const [first, second, third] = contract.months;
    const last = contract.months.at(-1)!;
    expect(first!.certificateKopecks).toBe(40_000);
    const start = await sums(contract.certificate);
    expect(start.reserved).toBe(40_000 * contract.months.length);

    // Month 1: the advance, 80 % of its part; nothing to invoice before it.
    const one = await app.services.accounting.closeMonth(first!.month);
    expect(one.advances).toMatchObject({ count: 1, chargedKopecks: 32_000 });
    expect(one.invoices.count).toBe(0);
    expect(await sums(contract.certificate)).toEqual({
      balance: start.balance,
      reserved: start.reserved - 32_000,
      spent: 32_000,
    });
    // A rerun, and two at once: not a row more.
    const rows = await ledgerCount();
    const again = await Promise.all([
      app.services.accounting.closeMonth(first!.month),
      app.services.accounting.closeMonth(first!.month),
    ]);
    for (const report of again) expect(report.advances.count + report.invoices.count + report.ended).toBe(0);
    expect(await ledgerCount()).toBe(rows);

    // Month 2: the invoice of month 1 at 50 % refunds 120 ₽ of the advance and releases the 80 ₽ left of its part.
    await queryRows(
      database.db,
      sql`insert into funding_completeness (contract_id, month, percent, entered_by)
          values (${contract.id}, ${first!.month}, 50, ${orgA.id})`,
    );
    const two = await app.services.accounting.closeMonth(second!.month);
    expect(two.invoices).toMatchObject({
      count: 1,
      chargedKopecks: 0,
      releasedKopecks: 8_000,
      refundedKopecks: 12_000,
    });
    expect(two.advances.count).toBe(1);
    expect(await sums(contract.certificate)).toEqual({
      balance: start.balance + 20_000,
      reserved: start.reserved - 40_000 - 32_000,
      spent: 20_000 + 32_000,
    });
    const letter = await testbed.sink.waitFor(contract.email, 15_000, 'оплачен по договору');
    expect(letter.text).toContain('полноту оказания услуг');
    expect(letter.text).toContain('50 %');
    expect(letter.text).toContain('оплачено 200\u00a0₽');

    // Month 3: no completeness entered for month 2, so 100 %: the 80 ₽ rest of the part is charged.
    const three = await app.services.accounting.closeMonth(third!.month);
    expect(three.invoices).toMatchObject({
      count: 1,
      chargedKopecks: 8_000,
      releasedKopecks: 0,
      refundedKopecks: 0,
    });
    const accruals = await accrualsOf(contract.id);
    expect(
      accruals.filter((row) => row.kind === 'invoice').map((row) => Number(row.completeness_percent)),
    ).toEqual([50, 100]);

    // The month after the last: the last month is invoiced (no advance was taken for it, the months between were
    // never closed), then the contract ends and what it still holds returns.
    const after = shiftMonth(last.month, 1);
    const end = await app.services.accounting.closeMonth(after);
    expect(end.invoices.count).toBe(1);
    expect(end.ended).toBe(1);
    const [closed] = await queryRows(
      database.db,
      sql`select status::text, close_reason from funding_contracts where id = ${contract.id}`,
    );
    expect(closed).toEqual({ status: 'terminated', close_reason: PERIOD_ENDED_REASON });
    const final = await sums(contract.certificate);
    expect(final.reserved).toBe(0);
    // Spent: month 1 at 50 %, month 2 in full, month 3's advance (never invoiced here), the last month in full.
    expect(final.spent).toBe(20_000 + 40_000 + 32_000 + 40_000);
    const rerun = await app.services.accounting.closeMonth(after);
    expect(rerun.invoices.count + rerun.advances.count + rerun.ended).toBe(0);
    // The expire job leaves it alone too: the contract is closed.
    expect((await app.services.contracts.expire()).ended).toBe(0);
  });

  it('takes the advance from contracts in force only, and invoices a terminated one by its advance, at 0 %', async () => {
    const terminated = await activeContract(300);
    const month = terminated.months[0]!.month;
    const other = await activeContract(200);
    await app.services.accounting.closeMonth(month);
    expect((await accrualsOf(other.id)).map((row) => row.kind)).toEqual(['advance']);
    // The parent gives notice: the reserve left returns at once (the advance stays spent until the invoice).
    await app.services.contracts.terminate(
      {
        id: (
          await queryRows(
            database.db,
            sql`select parent_user_id from funding_contracts where id = ${terminated.id}`,
          )
        )[0]!.parent_user_id as string,
        emailVerified: true,
        staff: null,
      },
      terminated.id,
      null,
      context,
    );
    const afterNotice = await sums(terminated.certificate);
    expect(afterNotice).toMatchObject({ reserved: 0, spent: 24_000 });
    await queryRows(
      database.db,
      sql`insert into funding_completeness (contract_id, month, percent, entered_by)
          values (${terminated.id}, ${month}, 0, ${orgA.id})`,
    );
    const next = await app.services.accounting.closeMonth(shiftMonth(month, 1));
    expect(next.advances.count).toBe(1); // the other contract only
    expect((await accrualsOf(terminated.id)).map((row) => row.kind)).toEqual(['advance', 'invoice']);
    expect(await sums(terminated.certificate)).toEqual({
      ...afterNotice,
      balance: afterNotice.balance + 24_000,
      spent: 0,
    });
  });

  it('takes completeness from the organization only, all errors at once, values kept; registers for the payer', async () => {
    const contract = await activeContract(500);
    const month = contract.months[0]!.month;
    const query = `?month=${month.slice(0, 7)}`;
    const page = await clients.orgA.get(`/staff/org/completeness${query}`);
    expect(page.status).toBe(200);
    const field = `p_${contract.id}`;
    expect(textOf(page.body)).toContain('Полнота оказания услуг');
    // Another organization does not see the contract, and its post changes nothing.
    const [numbered] = await queryRows(
      database.db,
      sql`select number from funding_contracts where id = ${contract.id}`,
    );
    expect(textOf(page.body)).toContain(`№ ${String(numbered!.number)}`);
    expect(textOf((await clients.orgB.get(`/staff/org/completeness${query}`)).body)).not.toContain(
      `№ ${String(numbered!.number)}`,
    );
    expect(
      (
        await clients.orgB.submit(
          `/staff/org/completeness${query}`,
          { [field]: '10' },
          `/staff/org/completeness${query}`,
        )
      ).status,
    ).toBe(303);
    const stored = async () =>
      (
        await queryRows(
          database.db,
          sql`select percent from funding_completeness where contract_id = ${contract.id}`,
        )
      )[0]?.percent ?? null;
    expect(await stored()).toBeNull();
    // A wrong value: the page again with the message and the value typed; nothing stored.
    const wrong = await clients.orgA.submit(
      `/staff/org/completeness${query}`,
      { [field]: '120' },
      `/staff/org/completeness${query}`,
    );
    expect(wrong.status).toBe(400);
    expect(textOf(wrong.body)).toContain('введите целое число от 0 до 100');
    expect(wrong.body).toContain('value="120"');
    expect(await stored()).toBeNull();
    const saved = await clients.orgA.submit(
      `/staff/org/completeness${query}`,
      { [field]: '60' },
      `/staff/org/completeness${query}`,
    );
    expect(saved.status).toBe(303);
    expect(Number(await stored())).toBe(60);
    const xlsx = await clients.orgA.get(`/staff/org/completeness.xlsx${query}`);
    expect(xlsx.status).toBe(200);

    // The close: the advance of the month, then its invoice at 60 %: 300 ₽ of 500 ₽, the advance was 400 ₽.
    await app.services.accounting.closeMonth(month);
    await app.services.accounting.closeMonth(shiftMonth(month, 1));
    const invoiced = await clients.orgA.get(`/staff/org/completeness${query}`);
    expect(textOf(invoiced.body)).toContain('60 % (счёт сформирован)');
    const late = await clients.orgA.submit(
      `/staff/org/completeness${query}`,
      { [field]: '100' },
      `/staff/org/completeness${query}`,
    );
    // A page opened before the close and sent after it: refused with the reason (ADR 0040), nothing changes.
    expect(late.status).toBe(400);
    expect(textOf(late.body)).toContain('уже сформирован с полнотой 60 %: изменить её нельзя');
    expect(Number(await stored())).toBe(60);

    // The registers of the month: the payer (Смоленск) and the coordinator see them, the provider reads its own.
    for (const key of ['adminS', 'coordinator', 'orgA'] as const) {
      const registers = textOf((await clients[key].get(`/staff/funding/registers${query}`)).body);
      expect(registers).toContain('Реестр авансов · Центр «Полнота»');
      expect(registers).toContain('Реестр счетов · Центр «Полнота»');
      expect(registers).toContain('Не просмотрен');
      expect(registers.includes('Изменить статус')).toBe(key === 'adminS');
    }
    for (const key of ['adminD', 'orgB'] as const)
      expect(textOf((await clients[key].get(`/staff/funding/registers${query}`)).body)).not.toContain(
        'Центр «Полнота»',
      );
    const register = new URLSearchParams({
      month: month.slice(0, 7),
      organization: organizationA,
      municipality: '1',
      kind: 'invoice',
    }).toString();
    const statusUrl = `/staff/funding/registers/status?${register}`;
    for (const key of ['adminD', 'coordinator'] as const)
      expect(
        (await clients[key].submit(`/staff/funding/registers${query}`, { status: 'paid' }, statusUrl)).status,
      ).toBe(404);
    expect(
      (await clients.orgA.submit(`/staff/funding/registers${query}`, { status: 'paid' }, statusUrl)).status,
    ).toBe(403);
    expect(
      (await clients.adminS.submit(`/staff/funding/registers${query}`, { status: 'paid' }, statusUrl)).status,
    ).toBe(303);
    const [row] = await queryRows(
      database.db,
      sql`select status::text from funding_registers where organization_id = ${organizationA} and month = ${month}
           and kind = 'invoice'`,
    );
    expect(row!.status).toBe('paid');
    const [audited] = await queryRows(
      database.db,
      sql`select details from audit_events where action = 'funding.register_status' order by id desc limit 1`,
    );
    expect(audited!.details).toMatchObject({ before: 'unviewed', after: 'paid' });
    const exported = await clients.adminS.get(`/staff/funding/registers/export.xlsx?${register}`);
    expect(exported.status).toBe(200);
    expect((await clients.adminD.get(`/staff/funding/registers/export.xlsx?${register}`)).status).toBe(404);
    const [viewed] = await queryRows(
      database.db,
      sql`select count(*)::int as n from audit_events where action in ('staff.registers_viewed', 'staff.completeness_viewed')`,
    );
    expect(Number(viewed!.n)).toBeGreaterThan(0);
  });

  it('takes the downloaded table back filled: every row checked, all errors with row numbers, nothing saved', async () => {
    const first = await activeContract(600);
    const second = await activeContract(600);
    const month = first.months[0]!.month;
    const query = `?month=${month.slice(0, 7)}`;
    const numberOf = async (id: string) =>
      String(
        (await queryRows(database.db, sql`select number from funding_contracts where id = ${id}`))[0]!.number,
      );
    const numbers = [await numberOf(first.id), await numberOf(second.id)];
    const stored = async () =>
      (
        await queryRows(
          database.db,
          sql`select contract_id, percent from funding_completeness
               where contract_id in (${first.id}, ${second.id}) order by contract_id`,
        )
      ).length;
    const download = async () => {
      const response = await clients.orgA.get(`/staff/org/completeness.xlsx${query}`);
      expect(response.status).toBe(200);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(response.raw as unknown as ArrayBuffer);
      return workbook;
    };
    const upload = async (client: TestClient, workbook: ExcelJS.Workbook) => {
      const page = await client.get(`/staff/org/completeness${query}`);
      return client.upload(
        `/staff/org/completeness/upload${query}`,
        { _csrf: csrfTokenOf(page.body) },
        {
          field: 'file',
          name: 'polnota.xlsx',
          content: Buffer.from(await workbook.xlsx.writeBuffer()),
          type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        },
      );
    };
    const rowOf = (workbook: ExcelJS.Workbook, number: string) => {
      const sheet = workbook.getWorksheet('Полнота')!;
      let found: ExcelJS.Row | undefined;
      sheet.eachRow((row) => {
        if (row.getCell(1).text === number) found = row;
      });
      return found!;
    };

    // Wrong rows: a month of another table, a percent over 100, an unknown contract; all listed, nothing saved.
    const wrong = await download();
    rowOf(wrong, numbers[0]!).getCell(2).value = shiftMonth(month, -1).slice(0, 7);
    rowOf(wrong, numbers[0]!).getCell(6).value = 50;
    rowOf(wrong, numbers[1]!).getCell(6).value = 150;
    wrong.getWorksheet('Полнота')!.addRow(['67-0000-999999', `${month.slice(5, 7)}.${month.slice(0, 4)}`]);
    const refused = await upload(clients.orgA, wrong);
    expect(refused.status).toBe(400);
    const text = textOf(refused.body);
    expect(text).toContain('Файл не загружен: исправьте 3 строки');
    expect(text).toContain(`Месяц «${shiftMonth(month, -1).slice(0, 7)}» не тот`);
    expect(text).toContain('Полнота «150»: введите целое число от 0 до 100');
    expect(text).toContain('Договора № 67-0000-999999 нет среди договоров организации');
    expect(await stored()).toBe(0);
    // Another organization's staff: the numbers are not theirs.
    const foreign = await download();
    rowOf(foreign, numbers[0]!).getCell(6).value = 10;
    const orgBPage = await clients.orgB.get(`/staff/org/completeness${query}`);
    expect(orgBPage.status).toBe(200);
    const orgB = await upload(clients.orgB, foreign);
    expect(orgB.status).toBe(400);
    expect(textOf(orgB.body)).toContain(`Договора № ${numbers[0]} нет среди договоров организации`);
    expect(await stored()).toBe(0);
    // Not a workbook.
    const page = await clients.orgA.get(`/staff/org/completeness${query}`);
    const junk = await clients.orgA.upload(
      `/staff/org/completeness/upload${query}`,
      { _csrf: csrfTokenOf(page.body) },
      { field: 'file', name: 'polnota.xlsx', content: Buffer.from('это не Excel'), type: 'text/plain' },
    );
    expect(junk.status).toBe(400);
    expect(textOf(junk.body)).toContain('Файл не читается как книга Excel');
    const big = await clients.orgA.upload(
      `/staff/org/completeness/upload${query}`,
      { _csrf: csrfTokenOf(page.body) },
      { field: 'file', name: 'polnota.xlsx', content: Buffer.alloc(6 * 1024 * 1024), type: 'text/plain' },
    );
    expect(big.status).toBe(413);
    expect(textOf(big.body)).toContain('Файл больше 5 МБ');
    expect(textOf(big.body)).toContain(`№ ${numbers[0]}`);

    // The table filled right: saved, audited as the form is.
    const filled = await download();
    rowOf(filled, numbers[0]!).getCell(6).value = 100;
    rowOf(filled, numbers[1]!).getCell(6).value = 50;
    const saved = await upload(clients.orgA, filled);
    expect(saved.status).toBe(303);
    expect(textOf((await clients.orgA.follow(saved)).body)).toContain('загружена из файла');
    const percents = await queryRows(
      database.db,
      sql`select contract_id, percent from funding_completeness where contract_id in (${first.id}, ${second.id})`,
    );
    expect(Object.fromEntries(percents.map((row) => [String(row.contract_id), Number(row.percent)]))).toEqual(
      {
        [first.id]: 100,
        [second.id]: 50,
      },
    );
    const [audited] = await queryRows(
      database.db,
      sql`select details from audit_events where action = 'funding.completeness_entered' order by id desc limit 1`,
    );
    expect(audited!.details).toMatchObject({
      source: 'xlsx',
      percents: { [first.id]: 100, [second.id]: 50 },
    });
    // The download carries them back.
    expect(rowOf(await download(), numbers[1]!).getCell(6).value).toBe(50);
  });
});
