import { sql } from 'drizzle-orm';
import {
  boolean,
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
import { users } from '../accounts/schema.js';
import { municipalities } from '../reference/schema.js';

export const sex = pgEnum('sex', ['male', 'female']);
export const identityDocumentType = pgEnum('identity_document_type', ['birth_certificate', 'passport']);
/** In-person confirmation of the child's data by an operator. */
export const childDataStatus = pgEnum('child_data_status', ['unconfirmed', 'confirmed', 'rejected']);

/** A child as the parent entered it (the fields Gosuslugi sends to regional systems). */
export const children = pgTable(
  'children',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ownerUserId: uuid('owner_user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** A teen of 14+ who registered alone: this record is the account holder themself. */
    isSelf: boolean('is_self').notNull().default(false),
    lastName: text('last_name').notNull(),
    firstName: text('first_name').notNull(),
    middleName: text('middle_name'),
    birthDate: date('birth_date').notNull(),
    sex: sex('sex').notNull(),
    /** 11 digits, checksum verified; optional. */
    snils: text('snils'),
    documentType: identityDocumentType('document_type').notNull(),
    documentSeries: text('document_series').notNull(),
    documentNumber: text('document_number').notNull(),
    documentIssuedAt: date('document_issued_at').notNull(),
    documentIssuedBy: text('document_issued_by').notNull(),
    municipalityId: smallint('municipality_id')
      .notNull()
      .references(() => municipalities.id),
    registrationAddress: text('registration_address').notNull(),
    /** lower(ФИО)|birth date: the same child is recognised whatever the letter case. */
    identityKey: text('identity_key').notNull(),
    /** The same child (СНИЛС, or ФИО + birth date) exists in another account: operators check it. */
    possibleDuplicate: boolean('possible_duplicate').notNull().default(false),
    dataStatus: childDataStatus('data_status').notNull().default('unconfirmed'),
    rejectionReason: text('rejection_reason'),
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
    confirmedByUserId: uuid('confirmed_by_user_id'),
    /** Which document the operator saw, e.g. «свидетельство о рождении II-МП 123456». */
    confirmedDocument: text('confirmed_document'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('children_owner_idx').on(table.ownerUserId),
    uniqueIndex('children_owner_identity_uq').on(table.ownerUserId, table.identityKey),
    uniqueIndex('children_owner_snils_uq')
      .on(table.ownerUserId, table.snils)
      .where(sql`${table.snils} is not null`),
    index('children_identity_idx').on(table.identityKey),
    index('children_snils_idx').on(table.snils),
    // Operators find a child by name and birth date; the waiting queue is read oldest first.
    index('children_birth_date_idx').on(table.birthDate),
    index('children_status_created_idx').on(table.dataStatus, table.createdAt),
  ],
);
