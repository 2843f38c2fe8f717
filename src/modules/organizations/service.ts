import { and, asc, count, eq, ilike, or, sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../platform/access/policy.js';
import { organizationOf } from '../../platform/access/policy.js';
import { audit, type AuditContext } from '../../platform/audit/audit.js';
import type { Database, Db } from '../../platform/db/client.js';
import { municipalities } from '../reference/index.js';
import { organizationPolicy } from './policy.js';
import { organizations, type OrganizationCategory } from './schema.js';
import type { OrganizationInput } from './schemas.js';

export type Organization = typeof organizations.$inferSelect;
export type NewOrganization = typeof organizations.$inferInsert;

/** A published program as the organization's public page lists it. */
export interface PublishedProgramItem {
  id: string;
  name: string;
  ageFrom: number;
  ageTo: number;
  financing: 'free' | 'certificate' | 'paid';
  direction: string;
}

/**
 * What this module asks about programs: the catalog answers (it reads the programs' tables; the composition
 * root hands it over, since the catalog itself reads organizations).
 */
export interface PublishedPrograms {
  organizationPrograms(organizationId: string): Promise<PublishedProgramItem[]>;
  publishedCountByOrganization(organizationIds: string[]): Promise<Map<string, number>>;
}

export const ORGANIZATIONS_PAGE_SIZE = 20;

export interface OrganizationFilters {
  /** A municipality id; undefined for the whole region. */
  municipalityId?: number | undefined;
  category?: OrganizationCategory | undefined;
  /** Words of the name (full or short). */
  q?: string | undefined;
  page: number;
}

/** An organization in the «Организации» list. */
export interface OrganizationListItem {
  id: string;
  name: string;
  shortName: string;
  category: OrganizationCategory;
  municipality: string;
  address: string;
  phone: string | null;
  website: string | null;
  latitude: number | null;
  longitude: number | null;
  publishedPrograms: number;
}

export interface OrganizationList {
  items: OrganizationListItem[];
  total: number;
  /** The page asked for; past `pageCount` it has no items (the total stays true). */
  page: number;
  pageCount: number;
}

/** A LIKE pattern that finds `text` anywhere, its own % and _ taken literally. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export interface OrganizationProfile {
  organization: Organization;
  municipality: string;
  programs: PublishedProgramItem[];
}

/** Adds organizations in one statement (the demo and benchmark catalogs). */
export async function insertOrganizations(db: Db, rows: NewOrganization[]): Promise<void> {
  if (rows.length) await db.insert(organizations).values(rows);
}

export function createOrganizationsService(deps: {
  database: Database;
  programs: PublishedPrograms;
  /** Called after a change the public catalog shows (the organization's name, contacts). */
  onPublicChange?: () => void;
}) {
  const { database } = deps;
  const { db } = database;
  const publicChanged = deps.onPublicChange ?? (() => undefined);

  async function get(id: string): Promise<Organization | null> {
    const [row] = await db.select().from(organizations).where(eq(organizations.id, id));
    return row ?? null;
  }

  return {
    get,

    /** The public «Организации» list: filtered, by name, a page of ORGANIZATIONS_PAGE_SIZE. */
    async list(actor: Actor | null, filters: OrganizationFilters): Promise<OrganizationList> {
      const where: SQL[] = [];
      const visible = organizationPolicy.scope(actor, 'read');
      if (visible) where.push(visible);
      if (filters.municipalityId !== undefined)
        where.push(eq(organizations.municipalityId, filters.municipalityId));
      if (filters.category) where.push(eq(organizations.category, filters.category));
      for (const word of (filters.q ?? '').split(/\s+/).filter(Boolean).slice(0, 8)) {
        // ё and е are one letter to someone typing a name.
        const pattern = containsPattern(word.replace(/ё/gi, 'е'));
        where.push(
          or(
            ilike(sql`replace(replace(${organizations.name}, 'ё', 'е'), 'Ё', 'Е')`, pattern),
            ilike(sql`replace(replace(${organizations.shortName}, 'ё', 'е'), 'Ё', 'Е')`, pattern),
          )!,
        );
      }
      const condition = where.length ? and(...where) : undefined;
      const [counted] = await db.select({ total: count() }).from(organizations).where(condition);
      const total = counted?.total ?? 0;
      const pageCount = Math.max(1, Math.ceil(total / ORGANIZATIONS_PAGE_SIZE));
      const page = Math.max(1, filters.page);
      if (page > pageCount) return { items: [], total, page, pageCount };
      const rows = await db
        .select({
          id: organizations.id,
          name: organizations.name,
          shortName: organizations.shortName,
          category: organizations.category,
          municipality: municipalities.name,
          address: organizations.address,
          phone: organizations.phone,
          website: organizations.website,
          latitude: organizations.latitude,
          longitude: organizations.longitude,
        })
        .from(organizations)
        .innerJoin(municipalities, eq(municipalities.id, organizations.municipalityId))
        .where(condition)
        .orderBy(asc(organizations.shortName), asc(organizations.id))
        .limit(ORGANIZATIONS_PAGE_SIZE)
        .offset((page - 1) * ORGANIZATIONS_PAGE_SIZE);
      const counts = await deps.programs.publishedCountByOrganization(rows.map((row) => row.id));
      return {
        items: rows.map((row) => ({ ...row, publishedPrograms: counts.get(row.id) ?? 0 })),
        total,
        page,
        pageCount,
      };
    },

    /** Organizations of a municipality, by name: where parents go in person. */
    inMunicipality: (municipalityId: number): Promise<Organization[]> =>
      db
        .select()
        .from(organizations)
        .where(eq(organizations.municipalityId, municipalityId))
        .orderBy(asc(organizations.name)),

    /** The public page of an organization: its profile and its published programs. */
    async publicProfile(actor: Actor | null, id: string): Promise<OrganizationProfile | null> {
      const [row] = await db
        .select({ organization: organizations, municipality: municipalities.name })
        .from(organizations)
        .innerJoin(municipalities, eq(municipalities.id, organizations.municipalityId))
        .where(eq(organizations.id, id));
      if (!row || !organizationPolicy.can(actor, 'read', row.organization)) return null;
      return { ...row, programs: await deps.programs.organizationPrograms(id) };
    },

    /**
     * The workspace's counter: organizations within the actor's oversight that nobody works for yet, per
     * municipality (staff roles are the accounts module's table: read here, never written).
     */
    async withoutStaff(actor: Actor): Promise<{ municipalityId: number; count: number }[]> {
      const rows = await db
        .select({ municipalityId: organizations.municipalityId, count: sql<number>`count(*)::int` })
        .from(organizations)
        .where(
          and(
            organizationPolicy.scope(actor, 'oversee'),
            sql`not exists (select 1 from staff_roles s where s.organization_id = ${organizations.id})`,
          ),
        )
        .groupBy(organizations.municipalityId);
      return rows.map((row) => ({ municipalityId: row.municipalityId, count: Number(row.count) }));
    },

    /** The organization the actor works for, when the actor may edit its profile (its own staff); else null. */
    async ownProfile(actor: Actor | null): Promise<Organization | null> {
      const id = organizationOf(actor);
      const organization = id ? await get(id) : null;
      return organization && organizationPolicy.can(actor, 'update', organization) ? organization : null;
    },

    /** Saves the profile, audited; false for an organization out of the actor's reach. */
    async update(
      actor: Actor,
      organizationId: string,
      input: OrganizationInput,
      context?: AuditContext,
    ): Promise<boolean> {
      const organization = await get(organizationId);
      if (!organization || !organizationPolicy.can(actor, 'update', organization)) return false;
      await database.transaction(async (tx) => {
        await tx.db
          .update(organizations)
          .set({
            ...input,
            phone: input.phone ?? null,
            email: input.email ?? null,
            website: input.website ?? null,
            inn: input.inn ?? null,
            ogrn: input.ogrn ?? null,
            workingHours: input.workingHours ?? null,
            updatedAt: new Date(),
          })
          .where(eq(organizations.id, organizationId));
        await audit(tx.db, {
          actorUserId: actor.id,
          action: 'organization.updated',
          subjectType: 'organization',
          subjectId: organizationId,
          context,
        });
      });
      publicChanged();
      return true;
    },
  };
}

export type OrganizationsService = ReturnType<typeof createOrganizationsService>;
