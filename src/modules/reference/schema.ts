import { sql } from 'drizzle-orm';
import { check, integer, pgTable, smallint, text, uniqueIndex } from 'drizzle-orm/pg-core';

/** The region's municipalities (27 for Smolensk). `code` is a stable slug used in URLs and imports. */
export const municipalities = pgTable('municipalities', {
  id: smallint('id').primaryKey(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  /** «город», «район», «муниципальный округ» — as the region names it. */
  kind: text('kind').notNull(),
  sortOrder: smallint('sort_order').notNull(),
  /**
   * Where the municipal administrator receives parents (/contacts, the procedure page): kept by the municipality's
   * own administrators and by the regional coordinator (/staff/municipalities, ADR 0037).
   */
  officeName: text('office_name'),
  /** The administrators' names as parents ask for them («Иванова Мария Петровна, Петров Игорь Олегович»). */
  officePeople: text('office_people'),
  officeAddress: text('office_address'),
  officePhone: text('office_phone'),
  officeEmail: text('office_email'),
  officeHours: text('office_hours'),
  // The number of free programs per child is a funding period's setting now (funding_periods, ADR 0039).
});

/**
 * The regional coordinator's own contacts (the seed's appendix, first line of /contacts): one row, kept by the
 * coordinator; written from data.ts on the first start, never overwritten by later ones.
 */
export const regionalOffice = pgTable(
  'regional_office',
  {
    id: smallint('id').primaryKey().default(1),
    name: text('name').notNull(),
    people: text('people'),
    address: text('address'),
    phone: text('phone'),
    email: text('email'),
    hours: text('hours'),
  },
  (table) => [check('regional_office_one_row_ck', sql`${table.id} = 1`)],
);

/** Направленности дополнительного образования (6, fixed by federal rules). */
export const directions = pgTable('directions', {
  id: smallint('id').primaryKey(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  description: text('description').notNull(),
});

export const specializations = pgTable(
  'specializations',
  {
    id: integer('id').primaryKey(),
    directionId: smallint('direction_id')
      .notNull()
      .references(() => directions.id),
    name: text('name').notNull(),
  },
  (table) => [uniqueIndex('specializations_direction_name_uq').on(table.directionId, table.name)],
);
