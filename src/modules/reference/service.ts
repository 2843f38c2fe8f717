import { asc, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { DIRECTIONS, MUNICIPALITIES, specializationId } from './data.js';
import { directions, municipalities, specializations } from './schema.js';

export type Municipality = typeof municipalities.$inferSelect;
export type Direction = typeof directions.$inferSelect;

export function createReferenceService(db: Db) {
  return {
    listMunicipalities: (): Promise<Municipality[]> =>
      db.select().from(municipalities).orderBy(asc(municipalities.sortOrder)),
    listDirections: (): Promise<Direction[]> => db.select().from(directions).orderBy(asc(directions.id)),
  };
}

export type ReferenceService = ReturnType<typeof createReferenceService>;

/**
 * Writes the region's reference data (municipalities, направленности, specialisations). Idempotent:
 * runs at every start, so a corrected name in data.ts reaches the database with the next deploy.
 */
export async function ensureReferenceData(db: Db): Promise<void> {
  await db
    .insert(municipalities)
    .values(
      MUNICIPALITIES.map((m, index) => ({
        id: m.id,
        code: m.code,
        name: m.name,
        kind: m.kind,
        sortOrder: index + 1,
      })),
    )
    .onConflictDoUpdate({
      target: municipalities.id,
      set: {
        code: sql`excluded.code`,
        name: sql`excluded.name`,
        kind: sql`excluded.kind`,
        sortOrder: sql`excluded.sort_order`,
      },
    });
  await db
    .insert(directions)
    .values(DIRECTIONS.map(({ id, code, name, description }) => ({ id, code, name, description })))
    .onConflictDoUpdate({
      target: directions.id,
      set: { code: sql`excluded.code`, name: sql`excluded.name`, description: sql`excluded.description` },
    });
  await db
    .insert(specializations)
    .values(
      DIRECTIONS.flatMap((direction) =>
        direction.specializations.map((name, index) => ({
          id: specializationId(direction.id, index),
          directionId: direction.id,
          name,
        })),
      ),
    )
    .onConflictDoUpdate({ target: specializations.id, set: { name: sql`excluded.name` } });
}
