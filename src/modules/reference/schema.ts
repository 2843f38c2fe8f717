import { integer, pgTable, smallint, text, uniqueIndex } from 'drizzle-orm/pg-core';

/** The region's municipalities (27 for Smolensk). `code` is a stable slug used in URLs and imports. */
export const municipalities = pgTable('municipalities', {
  id: smallint('id').primaryKey(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  /** «город», «район», «муниципальный округ» — as the region names it. */
  kind: text('kind').notNull(),
  sortOrder: smallint('sort_order').notNull(),
  /** Where the municipal administrator receives parents; kept by the regional coordinator (/staff/municipalities). */
  officeName: text('office_name'),
  officeAddress: text('office_address'),
  officePhone: text('office_phone'),
  officeHours: text('office_hours'),
  /** How many free programs a child of this municipality may enter per calendar year; null: no limit. */
  freeProgramsPerYear: smallint('free_programs_per_year'),
});

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
