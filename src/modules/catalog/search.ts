import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '../../platform/db/client.js';
import { DIRECTIONS, MUNICIPALITIES } from '../reference/index.js';
import type { ProgramQueryInput } from './schemas.js';

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

interface ResolvedText {
  tsQuery: string | null;
  /** The same lexemes, any of them: tried when no program has them all. */
  anyQuery: string | null;
  corrected: string | null;
}

/** The words of a query, lower-cased, in order. */
function wordsOf(text: string): string[] {
  return (text.toLowerCase().match(/[а-яёa-z0-9]+/g) ?? []).slice(0, MAX_WORDS);
}

/**
 * Turns typed text into a tsquery of folded lexemes, every word required. A word whose lexeme no published
 * program has is replaced by the most similar known word, if there is one close enough.
 */
export async function resolveText(db: Db, text: string): Promise<ResolvedText> {
  const words = wordsOf(text);
  if (words.length === 0) return { tsQuery: null, anyQuery: null, corrected: null };
  const values = sql.join(
    words.map((word, index) => sql`(${index}::int, ${word}::text)`),
    sql`, `,
  );
  const rows = await queryRows(
    db,
    sql`
    select w.ord, w.word, l.lexeme,
      exists (select 1 from search_terms t where t.lexeme = l.lexeme) as known,
      n.lexeme as near_lexeme, n.word as near_word
    from (values ${values}) as w(ord, word)
    left join lateral unnest(search_fold(to_tsvector('russian', w.word))) as l on true
    left join lateral (
      select t.lexeme, t.word from search_terms t
      where t.word % w.word
      order by similarity(t.word, w.word) desc, t.word
      limit 1
    ) as n on l.lexeme is not null and not exists (select 1 from search_terms t where t.lexeme = l.lexeme)
    order by w.ord`,
  );
  const lexemes: string[] = [];
  const shown: string[] = [];
  let changed = false;
  for (const row of rows) {
    const word = String(row.word);
    const lexeme = row.lexeme === null ? null : (row.lexeme as string);
    if (lexeme === null) {
      shown.push(word); // a stop word («для», «и»): not searched
      continue;
    }
    if (!row.known && row.near_lexeme !== null) {
      lexemes.push(row.near_lexeme as string);
      shown.push(String(row.near_word));
      changed = true;
    } else {
      lexemes.push(lexeme);
      shown.push(word);
    }
  }
  const quoted = [...new Set(lexemes)].map((l) => `'${l.replaceAll("'", "''")}'`);
  return {
    tsQuery: quoted.length ? quoted.join(' & ') : null,
    anyQuery: quoted.length > 1 ? quoted.join(' | ') : null,
    corrected: changed ? shown.join(' ') : null,
  };
}

function conditions(filters: SearchFilters, tsQuery: string | null): SQL[] {
  const where: SQL[] = [sql`p.status = 'published'`];
  if (tsQuery) where.push(sql`p.search_vector @@ ${tsQuery}::tsquery`);
  // Codes are resolved here from the reference data, so the filter needs no join.
  const municipality = MUNICIPALITIES.find((m) => m.code === filters.municipality);
  if (municipality) where.push(sql`p.municipality_id = ${municipality.id}`);
  const direction = DIRECTIONS.find((d) => d.code === filters.direction);
  if (direction) where.push(sql`p.direction_id = ${direction.id}`);
  if (filters.specialization) where.push(sql`p.specialization_id = ${filters.specialization}`);
  if (filters.age !== undefined) where.push(sql`p.age_from <= ${filters.age} and p.age_to >= ${filters.age}`);
  if (filters.financing) where.push(sql`p.financing = ${filters.financing}`);
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

function ordering(filters: SearchFilters, tsQuery: string | null): SQL {
  const sort = filters.sort ?? (tsQuery ? 'relevance' : 'name');
  // Relevance: how well the name matches (the small name vector ranks fast), then the name. Descriptions
  // only decide whether a program is found.
  if (sort === 'relevance' && tsQuery) {
    return sql`ts_rank(p.name_vector, ${tsQuery}::tsquery) desc, p.name, p.id`;
  }
  if (sort === 'start') {
    return sql`(select min(s) from unnest(p.study_starts) as s where s >= ${filters.today}::date) nulls last, p.name, p.id`;
  }
  return sql`p.name, p.id`;
}

export async function searchPrograms(db: Db, filters: SearchFilters): Promise<SearchResult> {
  const text = filters.q?.trim();
  const resolved = text ? await resolveText(db, text) : { tsQuery: null, anyQuery: null, corrected: null };
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
  const anyWord = filters.partial ? resolved.anyQuery : null;
  let partialMatch = anyWord !== null;
  let tsQuery = anyWord ?? resolved.tsQuery;
  let found = await pageOf(db, filters, tsQuery, offsetPage);
  if (!anyWord && found.counted === 0 && resolved.anyQuery) {
    tsQuery = resolved.anyQuery;
    found = await pageOf(db, filters, tsQuery, offsetPage);
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
): Promise<{ places: ResultPlace[]; total: number }> {
  const text = filters.q?.trim();
  const resolved = text ? await resolveText(db, text) : { tsQuery: null, anyQuery: null, corrected: null };
  if (text && !resolved.tsQuery) return { places: [], total: 0 };
  const tsQuery = partialMatch ? (resolved.anyQuery ?? resolved.tsQuery) : resolved.tsQuery;
  const where = sql.join(conditions(filters, tsQuery), sql` and `);
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
async function pageOf(db: Db, filters: SearchFilters, tsQuery: string | null, page: number) {
  const where = sql.join(conditions(filters, tsQuery), sql` and `);
  const today = filters.today;
  const rows = await queryRows(
    db,
    sql`
    with page as (
      select u.id, u.ord from unnest(array(
        select p.id from programs p where ${where}
        order by ${ordering(filters, tsQuery)}
        limit ${PAGE_SIZE} offset ${(page - 1) * PAGE_SIZE}
      )) with ordinality as u(id, ord)
    ),
    matched as (
      select count(*) as n from (select 1 from programs p where ${where} limit ${COUNT_LIMIT + 1}) as m
    )
    select matched.n as counted, p.id, p.name, p.age_from, p.age_to, p.financing, p.format, p.ovz_adapted,
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
