import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import type { App } from '../../src/app.js';
import { createStaffAccount } from '../../src/modules/accounts/service.js';
import type { Period } from '../../src/modules/funding/money.js';
import type { Actor } from '../../src/platform/access/policy.js';
import type { AuditContext } from '../../src/platform/audit/audit.js';
import { queryRows, type Database, type Db } from '../../src/platform/db/client.js';
import { createOpenGroup } from './enrolment.js';

/** Funding's contracts as its tests need them: made by accepting an application, then confirmed and accepted. */

/**
 * The two staff members funding's tests act as: the region's coordinator (Сергеева Нина) and a provider's staff
 * member in Смоленск (Орлова Ирина), with the emails `<prefix>-coordinator@example.ru` and `<prefix>-provider@…`.
 */
export async function createFundingStaff(
  database: Database,
  organizationId: string,
  prefix: string,
  password: string,
): Promise<{ coordinator: Actor; provider: Actor }> {
  const coordinatorId = await createStaffAccount(database, {
    role: 'coordinator',
    email: `${prefix}-coordinator@example.ru`,
    password,
    lastName: 'Сергеева',
    firstName: 'Нина',
  });
  const providerId = await createStaffAccount(database, {
    role: 'org_staff',
    municipalityId: 1,
    organizationId,
    email: `${prefix}-provider@example.ru`,
    password,
    lastName: 'Орлова',
    firstName: 'Ирина',
  });
  return {
    coordinator: {
      id: coordinatorId!,
      emailVerified: true,
      staff: { role: 'coordinator', municipalityId: null, organizationId: null },
    },
    provider: {
      id: providerId!,
      emailVerified: true,
      staff: { role: 'org_staff', municipalityId: 1, organizationId },
    },
  };
}

/**
 * The period the contract tests work in: one category «Дети 5–18 лет» (5,000 ₽ a year, 1,000 certificates unless
 * `quota` says otherwise) in the municipality (Смоленск unless told), and the period open for funding.
 */
export async function openFundingPeriod(
  app: App,
  coordinator: Actor,
  period: Period,
  { quota = 1000, municipalityId = 1 }: { quota?: number; municipalityId?: number } = {},
): Promise<void> {
  const category = {
    name: 'Дети 5–18 лет',
    ageFrom: 5,
    ageTo: 18,
    nominalKopecks: 500_000,
    quota,
    nominalCapKopecks: null,
  };
  await app.services.funding.saveCategory(coordinator, municipalityId, period, null, category, true);
  await app.services.funding.savePeriod(coordinator, municipalityId, period, {
    open: true,
    contractsBannedFrom: null,
  });
}

export interface ContractOptions {
  /** The parent: the child's owner, who applies and accepts the offer. */
  parent: Actor;
  childId: string;
  /** The provider's staff member who accepts the application and confirms the contract. */
  provider: Actor;
  organizationId: string;
  /** The group's monthly cost by certificate, in roubles. */
  price: number;
  programName?: string;
  /** The audit context of the confirmation and the acceptance. */
  context?: AuditContext;
}

const contextOf = (options: ContractOptions): AuditContext =>
  options.context ?? { requestId: 'test', clientAddress: '::1' };

/**
 * A new certified group of the provider, the child's application to it accepted: the contract «created», its
 * reserve taken. The child's certificate must be funded.
 */
export async function createdContract(
  app: App,
  db: Db,
  options: ContractOptions,
): Promise<{ applicationId: string; contractId: string }> {
  const { groupId } = await createOpenGroup(db, {
    organizationId: options.organizationId,
    financing: 'certificate',
    monthlyCostCertificate: options.price,
    ...(options.programName === undefined ? {} : { programName: options.programName }),
  });
  const filed = await app.services.applications.apply({
    actorUserId: options.parent.id,
    ownerUserId: options.parent.id,
    channel: 'online',
    childId: options.childId,
    groupId,
  });
  if (!filed.ok) throw new Error(filed.message);
  expect(await app.services.applications.accept(options.provider, filed.id)).toBe('done');
  const [row] = await queryRows(db, sql`select id from funding_contracts where application_id = ${filed.id}`);
  return { applicationId: filed.id, contractId: String(row!.id) };
}

/** As `createdContract`, then confirmed by the provider: the offer the parent may accept. */
export async function confirmedContract(
  app: App,
  db: Db,
  options: ContractOptions,
): Promise<{ applicationId: string; contractId: string }> {
  const made = await createdContract(app, db, options);
  const confirmed = await app.services.contracts.confirm(
    options.provider,
    made.contractId,
    contextOf(options),
  );
  expect(confirmed?.ok).toBe(true);
  return made;
}

/** As `confirmedContract`, then accepted by the parent: a contract in force. */
export async function activeContract(
  app: App,
  db: Db,
  options: ContractOptions,
): Promise<{ applicationId: string; contractId: string }> {
  const made = await confirmedContract(app, db, options);
  const accepted = await app.services.contracts.accept(options.parent, made.contractId, contextOf(options));
  expect(accepted?.ok).toBe(true);
  return made;
}
