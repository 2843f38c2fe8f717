import {
  doublePrecision,
  index,
  pgEnum,
  pgTable,
  smallint,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { municipalities } from '../reference/schema.js';

/** What kind of provider an organization is, as parents look for it: the «Организации» list filters by it. */
export const ORGANIZATION_CATEGORIES = [
  'school',
  'creativity_centre',
  'arts_school',
  'sports_school',
  'kindergarten',
  'private',
  'other',
] as const;
export type OrganizationCategory = (typeof ORGANIZATION_CATEGORIES)[number];
export const organizationCategory = pgEnum('organization_category', ORGANIZATION_CATEGORIES);

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
    category: organizationCategory('category').notNull().default('other'),
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
  (table) => [
    index('organizations_municipality_idx').on(table.municipalityId),
    index('organizations_category_idx').on(table.category),
  ],
);
