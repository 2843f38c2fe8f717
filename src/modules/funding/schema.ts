import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  bigserial,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgEnum,
  pgSequence,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { certificates } from '../certificates/schema.js';
import { programs } from '../programs/schema.js';
import { municipalities } from '../reference/schema.js';

/**
 * One municipality's funding of certificates for one education year (1 September – 31 August): whether it funds
 * now, and from when no new contracts may be made. The municipality pays; its categories say how much and for how
 * many children.
 */
export const fundingPeriods = pgTable(
  'funding_periods',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    municipalityId: smallint('municipality_id')
      .notNull()
      .references(() => municipalities.id),
    startsOn: date('starts_on').notNull(),
    endsOn: date('ends_on').notNull(),
    /** «Финансирование открыто»: parents may ask for funding and certificates are funded while quotas last. */
    open: boolean('open').notNull().default(false),
    /** «Запрет на заключение новых договоров» from this day; null: no ban. */
    contractsBannedFrom: date('contracts_banned_from'),
    /**
     * The coordinator's rate for one hour of a certified program, in kopecks: a program without its own normative
     * cost gets its hours per month × this rate (quote.ts `normativeCost`); null: no rate.
     */
    hourlyRateKopecks: bigint('hourly_rate_kopecks', { mode: 'number' }),
    /**
     * How many free programs of the budget registries (значимые, предпрофессиональные, иные) a child of this
     * municipality may enter in this education year; null: no limit. The coordinator's (moved here from the
     * municipalities' reference table, ADR 0039).
     */
    freeProgramsPerChild: smallint('free_programs_per_child'),
    /**
     * The period close (rollover.ts, ADR 0039): when what was left unspent expired and the queue was withdrawn or
     * carried into the next period, and which job (or CLI) did it; null while the period is not closed.
     */
    closedAt: timestamp('closed_at', { withTimezone: true }),
    closedBy: text('closed_by'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('funding_periods_municipality_start_uq').on(table.municipalityId, table.startsOn),
    check('funding_periods_dates_ck', sql`${table.endsOn} > ${table.startsOn}`),
    check(
      'funding_periods_free_programs_ck',
      sql`${table.freeProgramsPerChild} is null or ${table.freeProgramsPerChild} between 0 and 50`,
    ),
    check(
      'funding_periods_hourly_rate_ck',
      sql`${table.hourlyRateKopecks} is null or ${table.hourlyRateKopecks} > 0`,
    ),
  ],
);

/**
 * «Группа сертификатов»: children of an age band (or another category the municipality funds) with a yearly
 * nominal, a quota of funded certificates and an optional cap on the sum of nominals given.
 */
