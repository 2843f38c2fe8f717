import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailingTestApp } from '../../../tests/support/app.js';
import { TestClient, textOf } from '../../../tests/support/client.js';
import {
  activeContract,
  createdContract,
  createFundingStaff,
  openFundingPeriod,
} from '../../../tests/support/contracts.js';
import { createFamily, createOrganization } from '../../../tests/support/enrolment.js';
import type { App } from '../../app.js';
import type { Actor } from '../../platform/access/policy.js';
import { queryRows, type Database } from '../../platform/db/client.js';
import { regionToday } from '../../platform/views/format.js';
import { hashPassword } from '../accounts/password.js';
import type { z } from 'zod';
import { contractAnswerSchema, contractsAnswerSchema, fundingAnswerSchema } from './api-schemas.js';
import { shiftMonth } from './accounting.js';
import { formatRoubles, nextPeriod, periodOf } from './money.js';

/** The parent's certificate money and contracts in /api/v1: their own only, others 404 (issue 13, item 8). */

const PASSWORD = 'Баланс-сертификата-67';
let testbed: Awaited<ReturnType<typeof createMailingTestApp>>;
let database: Database;
let app: App;
let passwordHash: string;
let people = 0;
let coordinator: Actor;
let provider: Actor;
let organizationId: string;
const period = periodOf(regionToday());

async function signedIn(email: string): Promise<TestClient> {
  const client = new TestClient(app.http, `198.51.100.${++people}`);
  expect((await client.submit('/login', { email, password: PASSWORD })).status).toBe(303);
  return client;
}

async function fundedFamily() {
  const email = `api-parent${++people}@example.ru`;
  const family = await createFamily(database.db, { email, passwordHash });
  const actor: Actor = { id: family.userId, emailVerified: true, staff: null };
  expect((await app.services.funding.request(actor, family.childId)).status).toBe('funded');
  return { ...family, actor, client: await signedIn(email) };
}

/** The parties of a contract of `family`'s child with the provider's organization. */
const contractOf = (family: { actor: Actor; childId: string }) => ({
  parent: family.actor,
  childId: family.childId,
  provider,
  organizationId,
});

/** An answer read through its own schema: the test fails if the API sends anything else. */
const read = <S extends z.ZodType>(schema: S, response: { body: string }): z.output<S> =>
  schema.parse(JSON.parse(response.body) as unknown);

beforeAll(async () => {
  testbed = await createMailingTestApp();
  ({ database, app } = testbed);
  passwordHash = await hashPassword(PASSWORD);
  organizationId = await createOrganization(database.db, 'Центр «Остаток»');
  ({ coordinator, provider } = await createFundingStaff(database, organizationId, 'api', PASSWORD));
  await openFundingPeriod(app, coordinator, period, { quota: 100 });
}, 120_000);

afterAll(async () => {
  await testbed?.close();
});

