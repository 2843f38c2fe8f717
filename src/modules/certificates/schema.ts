import { sql } from 'drizzle-orm';
import {
  char,
  check,
  date,
  index,
  integer,
  pgEnum,
  pgSequence,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { children } from '../children/schema.js';

export const certificateStatus = pgEnum('certificate_status', [
  'awaiting_confirmation',
  'active',
  'suspended',
  'closed',
]);
/** Accounting (counts the child; free programs) or funded (a nominal and a balance for certified programs). */
export const certificateType = pgEnum('certificate_type', ['accounting', 'funded']);

/** Serial of each certificate issued in the region; its number derives from it (number.ts). */
export const certificateSerial = pgSequence('certificate_serial_seq', { startWith: 1, maxValue: 9_999_999 });

/**
 * The deployment's secret that keys certificate numbers (number.ts, ADR 0007): one row, generated at first
 * start unless CERTIFICATE_NUMBER_KEY is configured. Losing it only changes the numbers issued from then on.
 */
export const certificateNumberKey = pgTable(
  'certificate_number_key',
  {
    id: smallint('id').primaryKey().default(1),
    secret: text('secret').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [check('certificate_number_key_one_row', sql`${table.id} = 1`)],
);

/** The certificate of supplementary education: one per child in the region, valid until 18. */
export const certificates = pgTable(
  'certificates',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    childId: uuid('child_id')
      .notNull()
      .references(() => children.id, { onDelete: 'cascade' }),
    /** 10 digits: region 67, 7 digits from the serial by a keyed permutation, a Luhn check digit that catches a typo. */
    number: char('number', { length: 10 }).notNull(),
    status: certificateStatus('status').notNull().default('awaiting_confirmation'),
    type: certificateType('type').notNull().default('accounting'),
    /** Funded certificates only: roubles per period, what is left, and the period. */
    nominal: integer('nominal'),
    balance: integer('balance'),
    periodStart: date('period_start'),
    periodEnd: date('period_end'),
    issuedAt: timestamp('issued_at', { withTimezone: true }).notNull().defaultNow(),
    validUntil: date('valid_until').notNull(),
    /**
     * Whose certificate it is: the child's identity key (lower ФИО | birth date) and СНИЛС, kept equal to the
     * child's at issuance and at every edit. At most one live certificate per identity (the two indexes below).
     */
    holderKey: text('holder_key').notNull(),
    holderSnils: text('holder_snils'),
  },
  (table) => [
    uniqueIndex('certificates_child_uq').on(table.childId),
    uniqueIndex('certificates_number_uq').on(table.number),
    uniqueIndex('certificates_live_holder_uq')
      .on(table.holderKey)
      .where(sql`${table.status} in ('awaiting_confirmation', 'active')`),
    uniqueIndex('certificates_live_snils_uq')
      .on(table.holderSnils)
      .where(
        sql`${table.holderSnils} is not null and ${table.status} in ('awaiting_confirmation', 'active')`,
      ),
    index('certificates_status_idx').on(table.status),
  ],
);
