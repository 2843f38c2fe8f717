import {
  doublePrecision,
  index,
  pgEnum,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
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
    /** КПП: legal entities have one, an ИП (12-digit ИНН) has none. */
    kpp: text('kpp'),
    /** ОГРН (13 digits) or ОГРНИП (15). */
    ogrn: text('ogrn'),
    /** The actual address, where children come: the catalog and the map show it. */
    address: text('address').notNull(),
    /** The legal address of the register (ЕГРЮЛ/ЕГРИП); null when it is the actual one. */
    legalAddress: text('legal_address'),
    /** The head's name and position, e.g. «Директор Иванова Мария Петровна». */
    head: text('head'),
    latitude: doublePrecision('latitude'),
    longitude: doublePrecision('longitude'),
    phone: text('phone'),
    email: text('email'),
    website: text('website'),
    workingHours: text('working_hours'),
    description: text('description').notNull().default(''),
    /** Archived: out of the public list and catalog with its programs; nothing is deleted, restore brings it back. */
    archivedAt: timestamp('archived_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('organizations_municipality_idx').on(table.municipalityId),
    index('organizations_category_idx').on(table.category),
    // The catalog leaves out the programs of these (few) on every search.
    index('organizations_archived_idx')
      .on(table.id)
      .where(sql`${table.archivedAt} is not null`),
    // One organization per ИНН + КПП, and an ИП (no КПП) once per ИНН: a provider is onboarded once. Two partial
    // indexes on plain columns rather than one on coalesce(kpp, ''), which drizzle-kit cannot compare.
    uniqueIndex('organizations_inn_kpp_uq')
      .on(table.inn, table.kpp)
      .where(sql`${table.inn} is not null and ${table.kpp} is not null`),
    uniqueIndex('organizations_inn_without_kpp_uq')
      .on(table.inn)
      .where(sql`${table.inn} is not null and ${table.kpp} is null`),
  ],
);