describe('the parent’s certificate and contracts API', () => {
  it('gives the nominal, the reserve and the rest per period, and the contracts, to the parent only', async () => {
    const family = await fundedFamily();
    const other = await fundedFamily();
    const { contractId } = await createdContract(app, database.db, { ...contractOf(family), price: 800 });
    const [contract] = await queryRows(
      database.db,
      sql`select number, certificate_kopecks from funding_contracts where id = ${contractId}`,
    );
    const reserved = Number(contract!.certificate_kopecks);
    expect(reserved).toBeGreaterThan(0);

    const funding = await family.client.get(`/api/v1/children/${family.childId}/funding`);
    expect(funding.status).toBe(200);
    const { current, next } = read(fundingAnswerSchema, funding);
    expect(current).toMatchObject({ status: 'funded', category: 'Дети 5–18 лет', reservedKopecks: reserved });
    expect(current.nominalKopecks).toBeGreaterThan(0);
    expect(current.balanceKopecks).toBe(current.nominalKopecks! - reserved - current.spentKopecks!);
    expect(current.message).toContain('зарезервировано');
    expect(current.period).toMatchObject({ startsOn: period.startsOn, endsOn: period.endsOn });
    expect(next).toBeNull();

    const list = read(contractsAnswerSchema, await family.client.get('/api/v1/contracts'));
    expect(list.contracts).toEqual([
      expect.objectContaining({
        id: contractId,
        number: String(contract!.number),
        certificateKopecks: reserved,
      }),
    ]);
    const one = await family.client.get(`/api/v1/contracts/${contractId}`);
    expect(one.status).toBe(200);
    const body = read(contractAnswerSchema, one);
    expect(body).toMatchObject({ id: contractId, status: 'created' });
    expect(body.organizationName).toContain('Центр «Остаток»');
    expect(
      body.months.reduce((sum: number, m: { certificateKopecks: number }) => sum + m.certificateKopecks, 0),
    ).toBe(reserved);
    expect(body).not.toHaveProperty('acceptedIp');

    // Another parent: the child and the contract do not exist for them, and nothing is recorded as viewed.
    expect((await other.client.get(`/api/v1/children/${family.childId}/funding`)).status).toBe(404);
    expect(read(contractsAnswerSchema, await other.client.get('/api/v1/contracts')).contracts).toEqual([]);
    expect((await other.client.get(`/api/v1/contracts/${contractId}`)).status).toBe(404);
    expect((await other.client.get('/api/v1/contracts/not-a-uuid')).status).toBe(404);
    const views = await queryRows(
      database.db,
      sql`select 1 from audit_events where subject_id = ${contractId} and action like 'staff.contract%'`,
    );
    expect(views).toEqual([]);
    // A guest is asked to sign in.
    expect((await app.http.inject(`/api/v1/children/${family.childId}/funding`)).statusCode).toBe(401);
    expect((await app.http.inject('/api/v1/contracts')).statusCode).toBe(401);
  });

  it('shows the parent the accruals month by month, on the contract page and in the API; nobody else', async () => {
    const family = await fundedFamily();
    const other = await fundedFamily();
    const { contractId } = await activeContract(app, database.db, { ...contractOf(family), price: 800 });
    const page = `/cabinet/contracts/${contractId}`;
    expect(textOf((await family.client.get(page)).body)).toContain('Начислений пока нет');
    expect(
      read(contractAnswerSchema, await family.client.get(`/api/v1/contracts/${contractId}`)).accruals,
    ).toEqual([]);

    // The first month's advance, then its invoice at 50 %.
    const { months } = read(contractAnswerSchema, await family.client.get(`/api/v1/contracts/${contractId}`));
    const [first] = months;
    const part = first!.certificateKopecks;
    await app.services.accounting.closeMonth(first!.month);
    await queryRows(
      database.db,
      sql`insert into funding_completeness (contract_id, month, percent, entered_by)
          values (${contractId}, ${first!.month}, 50, ${provider.id})`,
    );
    await app.services.accounting.closeMonth(shiftMonth(first!.month, 1));
    const advance = Math.floor((part * 80) / 100);
    const due = Math.floor(part / 2);
    const body = read(contractAnswerSchema, await family.client.get(`/api/v1/contracts/${contractId}`));
    expect(body.accruals[0]).toEqual({
      month: first!.month,
      advanceKopecks: advance,
      invoicedKopecks: due,
      completenessPercent: 50,
      returnedKopecks: part - due,
      familyKopecks: first!.familyKopecks,
    });
    // The next month's advance, no invoice yet.
    if (months.length > 1)
      expect(body.accruals[1]).toMatchObject({
        month: months[1]!.month,
        invoicedKopecks: null,
        returnedKopecks: null,
      });
    const spaced = (value: string) => value.replace(/\s+/g, ' ');
    const text = spaced(textOf((await family.client.get(page)).body));
    expect(text).toContain('Начисления по сертификату');
    expect(text).toContain(spaced(`${formatRoubles(advance)} ${formatRoubles(due)} (полнота 50 %)`));
    expect(text).toContain(spaced(`(полнота 50 %) ${formatRoubles(part - due)}`));

    // Another parent: neither the page nor the answer exists.
    expect((await other.client.get(page)).status).toBe(404);
    expect((await other.client.get(`/api/v1/contracts/${contractId}`)).status).toBe(404);
  });

  // Last in the file: the rollover closes the current period (as on the next period's first day).
  it('shows the next period once the certificate is funded there, on the card and in the API', async () => {
    const family = await fundedFamily();
    const following = nextPeriod(period);
    await app.services.funding.saveCategory(
      coordinator,
      1,
      following,
      null,
      {
        name: 'Дети 5–18 лет',
        ageFrom: 5,
        ageTo: 18,
        nominalKopecks: 600_000,
        quota: 100,
        nominalCapKopecks: null,
      },
      true,
    );
    await app.services.funding.savePeriod(coordinator, 1, following, {
      open: true,
      contractsBannedFrom: null,
    });
    // The rollover funds the next period, as it does on its first day (the current period closes then).
    const report = await app.services.rollover.closePeriod(
      period,
      { job: 'funding-period-close' },
      { today: following.startsOn, municipalityId: 1 },
    );
    expect(report.carried.funded).toBeGreaterThan(0);
    const { current, next } = read(
      fundingAnswerSchema,
      await family.client.get(`/api/v1/children/${family.childId}/funding`),
    );
    expect(current.status).toBe('funded');
    expect(next).toMatchObject({
      status: 'funded',
      nominalKopecks: 600_000,
      reservedKopecks: 0,
      balanceKopecks: 600_000,
      period: { startsOn: following.startsOn },
    });
    const card = await family.client.get('/cabinet/children');
    expect(card.body).toMatch(
      /\d{4}\/\d{2} учебный год: номинал 6\s000\s₽ · зарезервировано 0\s₽ · осталось 6\s000\s₽/,
    );
    const page = await family.client.get(`/cabinet/children/${family.childId}/funding`);
    expect(page.body).toMatch(/<h3>\d{4}\/\d{2} учебный год<\/h3>/);
  });
});
