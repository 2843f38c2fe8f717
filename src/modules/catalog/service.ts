import { and, asc, count, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { organizations } from '../organizations/schema.js';
import { directions, municipalities, specializations } from '../reference/schema.js';
import { programGroups, programs } from './schema.js';

export const PAGE_SIZE = 20;

export interface ProgramQuery {
  q?: string | undefined;
  direction?: string | undefined;
  municipality?: string | undefined;
  page: number;
}

export interface ProgramCard {
  id: string;
  name: string;
  ageFrom: number;
  ageTo: number;
  financing: 'free' | 'certificate' | 'paid';
  organization: string;
  municipality: string;
  direction: string;
}

export interface ProgramPage {
  items: ProgramCard[];
  total: number;
  page: number;
  pageCount: number;
}

export function createCatalogService(db: Db) {
  const published = eq(programs.status, 'published');

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

    /** Search in Russian: word forms through the `russian` configuration, typos through trigrams. */
    async search(query: ProgramQuery): Promise<ProgramPage> {
      const conditions: SQL[] = [published];
      let rank: SQL | undefined;
      const text = query.q?.trim();
      if (text) {
        const tsQuery = sql`websearch_to_tsquery('russian', ${text})`;
        conditions.push(sql`(${programs.searchVector} @@ ${tsQuery} or ${text} <% ${programs.name})`);
        rank = sql`ts_rank(${programs.searchVector}, ${tsQuery}) + word_similarity(${text}, ${programs.name})`;
      }
      if (query.direction) conditions.push(eq(directions.code, query.direction));
      if (query.municipality) conditions.push(eq(municipalities.code, query.municipality));
      const page = Math.max(1, query.page);
      const rows = await db
        .select({
          id: programs.id,
          name: programs.name,
          ageFrom: programs.ageFrom,
          ageTo: programs.ageTo,
          financing: programs.financing,
          organization: organizations.shortName,
          municipality: municipalities.name,
          direction: directions.name,
          total: sql<number>`count(*) over ()`.mapWith(Number),
        })
        .from(programs)
        .innerJoin(organizations, eq(organizations.id, programs.organizationId))
        .innerJoin(municipalities, eq(municipalities.id, organizations.municipalityId))
        .innerJoin(directions, eq(directions.id, programs.directionId))
        .where(and(...conditions))
        .orderBy(...(rank ? [desc(rank)] : []), asc(programs.name), asc(programs.id))
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE);
      const total = rows[0]?.total ?? 0;
      return {
        items: rows.map(({ total: _total, ...card }) => card),
        total,
        page,
        pageCount: Math.max(1, Math.ceil(total / PAGE_SIZE)),
      };
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
        .select()
        .from(programGroups)
        .where(eq(programGroups.programId, id))
        .orderBy(asc(programGroups.name));
      return { ...program, groups };
    },

    async isEmpty(): Promise<boolean> {
      const [row] = await db.select({ total: count() }).from(organizations);
      return (row?.total ?? 0) === 0;
    },
  };
}

export type CatalogService = ReturnType<typeof createCatalogService>;