export const fundingCategories = pgTable(
  'funding_categories',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    periodId: uuid('period_id')
      .notNull()
      .references(() => fundingPeriods.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** Ages on the day of the request, inclusive. */
    ageFrom: smallint('age_from').notNull(),
    ageTo: smallint('age_to').notNull(),
    nominalKopecks: bigint('nominal_kopecks', { mode: 'number' }).notNull(),
    quota: integer('quota').notNull(),
    /** «Ограничение суммы номиналов»; null: only the quota limits. */
    nominalCapKopecks: bigint('nominal_cap_kopecks', { mode: 'number' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('funding_categories_period_name_uq').on(table.periodId, table.name),
    check(
      'funding_categories_ages_ck',
      sql`${table.ageFrom} between 0 and 18 and ${table.ageTo} between ${table.ageFrom} and 18`,
    ),
    check('funding_categories_nominal_ck', sql`${table.nominalKopecks} > 0`),
    check('funding_categories_quota_ck', sql`${table.quota} >= 0`),
    check(
      'funding_categories_cap_ck',
      sql`${table.nominalCapKopecks} is null or ${table.nominalCapKopecks} >= 0`,
    ),
  ],
);

export const fundingRequestStatus = pgEnum('funding_request_status', ['queued', 'funded', 'withdrawn']);

/**
 * «Заявление на финансирование»: a certificate asks for a category's funding in a period. Served in the order of
 * request time while the quota lasts; the rest wait in a live queue and are funded when a place frees.
 */
export const fundingRequests = pgTable(
  'funding_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    certificateId: uuid('certificate_id')
      .notNull()
      .references(() => certificates.id, { onDelete: 'cascade' }),
    categoryId: uuid('category_id')
      .notNull()
      .references(() => fundingCategories.id),
    periodId: uuid('period_id')
      .notNull()
      .references(() => fundingPeriods.id),
    status: fundingRequestStatus('status').notNull().default('queued'),
    requestedBy: uuid('requested_by').notNull(),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull().defaultNow(),
    /** When it was funded or withdrawn. */
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    /**
     * The request of the closed period this one carries on (the rollover, ADR 0039): a certificate funded or queued
     * there is funded or queued again here in the order of its first request. Unique: carried once.
     */
    carriedFromId: uuid('carried_from_id').references((): AnyPgColumn => fundingRequests.id),
  },
  (table) => [
    uniqueIndex('funding_requests_carried_from_uq').on(table.carriedFromId),
    // One live request per certificate and period: a double click cannot queue a child twice.
    uniqueIndex('funding_requests_live_uq')
      .on(table.certificateId, table.periodId)
      .where(sql`${table.status} in ('queued', 'funded')`),
    index('funding_requests_queue_idx').on(table.categoryId, table.status, table.requestedAt),
  ],
);

export const fundingMovement = pgEnum('funding_movement', [
  'grant',
  'reserve',
  'release',
  'charge',
  'refund',
  'expire',
]);

/**
 * Every movement of a certificate's money, append-only (a trigger refuses updates and deletes): the balance, the
 * reserve and the spent sum are derived from it (money.ts `sumsOf`). Each row names who moved it — a person or a
 * job — and why.
 */
export const fundingLedger = pgTable(
  'funding_ledger',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    certificateId: uuid('certificate_id')
      .notNull()
      .references(() => certificates.id),
    periodId: uuid('period_id')
      .notNull()
      .references(() => fundingPeriods.id),
    /** The contract the money is for (reserve, release, charge, refund); contracts come with the next slice. */
    contractId: uuid('contract_id').references((): AnyPgColumn => fundingContracts.id),
    kind: fundingMovement('kind').notNull(),
    amountKopecks: bigint('amount_kopecks', { mode: 'number' }).notNull(),
    actorUserId: uuid('actor_user_id'),
    job: text('job'),
    reason: text('reason').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('funding_ledger_certificate_idx').on(table.certificateId, table.periodId),
    // What a contract still holds is summed by contract (the month close reads it for every contract).
    index('funding_ledger_contract_idx').on(table.contractId),
    check('funding_ledger_amount_ck', sql`${table.amountKopecks} > 0`),
    check('funding_ledger_author_ck', sql`${table.actorUserId} is not null or ${table.job} is not null`),
  ],
);

/**
 * «Нормативная стоимость» of a certified program: the most a funded certificate pays for one month of it, whatever
 * the group's price. Set by the coordinator; a program without a row is limited by its price alone.
 */
