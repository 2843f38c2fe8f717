import { and, asc, count, eq, getTableColumns, inArray, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../platform/db/client.js';
import { placesColumns } from '../applications/index.js';
import { organizations } from '../organizations/index.js';
import { directions, municipalities, specializations } from '../reference/index.js';
import { programGroups, programs } from '../programs/index.js';
import { createPageCache } from '../../platform/http/page-cache.js';
import {
  resolveQuery,
  ARCHIVED_ORGANIZATIONS,
  searchPlaces,
  searchPrograms,
  type ProgramCard,
  type ResultPlace,
  type SearchFilters,
  type SearchResult,
} from './search.js';

export type { ProgramCard, ResultPlace, SearchFilters, SearchResult };

/** A published program as an organization's page lists it. */
export interface OrganizationProgram {
  id: string;
  name: string;
  ageFrom: number;
  ageTo: number;
  financing: 'free' | 'certificate' | 'paid';
  direction: string;
}

/** One row of the open-data export (/programs.csv). */
export interface CatalogExportRow {
  id: string;
  name: string;
  direction: string;
  specialization: string | null;
  organization: string;
  inn: string | null;
  municipality: string;
  age_from: number;
  age_to: number;
  level: string;
  format: string;
  financing: string;
  ovz_adapted: boolean;
  groups: number;
  capacity: number;
  free_places: number;
  min_monthly_cost: number | null;
  published_at: string | null;
}

/** What a catalog page shows of the search: a page of results and, when the map is on, where they are. */
export interface CatalogAnswer {
  result: SearchResult;
  places: { places: ResultPlace[]; total: number } | null;
}

/** The same filters give the same key whatever order their fields came in; absent fields are left out. */
export function answerKey(filters: SearchFilters, withPlaces: boolean): string {
  return JSON.stringify([withPlaces, sortedEntries(filters)]);
}

/** An object's defined fields by name: the same for the same values whatever order they were set in. */
export function sortedEntries(object: object): [string, unknown][] {
  return Object.entries(object)
    .filter(([, value]) => value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * `cacheSeconds`: how long an answer is kept for everyone who asks the same filters (ADR 0031): the results do
 * not depend on who asks, only the filters do (a signed-in user's municipality and child are resolved into them
 * before), so signed-in users share answers as guests share pages. 0: every call searches.
 */
export function createCatalogService(db: Db, options: { cacheSeconds?: number } = {}) {
  const published = and(
    eq(programs.status, 'published'),
    sql`${programs.organizationId} not in ${ARCHIVED_ORGANIZATIONS}`,
  )!;
  const answers = createPageCache<CatalogAnswer>({ ttlSeconds: options.cacheSeconds ?? 0 });

  /** The text is resolved once for both queries (its typo look-up is the dearest part of a short search). */
  async function answerOf(filters: SearchFilters, withPlaces: boolean): Promise<CatalogAnswer> {
    const resolved = await resolveQuery(db, filters);
    const result = await searchPrograms(db, filters, resolved);
    const places =
      withPlaces && result.total > 0 ? await searchPlaces(db, filters, result.partialMatch, resolved) : null;
    return { result, places };
  }

  return {
    /** Published programs per направленность id, for the home page. */
    async countPublishedByDirection(): Promise<Map<number, number>> {
      const rows = await db
        .select({ directionId: programs.directionId, total: count() })
        .from(programs)
        .where(published)
        .groupBy(programs.directionId);
      return new Map(rows.map((row) => [row.directionId, row.total]));
    },

    /** A page of results (kept `cacheSeconds` per filters). */
    search: async (filters: SearchFilters): Promise<SearchResult> =>
      (await answers.remember(answerKey(filters, false), () => answerOf(filters, false))).result,

    /**
     * A page of results and, `withPlaces`, the organizations of all of them for the map (see searchPlaces),
     * kept `cacheSeconds` per filters. `places` is null without the map or results.
     */
    answer: (filters: SearchFilters, withPlaces: boolean): Promise<CatalogAnswer> =>
      answers.remember(answerKey(filters, withPlaces), () => answerOf(filters, withPlaces)),

    /** Forget the kept answers at once (a publication, a change of groups or names, related words). */
    forgetAnswers: () => answers.clear(),

    /** An organization's published programs, by name: its public page. */
    async organizationPrograms(organizationId: string): Promise<OrganizationProgram[]> {
      return db
        .select({
          id: programs.id,
          name: programs.name,
          ageFrom: programs.ageFrom,
          ageTo: programs.ageTo,
          financing: programs.financing,
          direction: directions.name,
        })
        .from(programs)
        .innerJoin(directions, eq(directions.id, programs.directionId))
        .where(and(eq(programs.organizationId, organizationId), published))
        .orderBy(asc(programs.name), asc(programs.id));
    },

    /** How many published programs each of these organizations has (absent: none). */
    async publishedCountByOrganization(organizationIds: string[]): Promise<Map<string, number>> {
      if (organizationIds.length === 0) return new Map();
      const rows = await db
        .select({ organizationId: programs.organizationId, total: count() })
        .from(programs)
        .where(and(inArray(programs.organizationId, organizationIds), published))
        .groupBy(programs.organizationId);
      return new Map(rows.map((row) => [row.organizationId, row.total]));
    },

    /** Published programs with open enrolment for the home page: the municipality first, the right ages. */
    async recommendations(input: { municipalityCode?: string | undefined; ages: number[]; today: string }) {
      const pick = async (age: number | undefined) =>
        (
          await searchPrograms(db, {
            municipality: input.municipalityCode,
            age,
            open: true,
            ovz: false,
            partial: false,
            sort: 'start',
            page: 1,
            today: input.today,
          })
        ).items;
      const lists = input.ages.length ? await Promise.all(input.ages.map(pick)) : [await pick(undefined)];
      // One list, alternating between children, without repeats.
      const seen = new Set<string>();
      const cards: ProgramCard[] = [];
      for (let index = 0; cards.length < 6 && lists.some((list) => index < list.length); index++) {
        for (const list of lists) {
          const card = list[index];
          if (card && !seen.has(card.id) && cards.length < 6) {
            seen.add(card.id);
            cards.push(card);
          }
        }
      }
      return cards;
    },

    async getPublishedProgram(id: string) {
      const [program] = await db
        .select({
          program: programs,
          organization: organizations,
          municipality: municipalities.name,
          direction: directions.name,
          directionCode: directions.code,
          specialization: specializations.name,
        })
        .from(programs)
        .innerJoin(organizations, eq(organizations.id, programs.organizationId))
        .innerJoin(municipalities, eq(municipalities.id, organizations.municipalityId))
        .innerJoin(directions, eq(directions.id, programs.directionId))
        .leftJoin(specializations, eq(specializations.id, programs.specializationId))
        .where(and(eq(programs.id, id), published));
      if (!program) return null;
      const groups = await db
        .select({ ...getTableColumns(programGroups), ...placesColumns })
        .from(programGroups)
        .where(eq(programGroups.programId, id))
        .orderBy(asc(programGroups.name), asc(programGroups.id));
      return { ...program, groups };
    },

    /** The short name of an organization, for the heading of its programs' list; null when there is none. */
    async organizationName(id: string): Promise<string | null> {
      const [row] = await db
        .select({ shortName: organizations.shortName })
        .from(organizations)
        .where(eq(organizations.id, id));
      return row?.shortName ?? null;
    },

    /** The public catalog for open data, in pages of `batch` rows by id (keyset, so memory stays flat). */
    async *exportRows(batch = 1000): AsyncGenerator<CatalogExportRow[]> {
      let after = '00000000-0000-0000-0000-000000000000';
      for (;;) {
        const rows = (await queryRows(
          db,
          sql`
          select p.id, p.name, d.name as direction, s.name as specialization, o.name as organization, o.inn,
            m.name as municipality, p.age_from, p.age_to, p.level, p.format, p.financing, p.ovz_adapted,
            count(g.id)::int as groups, coalesce(sum(gp.capacity), 0)::int as capacity,
            coalesce(sum(gp.capacity - gp.taken), 0)::int as free_places,
            min(least(g.monthly_cost_certificate, g.monthly_cost_own)) as min_monthly_cost,
            to_char(p.published_at at time zone 'Europe/Moscow', 'YYYY-MM-DD') as published_at
          from programs p
          join organizations o on o.id = p.organization_id
          join municipalities m on m.id = o.municipality_id
          join directions d on d.id = p.direction_id
          left join specializations s on s.id = p.specialization_id
          left join program_groups g on g.program_id = p.id
          left join group_places gp on gp.group_id = g.id
          where p.status = 'published' and p.organization_id not in ${ARCHIVED_ORGANIZATIONS}
            and p.id > ${after}
          group by p.id, d.name, s.name, o.name, o.inn, m.name
          order by p.id
          limit ${batch}`,
        )) as unknown as CatalogExportRow[];
        if (rows.length === 0) return;
        yield rows;
        after = rows[rows.length - 1]!.id;
        if (rows.length < batch) return;
      }
    },

    /** A group of a published program with where to apply in person. */
    async getPublicGroup(groupId: string) {
      const [row] = await db
        .select({
          group: { ...getTableColumns(programGroups), ...placesColumns },
          program: programs,
          organization: organizations,
        })
        .from(programGroups)
        .innerJoin(programs, eq(programs.id, programGroups.programId))
        .innerJoin(organizations, eq(organizations.id, programs.organizationId))
        .where(and(eq(programGroups.id, groupId), published));
      return row ?? null;
    },

    async isEmpty(): Promise<boolean> {
      const [row] = await db.select({ total: count() }).from(organizations);
      return (row?.total ?? 0) === 0;
    },
  };
}

export type CatalogService = ReturnType<typeof createCatalogService>;
