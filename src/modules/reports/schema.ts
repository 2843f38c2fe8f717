import { sql } from 'drizzle-orm';
import { check, integer, pgTable, smallint, timestamp, uuid } from 'drizzle-orm/pg-core';
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
