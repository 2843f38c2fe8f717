import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../platform/db/client.js';

/**
 * What the public catalog's search reads, kept fresh by every write of programs and groups, in the writer's
 * transaction: the groups' summary on each program (the catalog filters 100,000 programs without visiting
 * 300,000 groups) and the words of published programs in search_terms (typo correction, ADR 0009).
 */

/** Recomputes the groups' summary on these programs (cost, enrolment windows, starts); call after group changes. */
export async function refreshGroupSummary(db: Db, programIds: string[]): Promise<void> {
  if (programIds.length === 0) return;
  await queryRows(
    db,
    sql`select refresh_group_summary(array[${sql.join(
      programIds.map((id) => sql`${id}`),
      sql`, `,
    )}]::uuid[])`,
  );
}

/**
 * Adds the words of published programs to search_terms (one row per distinct lexeme). Identical texts are read
 * once: catalogs repeat descriptions a lot.
 */
export async function indexSearchTerms(db: Db, programIds?: string[]): Promise<void> {
  const only = programIds
    ? sql`and p.id in (${sql.join(
        programIds.map((id) => sql`${id}`),
        sql`, `,
      )})`
    : sql``;
  if (programIds && programIds.length === 0) return;
  await queryRows(
    db,
    sql`
    insert into search_terms (lexeme, word)
    select distinct on (t.lexeme) t.lexeme, t.word
    from (select distinct p.name || ' ' || p.description as body from programs p where p.status = 'published' ${only}) as d,
      lateral search_terms_of(d.body) as t
    order by t.lexeme, length(t.word), t.word
    on conflict (lexeme) do nothing`,
  );
}
