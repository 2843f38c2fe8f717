import { asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { authorize, type Actor } from '../../platform/access/policy.js';
import { isUniqueViolation, queryRows, type Db } from '../../platform/db/client.js';
import type { FieldErrors } from '../../platform/views/forms.js';
import { synonymsPolicy } from './policy.js';
import { searchSynonyms } from './schema.js';

/**
 * The search's related words (ADR 0022), kept by the regional coordinator: «рисование» also searches for
 * «рисунок», «живопись», «ИЗО». Every change clears the guests' catalog pages (ADR 0010), so parents get the
 * new answers at once.
 */

export interface Synonym {
  id: number;
  term: string;
  related: string[];
}

export const MAX_RELATED = 20;
const WORD = /^[а-яёa-z0-9]+$/;
const PHRASE = /^[а-яёa-z0-9]+([ -][а-яёa-z0-9]+){0,4}$/;

/** The form of an entry: one word, and a list of words or short phrases separated by commas or lines. */
export const synonymFormSchema = z.object({
  term: z.preprocess(
    (value) => (typeof value === 'string' ? value.trim().toLowerCase() : ''),
    z
      .string()
      .min(1, { message: 'Введите слово, которое набирают родители' })
      .max(40, { message: 'Не больше 40 символов' })
      .regex(WORD, { message: 'Одно слово из букв и цифр, без пробелов и знаков' }),
  ),
  related: z.preprocess(
    (value) =>
      typeof value === 'string'
        ? [
            ...new Set(
              value
                .split(/[,;\n]/)
                .map((part) => part.trim().replace(/\s+/g, ' '))
                .filter(Boolean),
            ),
          ]
        : [],
    z
      .array(
        z
          .string()
          .max(60, { message: 'Каждое слово или выражение — не больше 60 символов' })
          .refine((part) => PHRASE.test(part.toLowerCase()), {
            message: 'Слова и выражения из букв и цифр (до 5 слов), через запятую',
          }),
      )
      .min(1, { message: 'Введите хотя бы одно связанное слово' })
      .max(MAX_RELATED, { message: `Не больше ${MAX_RELATED} связанных слов` }),
  ),
});
export type SynonymInput = z.infer<typeof synonymFormSchema>;

/** What went wrong with a valid-looking entry: per field, for the form. */
export class SynonymRejected extends Error {
  constructor(readonly errors: FieldErrors) {
    super('synonym rejected');
  }
}

/** Two coordinators saving the same word at once: the unique index decides, the form says why. */
async function uniqueTerm<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error)) throw new SynonymRejected({ term: 'Для этого слова уже есть запись' });
    throw error;
  }
}

export function createSynonymsService({ db, onChange }: { db: Db; onChange: () => void }) {
  /** Checks what only the database knows: the term's lexeme, that each entry is searchable, duplicates. */
  async function check(input: SynonymInput, exceptId: number | null): Promise<void> {
    const [row] = await queryRows(
      db,
      sql`
      select tsvector_to_array(search_fold(to_tsvector('russian', ${input.term}::text))) as lexemes,
        (select s.term from search_synonyms s
         where s.term_lexemes = tsvector_to_array(search_fold(to_tsvector('russian', ${input.term}::text)))
           and s.id is distinct from ${exceptId}::int) as taken,
        (select array_agg(r.phrase) from unnest(array[${sql.join(
          input.related.map((phrase) => sql`${phrase}::text`),
          sql`, `,
        )}]) as r(phrase)
         where not exists (select 1 from search_terms_of(r.phrase))) as unsearchable`,
    );
    const lexemes = (row?.lexemes as string[] | null) ?? [];
    const errors: FieldErrors = {};
    if (lexemes.length === 0) errors.term = 'Это слово поиск пропускает (как «для» или «и»): выберите другое';
    else if (row?.taken) errors.term = `Для этого слова уже есть запись: «${row.taken as string}»`;
    const unsearchable = (row?.unsearchable as string[] | null) ?? [];
    if (unsearchable.length > 0) {
      errors.related = `Поиск пропускает: ${unsearchable.map((p) => `«${p}»`).join(', ')} — нужны слова длиннее двух букв`;
    }
    if (Object.keys(errors).length > 0) throw new SynonymRejected(errors);
  }

  return {
    async list(actor: Actor): Promise<Synonym[]> {
      authorize(synonymsPolicy, actor, 'manage', 'synonyms');
      return db
        .select({ id: searchSynonyms.id, term: searchSynonyms.term, related: searchSynonyms.related })
        .from(searchSynonyms)
        .orderBy(asc(searchSynonyms.term));
    },

    async get(actor: Actor, id: number): Promise<Synonym | null> {
      authorize(synonymsPolicy, actor, 'manage', 'synonyms');
      const [row] = await db
        .select({ id: searchSynonyms.id, term: searchSynonyms.term, related: searchSynonyms.related })
        .from(searchSynonyms)
        .where(eq(searchSynonyms.id, id));
      return row ?? null;
    },

    /** Throws SynonymRejected with the form's messages. */
    async create(actor: Actor, input: SynonymInput): Promise<void> {
      authorize(synonymsPolicy, actor, 'manage', 'synonyms');
      await check(input, null);
      await uniqueTerm(() => db.insert(searchSynonyms).values({ term: input.term, related: input.related }));
      onChange();
    },

    /** False when there is no such entry. Throws SynonymRejected with the form's messages. */
    async update(actor: Actor, id: number, input: SynonymInput): Promise<boolean> {
      authorize(synonymsPolicy, actor, 'manage', 'synonyms');
      await check(input, id);
      const changed = await uniqueTerm(() =>
        db
          .update(searchSynonyms)
          .set({ term: input.term, related: input.related, updatedAt: new Date() })
          .where(eq(searchSynonyms.id, id))
          .returning({ id: searchSynonyms.id }),
      );
      if (changed.length > 0) onChange();
      return changed.length > 0;
    },

    /** False when there is no such entry. */
    async remove(actor: Actor, id: number): Promise<boolean> {
      authorize(synonymsPolicy, actor, 'manage', 'synonyms');
      const removed = await db
        .delete(searchSynonyms)
        .where(eq(searchSynonyms.id, id))
        .returning({ id: searchSynonyms.id });
      if (removed.length > 0) onChange();
      return removed.length > 0;
    },
  };
}

export type SynonymsService = ReturnType<typeof createSynonymsService>;
