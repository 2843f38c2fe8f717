import { asc, eq, isNull, sql } from 'drizzle-orm';
import { authorize, type Actor } from '../../platform/access/policy.js';
import { audit, type AuditContext } from '../../platform/audit/audit.js';
import type { Db } from '../../platform/db/client.js';
import { DIRECTIONS, MUNICIPALITIES, REGION, specializationId } from './data.js';
import { municipalityPolicy } from './policy.js';
import { directions, municipalities, specializations } from './schema.js';

export type Municipality = typeof municipalities.$inferSelect;
export type Direction = typeof directions.$inferSelect;
export type Specialization = typeof specializations.$inferSelect;
export type MunicipalOffice = Pick<
  Municipality,
  'officeName' | 'officeAddress' | 'officePhone' | 'officeHours' | 'freeProgramsPerYear'
>;

/** How long another process's edit of a municipal office may take to show here. */
const MUNICIPALITIES_TTL_MS = 30_000;

/**
 * Reference data is read on almost every page and changes almost never, so it is kept in memory: направленности
 * and specialisations come from data.ts at start and never change while running; municipalities carry the
 * offices the coordinator edits, so they are re-read after a short while (and at once after an edit here).
 */
export function createReferenceService(db: Db) {
  let directionsCache: Promise<Direction[]> | undefined;
  let specializationsCache: Promise<Specialization[]> | undefined;
  let municipalitiesCache: { rows: Promise<Municipality[]>; until: number } | undefined;
  const remember = <T>(load: () => Promise<T>, forget: () => void) => {
    const loading = load();
    loading.catch(forget); // a failed read is retried next time
    return loading;
  };
  return {
    listMunicipalities(): Promise<Municipality[]> {
      if (!municipalitiesCache || municipalitiesCache.until < Date.now()) {
        municipalitiesCache = {
          rows: remember(
            () => db.select().from(municipalities).orderBy(asc(municipalities.sortOrder)),
            () => (municipalitiesCache = undefined),
          ),
          until: Date.now() + MUNICIPALITIES_TTL_MS,
        };
      }
      return municipalitiesCache.rows;
    },
    listDirections(): Promise<Direction[]> {
      directionsCache ??= remember(
        () => db.select().from(directions).orderBy(asc(directions.id)),
        () => (directionsCache = undefined),
      );
      return directionsCache;
    },
    listSpecializations(): Promise<Specialization[]> {
      specializationsCache ??= remember(
        () => db.select().from(specializations).orderBy(asc(specializations.id)),
        () => (specializationsCache = undefined),
      );
      return specializationsCache;
    },
    async getMunicipality(id: number): Promise<Municipality | null> {
      const [row] = await db.select().from(municipalities).where(eq(municipalities.id, id));
      return row ?? null;
    },

    /** The municipalities whose office and limit `actor` keeps (the coordinator: all), in the region's order. */
    officesToKeep(actor: Actor): Promise<Municipality[]> {
      return db
        .select()
        .from(municipalities)
        .where(municipalityPolicy.scope(actor, 'update'))
        .orderBy(asc(municipalities.sortOrder));
    },

    /** A municipality to edit, if `actor` keeps its office; null otherwise, as for one that does not exist. */
    async officeToKeep(actor: Actor, id: number): Promise<Municipality | null> {
      const municipality = await this.getMunicipality(id);
      return municipality && municipalityPolicy.can(actor, 'update', municipality) ? municipality : null;
    },

    /** The municipal administrator's office, shown to parents, and the municipality's limit; audited with the actor. */
    async updateOffice(
      actor: Actor,
      id: number,
      office: MunicipalOffice,
      context: AuditContext,
    ): Promise<void> {
      const before = await this.getMunicipality(id);
      authorize(municipalityPolicy, actor, 'update', before);
      await db.update(municipalities).set(office).where(eq(municipalities.id, id));
      municipalitiesCache = undefined;
      const fields = (Object.keys(office) as (keyof MunicipalOffice)[]).filter(
        (key) => before[key] !== office[key],
      );
      await audit(db, {
        actorUserId: actor.id,
        action: 'municipality.office_changed',
        subjectType: 'municipality',
        subjectId: String(id),
        details: {
          fields,
          ...(fields.includes('freeProgramsPerYear')
            ? { freeProgramsPerYear: { from: before.freeProgramsPerYear, to: office.freeProgramsPerYear } }
            : {}),
        },
        context,
      });
    },
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

/** Demo offices for a development database: plausible, clearly local-only contacts. */
export async function ensureDemoOffices(db: Db): Promise<void> {
  for (const m of MUNICIPALITIES) {
    await db
      .update(municipalities)
      .set({
        officeName:
          m.code === 'smolensk'
            ? 'Управление образования и молодёжной политики Администрации города Смоленска'
            : `Отдел образования Администрации муниципального образования «${m.name}» ${REGION.nameGenitive}`,
        officeAddress: `${m.center}, ул. Ленина, д. ${(m.id % 20) + 1}, каб. 12`,
        officePhone: `+7 (4812) ${String(30 + m.id).padStart(2, '0')}-00-${String(10 + m.id).padStart(2, '0')}`,
        officeHours: 'Пн–Чт 9:00–18:00, Пт 9:00–17:00, обед 13:00–14:00',
      })
      .where(sql`${municipalities.id} = ${m.id} and ${isNull(municipalities.officeName)}`);
  }
}
