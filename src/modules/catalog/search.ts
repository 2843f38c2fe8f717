import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '../../platform/db/client.js';
import { DIRECTIONS, MUNICIPALITIES, type Registry } from '../reference/index.js';
import type { ProgramQueryInput } from './schemas.js';
import { transliterations } from './transliteration.js';

/**
 * The public catalog's search: Russian full-text search over published programs (name weighs more than
 * description; search_fold makes «кружки» meet «кружок»), query words that match nothing corrected to the
 * nearest known word by trigram similarity («роботехника» → «робототехника»), and the filters parents use.
 */

export const PAGE_SIZE = 20;
/** Results are counted up to this many; beyond it the page says «более 1 000» and offers filters. */
export const COUNT_LIMIT = 1000;
export const MAX_PAGES = COUNT_LIMIT / PAGE_SIZE;
const MAX_WORDS = 8;

export interface SearchFilters extends Omit<ProgramQueryInput, 'child' | 'municipality'> {
  /** A municipality code; undefined for the whole region. */
  municipality?: string | undefined;
  /** ГГГГ-ММ-ДД in the region: what «open enrolment» and «nearest start» are measured against. */
  today: string;
}

export interface ProgramCard {
  id: string;
  name: string;
  ageFrom: number;
  ageTo: number;
  financing: 'free' | 'certificate' | 'paid';
  registry: Registry;
  format: 'in_person' | 'remote' | 'blended';
  ovzAdapted: boolean;
  organizationId: string;
  organization: string;
  municipality: string;
  direction: string;
  /** Of all the program's groups. */
  groups: number;
  freePlaces: number;
  enrolmentOpen: boolean;
  nextStart: string | null;
  /** The lowest monthly cost over groups and ways of paying; null when nothing is charged. */
  minMonthlyCost: number | null;
}

export interface SearchResult {
  items: ProgramCard[];
  /** Up to COUNT_LIMIT; `totalCapped` says there are more. */
  total: number;
  totalCapped: boolean;
  /** The page asked for; past `pageCount` it has no items (the totals stay true). */
  page: number;
  pageCount: number;
  /** The query as searched after correcting typos, when it differs from what was typed. */
  correctedQuery: string | null;
  /** No program has every word: these have some of them. */
  partialMatch: boolean;
}

export interface ResolvedText {
  tsQuery: string | null;
  /** The same lexemes, any of them: tried when no program has them all. */
  anyQuery: string | null;
  corrected: string | null;
  /** The typed words alone (with their spellings in the other alphabet), any of them: ranks first. */
  ownQuery: string | null;
  /** Per typed word: its own lexemes and spellings (matched anywhere), and its related words (matched in names). */
  groups: WordGroup[];
}

export interface WordGroup {
  own: string;
  related: string | null;
}

const NOTHING: ResolvedText = { tsQuery: null, anyQuery: null, corrected: null, ownQuery: null, groups: [] };

/** The words of a query, lower-cased, in order. */
export function wordsOf(text: string): string[] {
  return (text.toLowerCase().match(/[а-яёa-z0-9]+/g) ?? []).slice(0, MAX_WORDS);
}

/** A lexeme as a tsquery operand. */
function operand(lexeme: string): string {
  return `'${lexeme.replaceAll("'", "''")}'`;
}

/** One typed word and what it stands for, as the database sees them (see `resolveText`). */
export interface WordRow {
  ord: number;
  /** The typed word, or (typed = false) one of its spellings in the other alphabet. */
  word: string;
  typed: boolean;
  /** Its folded lexeme; null for a stop word. */
  lexeme: string | null;
  /** Some published program has the lexeme (search_terms). */
  known: boolean;
  /** The lexemes of each related entry of the synonyms table that programs have, one array per entry. */
  related: string[][] | null;
  /** The most similar known word, for a typed word whose lexeme is unknown. */
  nearLexeme: string | null;
  nearWord: string | null;
}

/**
 * From the database's answer to a tsquery: each typed word becomes a group of alternatives — its own lexeme,
 * its other-alphabet spellings that programs have, the related entries of the synonyms table (a phrase is
 * «all its words») — and every group is required. A word with no alternative and an unknown lexeme is replaced
 * by the most similar known word (a typo, ADR 0009).
 */