export const fundingNormativeCosts = pgTable(
  'funding_normative_costs',
  {
    programId: uuid('program_id')
      .primaryKey()
      .references(() => programs.id, { onDelete: 'cascade' }),
    monthlyKopecks: bigint('monthly_kopecks', { mode: 'number' }).notNull(),
    setBy: uuid('set_by').notNull(),
    setAt: timestamp('set_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [check('funding_normative_costs_amount_ck', sql`${table.monthlyKopecks} > 0`)],
);

export const contractStatus = pgEnum('funding_contract_status', [
  'created',
  'confirmed',
  'active',
  'declined',
  'terminated',
]);

/** The readable serial of «Договор об образовании № 67-26-000001». */
export const contractNumbers = pgSequence('funding_contract_number_seq', { startWith: 1 });

/**
 * «Договор об образовании» as a public offer (ст. 437–438 ГК, ADR 0034): created when the provider accepts an
 * application to a certified program for a funded certificate, with the certificate's part reserved on the
 * ledger (`contract_id`); confirmed by the provider, accepted (or declined) by the parent in the cabinet,
 * terminated. The price, the split and the period are copied at creation: the contract keeps what was offered.
 */
export const fundingContracts = pgTable(
  'funding_contracts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    number: text('number').notNull(),
    applicationId: uuid('application_id').notNull(),
    certificateId: uuid('certificate_id')
      .notNull()
      .references(() => certificates.id),
    periodId: uuid('period_id')
      .notNull()
      .references(() => fundingPeriods.id),
    /** The payer: the municipality whose period funds the certificate. */
    municipalityId: smallint('municipality_id')
      .notNull()
      .references(() => municipalities.id),
    organizationId: uuid('organization_id').notNull(),
    programId: uuid('program_id').notNull(),
    groupId: uuid('group_id').notNull(),
    childId: uuid('child_id').notNull(),
    parentUserId: uuid('parent_user_id').notNull(),
    status: contractStatus('status').notNull().default('created'),
    startsOn: date('starts_on').notNull(),
    endsOn: date('ends_on').notNull(),
    priceKopecks: bigint('price_kopecks', { mode: 'number' }).notNull(),
    normativeKopecks: bigint('normative_kopecks', { mode: 'number' }),
    certificateKopecks: bigint('certificate_kopecks', { mode: 'number' }).notNull(),
    familyKopecks: bigint('family_kopecks', { mode: 'number' }).notNull(),
    /** Each month of the contract: its first day and the two parts, as `contractSplit` gave them. */
    months: jsonb('months')
      .$type<{ month: string; certificateKopecks: number; familyKopecks: number }[]>()
      .notNull(),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    confirmedBy: uuid('confirmed_by'),
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
    /** The offer's deadline: the end of the fifth working day after confirmation. */
    offerExpiresAt: timestamp('offer_expires_at', { withTimezone: true }),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    acceptedIp: text('accepted_ip'),
    /** «Отклонён без заключения» or «Прекратил действие»: when, by whom (null: a job), why. */
    closedAt: timestamp('closed_at', { withTimezone: true }),
    closedBy: uuid('closed_by'),
    closeReason: text('close_reason'),
  },
  (table) => [
    uniqueIndex('funding_contracts_number_uq').on(table.number),
    // One live contract per application: a retried acceptance cannot reserve twice.
    uniqueIndex('funding_contracts_application_live_uq')
      .on(table.applicationId)
      .where(sql`${table.status} in ('created', 'confirmed', 'active')`),
    index('funding_contracts_parent_idx').on(table.parentUserId),
    index('funding_contracts_organization_idx').on(table.organizationId, table.status),
    index('funding_contracts_municipality_idx').on(table.municipalityId, table.status),
    index('funding_contracts_offer_idx')
      .on(table.offerExpiresAt)
      .where(sql`${table.status} = 'confirmed'`),
    check('funding_contracts_dates_ck', sql`${table.endsOn} >= ${table.startsOn}`),
    check(
      'funding_contracts_amounts_ck',
      sql`${table.priceKopecks} > 0 and ${table.certificateKopecks} >= 0 and ${table.familyKopecks} >= 0`,
    ),
  ],
);

export const accrualKind = pgEnum('funding_accrual_kind', ['advance', 'invoice']);

/**
 * The month close (ADR 0035): for each contract and month an «аванс» (80 % of the certificate's part, charged on
 * the 1st of the month) and a «счёт» (the part × «полнота оказания услуг», less the advance, made at the next
 * month's close). Unique per contract, month and kind: a rerun or a concurrent run writes nothing twice. The
 * ledger rows it wrote carry the same contract; `charged`/`released`/`refunded` say what they were.
 */
export const fundingAccruals = pgTable(
  'funding_accruals',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    contractId: uuid('contract_id')
      .notNull()
      .references(() => fundingContracts.id),
    certificateId: uuid('certificate_id').notNull(),
    periodId: uuid('period_id').notNull(),
    organizationId: uuid('organization_id').notNull(),
    municipalityId: smallint('municipality_id').notNull(),
    /** The month's first day. */
    month: date('month').notNull(),
    kind: accrualKind('kind').notNull(),
    /** The certificate's part of the month, as the contract split it. */
    partKopecks: bigint('part_kopecks', { mode: 'number' }).notNull(),
    /** The invoice's completeness (0–100); null for an advance. */
    completenessPercent: smallint('completeness_percent'),
    /** What is due: the advance, or the invoice's part × completeness. */
    dueKopecks: bigint('due_kopecks', { mode: 'number' }).notNull(),
    chargedKopecks: bigint('charged_kopecks', { mode: 'number' }).notNull().default(0),
    releasedKopecks: bigint('released_kopecks', { mode: 'number' }).notNull().default(0),
    refundedKopecks: bigint('refunded_kopecks', { mode: 'number' }).notNull().default(0),
    job: text('job'),
    actorUserId: uuid('actor_user_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('funding_accruals_contract_month_kind_uq').on(table.contractId, table.month, table.kind),
    index('funding_accruals_register_idx').on(table.organizationId, table.month, table.kind),
    index('funding_accruals_municipality_idx').on(table.municipalityId, table.month),
    check(
      'funding_accruals_amounts_ck',
      sql`${table.partKopecks} >= 0 and ${table.dueKopecks} >= 0 and ${table.chargedKopecks} >= 0
          and ${table.releasedKopecks} >= 0 and ${table.refundedKopecks} >= 0`,
    ),
    check(
      'funding_accruals_completeness_ck',
      sql`${table.completenessPercent} is null or ${table.completenessPercent} between 0 and 100`,
    ),
    check('funding_accruals_author_ck', sql`${table.actorUserId} is not null or ${table.job} is not null`),
  ],
);

/** «Полнота оказания услуг» of a contract's month, entered by the provider before the month's invoice. */
export const fundingCompleteness = pgTable(
  'funding_completeness',
  {
    // A surrogate key: drizzle-kit cannot introspect a composite primary key on a PostgreSQL server (it sends that
    // query without its parameters), so the natural key is a unique index.
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    contractId: uuid('contract_id')
      .notNull()
      .references(() => fundingContracts.id),
    month: date('month').notNull(),
    percent: smallint('percent').notNull(),
    enteredBy: uuid('entered_by').notNull(),
    enteredAt: timestamp('entered_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('funding_completeness_contract_month_uq').on(table.contractId, table.month),
    check('funding_completeness_percent_ck', sql`${table.percent} between 0 and 100`),
  ],
);

export const registerStatus = pgEnum('funding_register_status', ['unviewed', 'in_work', 'paid']);

/**
 * The register of one organization's advances or invoices of one month for one payer municipality, with the
 * payer's status «Не просмотрен / В работе / Оплачен». Made by the month close; its lines are the accruals.
 */
export const fundingRegisters = pgTable(
  'funding_registers',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    organizationId: uuid('organization_id').notNull(),
    municipalityId: smallint('municipality_id')
      .notNull()
      .references(() => municipalities.id),
    month: date('month').notNull(),
    kind: accrualKind('kind').notNull(),
    status: registerStatus('status').notNull().default('unviewed'),
    changedBy: uuid('changed_by'),
    changedAt: timestamp('changed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('funding_registers_natural_uq').on(
      table.organizationId,
      table.municipalityId,
      table.month,
      table.kind,
    ),
    index('funding_registers_municipality_idx').on(table.municipalityId, table.month),
  ],
);
