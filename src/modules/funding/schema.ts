import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  date,
  index,
  integer,
  pgEnum,
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
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('funding_periods_municipality_start_uq').on(table.municipalityId, table.startsOn),
    check('funding_periods_dates_ck', sql`${table.endsOn} > ${table.startsOn}`),
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
  },
  (table) => [
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
    contractId: uuid('contract_id'),
    kind: fundingMovement('kind').notNull(),
    amountKopecks: bigint('amount_kopecks', { mode: 'number' }).notNull(),
    actorUserId: uuid('actor_user_id'),
    job: text('job'),
    reason: text('reason').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('funding_ledger_certificate_idx').on(table.certificateId, table.periodId),
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