export function queryOf(rows: WordRow[]): ResolvedText {
  const groups: string[] = [];
  const matches: WordGroup[] = [];
  const owns: string[] = [];
  const shown: string[] = [];
  let changed = false;
  const ords = [...new Set(rows.map((row) => row.ord))].sort((a, b) => a - b);
  for (const ord of ords) {
    const ofWord = rows.filter((row) => row.ord === ord);
    const typed = ofWord.filter((row) => row.typed);
    const word = typed[0]?.word ?? '';
    if (typed.every((row) => row.lexeme === null)) {
      shown.push(word); // a stop word («для», «и»): not searched
      continue;
    }
    const spellings: string[] = [];
    const others: string[] = [];
    for (const row of ofWord) {
      if (!row.typed && row.lexeme !== null && row.known) spellings.push(operand(row.lexeme));
      for (const lexemes of row.related ?? []) {
        if (lexemes.length === 0) continue;
        const operands = lexemes.map(operand);
        others.push(operands.length === 1 ? operands[0]! : `(${operands.join(' & ')})`);
      }
    }
    const own: string[] = [];
    let shownWord = word;
    for (const row of typed) {
      if (row.lexeme === null) continue;
      if (!row.known && spellings.length + others.length === 0 && row.nearLexeme !== null) {
        own.push(operand(row.nearLexeme));
        shownWord = row.nearWord ?? word;
        changed = true;
      } else {
        own.push(operand(row.lexeme));
      }
    }
    shown.push(shownWord);
    owns.push(...own, ...spellings);
    const alternatives = [...new Set([...own, ...spellings, ...others])];
    const ownOnes = [...new Set([...own, ...spellings])];
    const related = [...new Set(others)].filter((other) => !ownOnes.includes(other));
    matches.push({ own: ownOnes.join(' | '), related: related.length ? related.join(' | ') : null });
    groups.push(alternatives.length === 1 ? alternatives[0]! : `(${alternatives.join(' | ')})`);
  }
  const unique = [...new Set(groups)];
  return {
    tsQuery: unique.length ? unique.join(' & ') : null,
    anyQuery: unique.length > 1 ? unique.join(' | ') : null,
    corrected: changed ? shown.join(' ') : null,
    ownQuery: owns.length ? [...new Set(owns)].join(' | ') : null,
    groups: matches,
  };
}

/**
 * Turns typed text into a tsquery of folded lexemes, every word required, each word widened by its spellings in
 * the other alphabet (transliteration.ts) and the coordinator's related words (search_synonyms, ADR 0022). One
 * round trip; each look-up is an index probe (search_terms by lexeme, search_synonyms by term), so the cost does
 * not grow with the catalog.
 */
export async function resolveText(db: Db, text: string): Promise<ResolvedText> {
  const words = wordsOf(text);
  if (words.length === 0) return NOTHING;
  const candidates = words.flatMap((word, ord) => [
    { ord, word, typed: true },
    ...transliterations(word).map((spelling) => ({ ord, word: spelling, typed: false })),
  ]);
  const values = sql.join(
    candidates.map((c) => sql`(${c.ord}::int, ${c.word}::text, ${c.typed}::boolean)`),
    sql`, `,
  );
  const rows = await queryRows(
    db,
    sql`
    with w(ord, word, typed) as (values ${values}),
    l as (
      select w.ord, w.word, w.typed, l.lexeme
      from w left join lateral unnest(search_fold(to_tsvector('russian', w.word))) as l(lexeme) on true
    )
    select l.ord, l.word, l.typed, l.lexeme,
      exists (select 1 from search_terms t where t.lexeme = l.lexeme) as known,
      (
        select json_agg(p.lexemes)
        from search_synonyms s
        cross join lateral unnest(s.related) as r(phrase)
        cross join lateral (select array(select distinct x.lexeme from search_terms_of(r.phrase) as x) as lexemes) as p
        where s.term_lexemes = array[l.lexeme]
          and cardinality(p.lexemes) > 0
          and not exists (
            select 1 from unnest(p.lexemes) as x(lexeme)
            where not exists (select 1 from search_terms t where t.lexeme = x.lexeme)
          )
      ) as related,
      n.lexeme as near_lexeme, n.word as near_word
    from l
    left join lateral (
      select t.lexeme, t.word from search_terms t
      where t.word % l.word
      order by similarity(t.word, l.word) desc, t.word
      limit 1
    ) as n on l.typed and l.lexeme is not null
      and not exists (select 1 from search_terms t where t.lexeme = l.lexeme)
      and not exists (select 1 from search_synonyms s where s.term_lexemes = array[l.lexeme])
    order by l.ord, l.typed desc`,
  );
  return queryOf(
    rows.map((row) => ({
      ord: Number(row.ord),
      word: String(row.word),
      typed: Boolean(row.typed),
      lexeme: row.lexeme === null ? null : (row.lexeme as string),
      known: Boolean(row.known),
      related: parseRelated(row.related),
      nearLexeme: (row.near_lexeme as string | null) ?? null,
      nearWord: (row.near_word as string | null) ?? null,
    })),
  );
}

