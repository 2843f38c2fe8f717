import { and, asc, count, eq, ilike, isNotNull, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../platform/access/policy.js';
import { AccessDenied, authorize, municipalityOf, organizationOf } from '../../platform/access/policy.js';
import { audit, type AuditContext } from '../../platform/audit/audit.js';
import { isUniqueViolation, type Database, type Db } from '../../platform/db/client.js';
import type { FieldErrors } from '../../platform/views/forms.js';
import { municipalities } from '../reference/index.js';
import { organizationPolicy } from './policy.js';
import { organizations, type OrganizationCategory } from './schema.js';
import type { NewOrganizationInput, OrganizationDetails, OrganizationInput } from './schemas.js';

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

export const STAFF_ORGANIZATIONS_PAGE_SIZE = 25;

/** The operators' list (/staff/organizations): everything in the URL. */
export interface StaffOrganizationFilters {
  /** The coordinator's choice; an administrator always sees their own municipality. */
  municipalityId?: number | undefined;
  status: 'active' | 'archived' | 'all';
  /** Only those nobody works for yet (the workspace's counter). */
  withoutStaff: boolean;
  /** Words of the name, or an ИНН (digits). */
  q?: string | undefined;
  page: number;
}

export interface StaffOrganizationItem {
  id: string;
  shortName: string;
  name: string;
  inn: string | null;
  municipality: string;
  archived: boolean;
  staffCount: number;
}

export interface StaffOrganizationList {
  items: StaffOrganizationItem[];
  total: number;
  page: number;
  pageCount: number;
}

/** An operator account of an organization, as its card lists it (the accounts module answers). */
export interface OrganizationStaffMember {
  id: string;
  lastName: string;
  firstName: string;
  email: string;
}

/** What this module asks of the accounts module (which itself reads organizations: the root wires it). */
export interface StaffDirectory {
  staffOf(actor: Actor, organizationId: string): Promise<OrganizationStaffMember[]>;
  invite(
    actor: Actor,
    input: { role: 'org_staff'; organizationId: string; lastName: string; firstName: string; email: string },
  ): Promise<{ ok: true } | { ok: false; errors: FieldErrors }>;
}

export type SaveResult = { ok: true; id: string } | { ok: false; errors: FieldErrors };

const DUPLICATE_INN: FieldErrors = {
  inn: 'Организация с таким ИНН и КПП уже есть в навигаторе: найдите её в списке организаций',
};

/** The columns of a form's optional fields: an emptied field clears the column. */
function profileColumns(input: OrganizationInput) {
  return {
    name: input.name,
    shortName: input.shortName,
    kind: input.kind,
    ...(input.category ? { category: input.category } : {}),
    address: input.address,
    legalAddress: input.legalAddress ?? null,
    latitude: input.latitude ?? null,
    longitude: input.longitude ?? null,
    phone: input.phone ?? null,
    email: input.email ?? null,
    website: input.website ?? null,
    workingHours: input.workingHours ?? null,
    head: input.head ?? null,
    description: input.description,
  };
}

function requisiteColumns(input: OrganizationDetails) {
  return { inn: input.inn, kpp: input.kpp ?? null, ogrn: input.ogrn };
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

  async function insert(
    input: NewOrganizationInput,
    actorUserId: string | null,
    context?: AuditContext,
  ): Promise<SaveResult> {
    try {
      const id = await database.transaction(async (tx) => {
        const [row] = await tx.db
          .insert(organizations)
          .values({
            municipalityId: input.municipalityId,
            ...profileColumns(input),
            category: input.category,
            ...requisiteColumns(input),
          })
          .returning({ id: organizations.id });
        await audit(tx.db, {
          actorUserId,
          action: 'organization.created',
          subjectType: 'organization',
          subjectId: row!.id,
          details: { municipalityId: input.municipalityId },
          context,
        });
        return row!.id;
      });
      publicChanged();
      return { ok: true, id };
    } catch (error) {
      if (isUniqueViolation(error)) return { ok: false, errors: DUPLICATE_INN };
      throw error;
    }
  }

  return {
    get,

    /** The public «Организации» list: filtered, by name, a page of ORGANIZATIONS_PAGE_SIZE. */
    async list(actor: Actor | null, filters: OrganizationFilters): Promise<OrganizationList> {
      const where: SQL[] = [isNull(organizations.archivedAt)];
      const visible = organizationPolicy.scope(actor, 'read');
      if (visible) where.push(visible);
      if (filters.municipalityId !== undefined)
        where.push(eq(organizations.municipalityId, filters.municipalityId));
      if (filters.category) where.push(eq(organizations.category, filters.category));
      where.push(...nameMatches(filters.q ?? ''));
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

    /** Organizations of a municipality (archived ones not), by name: where parents go in person. */
    inMunicipality: (municipalityId: number): Promise<Organization[]> =>
      db
        .select()
        .from(organizations)
        .where(and(eq(organizations.municipalityId, municipalityId), isNull(organizations.archivedAt)))
        .orderBy(asc(organizations.name)),

    /** The public page of an organization: its profile and its published programs. */
    async publicProfile(actor: Actor | null, id: string): Promise<OrganizationProfile | null> {
      const [row] = await db
        .select({ organization: organizations, municipality: municipalities.name })
        .from(organizations)
        .innerJoin(municipalities, eq(municipalities.id, organizations.municipalityId))
        .where(and(eq(organizations.id, id), isNull(organizations.archivedAt)));
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
            isNull(organizations.archivedAt),
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

    /**
     * Saves the descriptive profile (not ИНН/КПП/ОГРН, the municipality or the archive), audited; false for an
     * organization out of the actor's reach.
     */
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
          .set({ ...profileColumns(input), updatedAt: new Date() })
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

    /** Onboards an organization: the municipal administrator in their municipality, the coordinator in any. */
    async create(actor: Actor, input: NewOrganizationInput, context?: AuditContext): Promise<SaveResult> {
      // An administrator creates in their own municipality whatever the form says.
      const municipalityId = municipalityOf(actor) ?? input.municipalityId;
      authorize(organizationPolicy, actor, 'create', { id: null, municipalityId });
      return insert({ ...input, municipalityId }, actor.id, context);
    },

    /** The same from `npm run admin -- org:create`: whoever runs the deployment, no account (audited as such). */
    createByCommand: (input: NewOrganizationInput): Promise<SaveResult> => insert(input, null),
    /** The administrators' edit: the profile and the legal identity; AccessDenied (404) out of reach. */
    async edit(
      actor: Actor,
      organizationId: string,
      input: OrganizationDetails,
      context?: AuditContext,
    ): Promise<SaveResult> {
      const organization = await get(organizationId);
      authorize(organizationPolicy, actor, 'manage', organization);
      try {
        await database.transaction(async (tx) => {
          await tx.db
            .update(organizations)
            .set({ ...profileColumns(input), ...requisiteColumns(input), updatedAt: new Date() })
            .where(eq(organizations.id, organizationId));
          await audit(tx.db, {
            actorUserId: actor.id,
            action: 'organization.updated',
            subjectType: 'organization',
            subjectId: organizationId,
            details: {
              requisitesChanged:
                organization.inn !== input.inn ||
                (organization.kpp ?? undefined) !== input.kpp ||
                organization.ogrn !== input.ogrn,
            },
            context,
          });
        });
      } catch (error) {
        if (isUniqueViolation(error)) return { ok: false, errors: DUPLICATE_INN };
        throw error;
      }
      publicChanged();
      return { ok: true, id: organizationId };
    },

    /**
     * Archives (out of the public list, the catalog and applications, with its programs) or restores; nothing is
     * deleted. The reason goes to the audit. Answers whether the state changed.
     */
    async setArchived(
      actor: Actor,
      organizationId: string,
      archived: boolean,
      reason: string,
      context?: AuditContext,
    ): Promise<boolean> {
      const organization = await get(organizationId);
      authorize(organizationPolicy, actor, 'manage', organization);
      if ((organization.archivedAt !== null) === archived) return false;
      await database.transaction(async (tx) => {
        await tx.db
          .update(organizations)
          .set({ archivedAt: archived ? new Date() : null, updatedAt: new Date() })
          .where(eq(organizations.id, organizationId));
        await audit(tx.db, {
          actorUserId: actor.id,
          action: archived ? 'organization.archived' : 'organization.restored',
          subjectType: 'organization',
          subjectId: organizationId,
          details: { reason },
          context,
        });
      });
      publicChanged();
      return true;
    },

    /** The operators' list: within the actor's oversight, filtered, by name, a page. */
    async staffList(actor: Actor, filters: StaffOrganizationFilters): Promise<StaffOrganizationList> {
      const reach = organizationPolicy.scope(actor, 'oversee');
      const where: SQL[] = reach ? [reach] : [];
      if (filters.municipalityId !== undefined)
        where.push(eq(organizations.municipalityId, filters.municipalityId));
      if (filters.status === 'active') where.push(isNull(organizations.archivedAt));
      if (filters.status === 'archived') where.push(isNotNull(organizations.archivedAt));
      const staffCount = sql<number>`(select count(*)::int from staff_roles s where s.organization_id = ${organizations.id})`;
      if (filters.withoutStaff) where.push(sql`${staffCount} = 0`);
      const q = (filters.q ?? '').trim();
      if (/^\d{4,12}$/.test(q)) where.push(sql`${organizations.inn} like ${q + '%'}`);
      else where.push(...nameMatches(q));
      const condition = where.length ? and(...where) : undefined;
      const [counted] = await db.select({ total: count() }).from(organizations).where(condition);
      const total = counted?.total ?? 0;
      const pageCount = Math.max(1, Math.ceil(total / STAFF_ORGANIZATIONS_PAGE_SIZE));
      const page = Math.max(1, filters.page);
      if (page > pageCount) return { items: [], total, page, pageCount };
      const rows = await db
        .select({
          id: organizations.id,
          shortName: organizations.shortName,
          name: organizations.name,
          inn: organizations.inn,
          municipality: municipalities.name,
          archivedAt: organizations.archivedAt,
          staffCount,
        })
        .from(organizations)
        .innerJoin(municipalities, eq(municipalities.id, organizations.municipalityId))
        .where(condition)
        .orderBy(asc(organizations.shortName), asc(organizations.id))
        .limit(STAFF_ORGANIZATIONS_PAGE_SIZE)
        .offset((page - 1) * STAFF_ORGANIZATIONS_PAGE_SIZE);
      return {
        items: rows.map(({ archivedAt, staffCount: staff, ...row }) => ({
          ...row,
          archived: archivedAt !== null,
          staffCount: Number(staff),
        })),
        total,
        page,
        pageCount,
      };
    },

    /** An organization as its overseer manages it; AccessDenied (404) out of the actor's reach. */
    async managed(
      actor: Actor,
      organizationId: string,
    ): Promise<{ organization: Organization; municipality: string }> {
      const [row] = await db
        .select({ organization: organizations, municipality: municipalities.name })
        .from(organizations)
        .innerJoin(municipalities, eq(municipalities.id, organizations.municipalityId))
        .where(eq(organizations.id, organizationId));
      if (!row || !organizationPolicy.can(actor, 'manage', row.organization))
        throw new AccessDenied('manage');
      return row;
    },
  };
}

export type OrganizationsService = ReturnType<typeof createOrganizationsService>;

/** Each word of a search (up to 8) within the full or the short name; ё and е are one letter to someone typing. */
function nameMatches(q: string): SQL[] {
  return q
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 8)
    .map((word) => {
      const pattern = containsPattern(word.replace(/ё/gi, 'е'));
      return or(
        ilike(sql`replace(replace(${organizations.name}, 'ё', 'е'), 'Ё', 'Е')`, pattern),
        ilike(sql`replace(replace(${organizations.shortName}, 'ё', 'е'), 'Ё', 'Е')`, pattern),
      )!;
    });
}
