import { and, asc, eq, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/access/policy.js';
import { organizationOf } from '../../platform/access/policy.js';
import { audit, type AuditContext } from '../../platform/audit/audit.js';
import { queryRows, type Database, type Db } from '../../platform/db/client.js';
import { municipalities } from '../reference/index.js';
import { organizationPolicy } from './policy.js';
import { organizations } from './schema.js';
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
      // The programs module owns the table; this is a read model of what the public catalog shows.
      const programs = await queryRows(
        db,
        sql`
        select p.id, p.name, p.age_from, p.age_to, p.financing, d.name as direction
        from programs p join directions d on d.id = p.direction_id
        where p.organization_id = ${id} and p.status = 'published'
        order by p.name, p.id`,
      );
      return {
        ...row,
        programs: programs.map((program) => ({
          id: program.id as string,
          name: program.name as string,
          ageFrom: Number(program.age_from),
          ageTo: Number(program.age_to),
          financing: program.financing as PublishedProgramItem['financing'],
          direction: program.direction as string,
        })),
      };
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