/** json_agg arrives parsed from one driver and as text from the other. */
function parseRelated(value: unknown): string[][] | null {
  if (value === null || value === undefined) return null;
  const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  return Array.isArray(parsed) ? (parsed as string[][]) : null;
}

/** What the words match: every word's group (or, `any`, some group); one index each (GIN on the vectors). */
interface TextMatch {
  groups: WordGroup[];
  any: boolean;
  /** Every alternative of every word, for ranking. */
  rank: string;
  own: string | null;
}

/**
 * A word's group matches a program that has one of its own alternatives anywhere, or one of its related words in
 * the name: descriptions mention neighbouring subjects («изобразительное и театральное искусство» in every art
 * program) and would pull them all in (ADR 0022). Both sides are GIN-indexed, so it is a BitmapOr.
 */
function textCondition(match: TextMatch): SQL {
  const parts = match.groups.map((group) =>
    group.related
      ? sql`(p.search_vector @@ ${group.own}::tsquery or p.name_vector @@ ${group.related}::tsquery)`
      : sql`p.search_vector @@ ${group.own}::tsquery`,
  );
  return sql`(${sql.join(parts, match.any ? sql` or ` : sql` and `)})`;
}

/** The words' match, every word (or, `any`, some word); null when there are no words to match. */
function textMatchOf(resolved: ResolvedText, any: boolean): TextMatch | null {
  return resolved.tsQuery
    ? {
        groups: resolved.groups,
        any,
        rank: any ? resolved.anyQuery! : resolved.tsQuery,
        own: resolved.ownQuery,
      }
    : null;
}

/**
 * The archived organizations, whose programs the catalog does not show (few: a hashed subplan over a partial
 * index, once per query).
 */
export const ARCHIVED_ORGANIZATIONS = sql`(select o.id from organizations o where o.archived_at is not null)`;

function conditions(filters: SearchFilters, match: TextMatch | null): SQL[] {
  const where: SQL[] = [sql`p.status = 'published'`, sql`p.organization_id not in ${ARCHIVED_ORGANIZATIONS}`];
  if (match) where.push(textCondition(match));
  // Codes are resolved here from the reference data, so the filter needs no join.
  const municipality = MUNICIPALITIES.find((m) => m.code === filters.municipality);
  if (municipality) where.push(sql`p.municipality_id = ${municipality.id}`);
  const direction = DIRECTIONS.find((d) => d.code === filters.direction);
  if (direction) where.push(sql`p.direction_id = ${direction.id}`);
  if (filters.specialization) where.push(sql`p.specialization_id = ${filters.specialization}`);
  if (filters.age !== undefined) where.push(sql`p.age_from <= ${filters.age} and p.age_to >= ${filters.age}`);
  if (filters.financing) where.push(sql`p.financing = ${filters.financing}`);
  if (filters.registry) where.push(sql`p.registry = ${filters.registry}`);
  if (filters.format) where.push(sql`p.format = ${filters.format}`);
  if (filters.level) where.push(sql`p.level = ${filters.level}`);
  if (filters.ovz) where.push(sql`p.ovz_adapted`);
  if (filters.organization) where.push(sql`p.organization_id = ${filters.organization}`);
  if (filters.open) where.push(sql`p.enrolment_windows @> ${filters.today}::date`);
  if (filters.maxCost !== undefined) {
    // Free programs cost nothing; otherwise some group must cost no more, in some way of paying.
    where.push(sql`(p.financing = 'free' or p.min_monthly_cost <= ${filters.maxCost})`);
  }
  return where;
}

