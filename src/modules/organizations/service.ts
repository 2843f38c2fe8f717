import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { organizations } from './schema.js';

export type Organization = typeof organizations.$inferSelect;

export function createOrganizationsService(db: Db) {
  return {
    async get(id: string): Promise<Organization | null> {
      const [row] = await db.select().from(organizations).where(eq(organizations.id, id));
      return row ?? null;
    },

    /** Organizations of a municipality, by name: where parents go in person. */
    inMunicipality: (municipalityId: number): Promise<Organization[]> =>
      db
        .select()
        .from(organizations)
        .where(eq(organizations.municipalityId, municipalityId))
        .orderBy(asc(organizations.name)),
  };
}

export type OrganizationsService = ReturnType<typeof createOrganizationsService>;
