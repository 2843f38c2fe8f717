import { sql } from 'drizzle-orm';
import { check, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * Related words for the catalog's search, kept by the regional coordinator (ADR 0022): a parent's word (`term`,
 * one word) and what programs call the same thing (`related`: words or short phrases). A query word whose folded
 * lexeme is the term's also searches for every related entry. Read at query time, so a change needs no
 * re-indexing of programs; `term_lexemes` is the term as the search sees it (search_fold, migration 0006).
 */
export const searchSynonyms = pgTable(
  'search_synonyms',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    term: text('term').notNull(),
    related: text('related').array().notNull(),
    termLexemes: text('term_lexemes')
      .array()
      .notNull()
      .generatedAlwaysAs(sql`tsvector_to_array(search_fold(to_tsvector('russian'::regconfig, term)))`),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('search_synonyms_term_lexemes_key').on(table.termLexemes),
    check('search_synonyms_related_ck', sql`cardinality(${table.related}) between 1 and 20`),
  ],
);
