import {
  char,
  date,
  index,
  integer,
  pgEnum,
  pgSequence,
  pgTable,
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

/** The certificate of supplementary education: one per child in the region, valid until 18. */
export const certificates = pgTable(
  'certificates',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    childId: uuid('child_id')
      .notNull()
      .references(() => children.id, { onDelete: 'cascade' }),
    /** 10 digits: region 67, 7 digits derived from the serial, a Luhn check digit that catches a typo. */
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
  },
  (table) => [
    uniqueIndex('certificates_child_uq').on(table.childId),
    uniqueIndex('certificates_number_uq').on(table.number),
    index('certificates_status_idx').on(table.status),
  ],
);
