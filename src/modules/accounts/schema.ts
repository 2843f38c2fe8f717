import { sql } from 'drizzle-orm';
import {
  check,
  date,
  index,
  pgEnum,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { organizations } from '../organizations/schema.js';
import { municipalities } from '../reference/schema.js';

/** Who registered: a parent (законный представитель) or a teen of 14+ acting for themself. */
export const applicantKind = pgEnum('applicant_kind', ['parent', 'teen']);

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Always lower-case: addresses are compared without regard to case. */
    email: text('email').notNull(),
    emailVerifiedAt: timestamp('email_verified_at', { withTimezone: true }),
    passwordHash: text('password_hash').notNull(),
    lastName: text('last_name').notNull(),
    firstName: text('first_name').notNull(),
    middleName: text('middle_name'),
    /** +7XXXXXXXXXX */
    phone: text('phone').notNull(),
    municipalityId: smallint('municipality_id')
      .notNull()
      .references(() => municipalities.id),
    applicantKind: applicantKind('applicant_kind').notNull(),
    /** Only for a teen: the birth date that shows they are 14 or older. */
    birthDate: date('birth_date'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('users_email_uq').on(table.email),
    // Operators find a child by the parent's phone.
    index('users_phone_idx').on(table.phone),
    check('users_email_lower_ck', sql`${table.email} = lower(${table.email})`),
  ],
);

export const verificationType = pgEnum('verification_type', [
  'email',
  'change_email',
  'password_reset',
  /** Sent to the old address after a change of e-mail: takes the account back (7 days). */
  'undo_email_change',
]);

/** One-time links sent by e-mail. Only the SHA-256 of the code is stored. */
export const verifications = pgTable(
  'verifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    type: verificationType('type').notNull(),
    codeHash: text('code_hash').notNull(),
    /** The address being confirmed (the new one, for a change of e-mail). */
    target: text('target').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('verifications_code_hash_uq').on(table.codeHash),
    index('verifications_user_type_idx').on(table.userId, table.type),
  ],
);

/** Signed-in browsers. The cookie holds a random token; only its SHA-256 is stored here. */
export const sessions = pgTable(
  'sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (table) => [index('sessions_user_idx').on(table.userId)],
);

export const consentDocument = pgEnum('consent_document', ['privacy_policy', 'user_agreement']);

/** «Я ознакомлен и выражаю согласие»: which version of which document, and when. */
export const consents = pgTable(
  'consents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    document: consentDocument('document').notNull(),
    version: text('version').notNull(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('consents_user_idx').on(table.userId)],
);

export const staffRole = pgEnum('staff_role', ['org_staff', 'municipal_admin', 'coordinator']);

/**
 * An operator's role and reach: organization staff (their organization, in its municipality), a municipal
 * administrator (a municipality) or the regional coordinator (the whole region). One role per account.
 */
export const staffRoles = pgTable(
  'staff_roles',
  {
    userId: uuid('user_id')
      .primaryKey()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: staffRole('role').notNull(),
    /** The municipality the role reaches (for organization staff, their organization's). */
    municipalityId: smallint('municipality_id').references(() => municipalities.id),
    organizationId: uuid('organization_id').references(() => organizations.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    check(
      'staff_roles_reach_ck',
      sql`(${table.role} = 'coordinator') or (${table.role} = 'municipal_admin' and ${table.municipalityId} is not null) or (${table.role} = 'org_staff' and ${table.municipalityId} is not null and ${table.organizationId} is not null)`,
    ),
  ],
);
