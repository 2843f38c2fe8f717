import { doublePrecision, index, pgTable, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { municipalities } from '../reference/schema.js';

/** A provider of supplementary education: a school, a centre, a sports school, a club. */
export const organizations = pgTable(
  'organizations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    municipalityId: smallint('municipality_id')
      .notNull()
      .references(() => municipalities.id),
    name: text('name').notNull(),
    shortName: text('short_name').notNull(),
    /** Legal form and kind, e.g. «Муниципальное бюджетное учреждение дополнительного образования». */
    kind: text('kind').notNull(),
    inn: text('inn'),
    ogrn: text('ogrn'),
    address: text('address').notNull(),
    latitude: doublePrecision('latitude'),
    longitude: doublePrecision('longitude'),
    phone: text('phone'),
    email: text('email'),
    website: text('website'),
    workingHours: text('working_hours'),
    description: text('description').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('organizations_municipality_idx').on(table.municipalityId)],
);