function ordering(filters: SearchFilters, match: TextMatch | null): SQL {
  const sort = filters.sort ?? (match ? 'relevance' : 'name');
  // Relevance: how well the name matches the words as typed, then with their related words (the small name
  // vector ranks fast), then the name. Descriptions only decide whether a program is found.
  if (sort === 'relevance' && match) {
    const own = match.own ? sql`ts_rank(p.name_vector, ${match.own}::tsquery) desc, ` : sql``;
    return sql`${own}ts_rank(p.name_vector, ${match.rank}::tsquery) desc, p.name, p.id`;
  }
  if (sort === 'start') {
    return sql`(select min(s) from unnest(p.study_starts) as s where s >= ${filters.today}::date) nulls last, p.name, p.id`;
  }
  return sql`p.name, p.id`;
}

/** The query's words as the search reads them (one round trip; the typo look-up is its dearest part). */
export async function resolveQuery(db: Db, filters: Pick<SearchFilters, 'q'>): Promise<ResolvedText> {
  const text = filters.q?.trim();
  return text ? resolveText(db, text) : NOTHING;
}

/** `resolved`: the words as `resolveQuery` read them, when the caller has them already (the map asks too). */
export async function searchPrograms(
  db: Db,
  filters: SearchFilters,
  resolved?: ResolvedText,
): Promise<SearchResult> {
  const text = filters.q?.trim();
  resolved ??= await resolveQuery(db, filters);
  // A page past the end has no items but the true totals; the catalog page redirects it to the last one.
  const page = Math.max(1, filters.page);
  const offsetPage = Math.min(page, MAX_PAGES + 1); // beyond the counted results every page is empty
  const empty = {
    items: [],
    total: 0,
    totalCapped: false,
    page,
    pageCount: 1,
    correctedQuery: null,
    partialMatch: false,
  };
  // Words that are all stop words search for nothing rather than everything.
  if (text && !resolved.tsQuery) return empty;
  const matchOf = (any: boolean) => textMatchOf(resolved, any);
  const anyWord = filters.partial && resolved.anyQuery !== null;
  let partialMatch = anyWord;
  let found = await pageOf(db, filters, matchOf(anyWord), offsetPage);
  if (!anyWord && found.counted === 0 && resolved.anyQuery) {
    found = await pageOf(db, filters, matchOf(true), offsetPage);
    partialMatch = found.counted > 0;
  }
  const total = Math.min(found.counted, COUNT_LIMIT);
  const pageCount = Math.max(1, Math.ceil(total / PAGE_SIZE));
  return {
    items: page > pageCount ? [] : found.cards,
    total,
    totalCapped: found.counted > COUNT_LIMIT,
    page,
    pageCount,
    correctedQuery: resolved.corrected,
    partialMatch,
  };
}

/** At most this many organizations are marked on the catalog's map: the ones with the most matching programs. */
export const MAP_MARKER_LIMIT = 200;

/** An organization with programs among the results, where it is: a marker on the catalog's map. */
export interface ResultPlace {
  organizationId: string;
  name: string;
  address: string;
  latitude: number;
  longitude: number;
  /** How many of the results are its programs. */
  programs: number;
}

/**
 * The organizations of every result (not only the page's), with their coordinates, most results first, up to
 * MAP_MARKER_LIMIT; `total` counts all that have coordinates. `partialMatch` as the search found it.
 */
