import { sql } from 'drizzle-orm';
import {
  check,
  date,
  integer,
  pgMaterializedView,
  pgTable,
  smallint,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { municipalities } from '../reference/schema.js';

/**
 * The number of children aged 5–18 living in a municipality, as the regional coordinator enters it from the
 * statistics office's figures: the denominator of the coverage report (children enrolled ÷ population).
 */
export const childPopulation = pgTable(
  'child_population',
  {
    municipalityId: smallint('municipality_id')
      .primaryKey()
      .references(() => municipalities.id),
    children: integer('children').notNull(),
    updatedBy: uuid('updated_by').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [check('child_population_children_ck', sql`${table.children} > 0`)],
);

/**
 * The programs report's figures (ADR 0045), gathered by `refresh materialized view` every few minutes instead of
 * on each request: at 100,000 programs joining 300,000 groups to their places takes longer than a report may.
 * One row per municipality, направленность, registry and day: `groups` and `free_places` of the published
 * programs' groups whose study ends that day, `programs` of the published programs whose last group ends that
 * day — so «programs with a group not finished before D» is the sum over the days from D. Created by hand in
 * migration 0034 (drizzle-kit does not manage it: `.existing()`), with the unique index a concurrent refresh needs.
 */
export const reportProgramFacts = pgMaterializedView('report_program_facts', {
  municipalityId: smallint('municipality_id').notNull(),
  directionId: smallint('direction_id').notNull(),
  registry: text('registry').notNull(),
  day: date('day').notNull(),
  programs: integer('programs').notNull(),
  groups: integer('groups').notNull(),
  freePlaces: integer('free_places').notNull(),
}).existing();

/** When each gathered report was last refreshed (`report`: its slug); shown beside its figures. */
export const reportRefreshes = pgTable('report_refreshes', {
  report: text('report').primaryKey(),
  refreshedAt: timestamp('refreshed_at', { withTimezone: true }).notNull(),
});