export async function searchPlaces(
  db: Db,
  filters: SearchFilters,
  partialMatch: boolean,
  resolved?: ResolvedText,
): Promise<{ places: ResultPlace[]; total: number }> {
  const text = filters.q?.trim();
  resolved ??= await resolveQuery(db, filters);
  if (text && !resolved.tsQuery) return { places: [], total: 0 };
  const match = textMatchOf(resolved, partialMatch && resolved.anyQuery !== null);
  const where = sql.join(conditions(filters, match), sql` and `);
  const rows = await queryRows(
    db,
    sql`
    select o.id, o.short_name, o.address, o.latitude, o.longitude, m.programs, count(*) over () as total
    from (select p.organization_id, count(*)::int as programs from programs p where ${where}
          group by p.organization_id) as m
    join organizations o on o.id = m.organization_id
    where o.latitude is not null and o.longitude is not null
    order by m.programs desc, o.short_name, o.id
    limit ${MAP_MARKER_LIMIT}`,
  );
  return {
    places: rows.map((row) => ({
      organizationId: row.id as string,
      name: row.short_name as string,
      address: row.address as string,
      latitude: Number(row.latitude),
      longitude: Number(row.longitude),
      programs: Number(row.programs),
    })),
    total: Number(rows[0]?.total ?? 0),
  };
}

/**
 * One page of results with what each card shows (places, enrolment, start, cost), and how many programs match,
 * in one round trip. Matching reads only `programs` (every filter is a column of it). The count stops at
 * COUNT_LIMIT + 1: «Найдено более 1 000 программ» serves a parent as well as an exact figure.
 */
async function pageOf(db: Db, filters: SearchFilters, match: TextMatch | null, page: number) {
  const where = sql.join(conditions(filters, match), sql` and `);
  const today = filters.today;
  const rows = await queryRows(
    db,
    sql`
    with page as (
      select u.id, u.ord from unnest(array(
        select p.id from programs p where ${where}
        order by ${ordering(filters, match)}
        limit ${PAGE_SIZE} offset ${(page - 1) * PAGE_SIZE}
      )) with ordinality as u(id, ord)
    ),
    matched as (
      select count(*) as n from (select 1 from programs p where ${where} limit ${COUNT_LIMIT + 1}) as m
    )
    select matched.n as counted, p.id, p.name, p.age_from, p.age_to, p.financing, p.registry, p.format, p.ovz_adapted,
      p.organization_id, o.short_name as organization, mu.name as municipality, d.name as direction,
      s.groups, s.free_places, s.enrolment_open, s.next_start, s.min_cost
    from matched
    left join page on true
    left join programs p on p.id = page.id
    left join organizations o on o.id = p.organization_id
    left join municipalities mu on mu.id = p.municipality_id
    left join directions d on d.id = p.direction_id
    left join lateral (
      select count(*) as groups,
        sum(gp.capacity - gp.taken) filter (where g.enrolment_to >= ${today}) as free_places,
        coalesce(bool_or(g.enrolment_from <= ${today} and g.enrolment_to >= ${today}), false) as enrolment_open,
        (min(g.study_start) filter (where g.study_start >= ${today}))::text as next_start,
        min(least(g.monthly_cost_certificate, g.monthly_cost_own)) as min_cost
      from program_groups g left join group_places gp on gp.group_id = g.id where g.program_id = p.id
    ) as s on true
    order by page.ord`,
  );
  const cards: ProgramCard[] = rows
    .filter((row) => row.id !== null)
    .map((row) => ({
      id: row.id as string,
      name: row.name as string,
      ageFrom: Number(row.age_from),
      ageTo: Number(row.age_to),
      financing: row.financing as ProgramCard['financing'],
      registry: row.registry as Registry,
      format: row.format as ProgramCard['format'],
      ovzAdapted: Boolean(row.ovz_adapted),
      organizationId: row.organization_id as string,
      organization: row.organization as string,
      municipality: row.municipality as string,
      direction: row.direction as string,
      groups: Number(row.groups),
      freePlaces: Number(row.free_places ?? 0),
      enrolmentOpen: Boolean(row.enrolment_open),
      nextStart: (row.next_start as string | null) ?? null,
      minMonthlyCost: row.min_cost === null ? null : Number(row.min_cost),
    }));
  return { cards, counted: Number(rows[0]?.counted ?? 0) };
}
