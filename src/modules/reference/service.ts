import { asc, eq, isNull, sql } from 'drizzle-orm';
import { authorize, type Actor } from '../../platform/access/policy.js';
import { audit, type AuditContext } from '../../platform/audit/audit.js';
import type { Db } from '../../platform/db/client.js';
import { DIRECTIONS, MUNICIPALITIES, REGION, REGIONAL_COORDINATOR, specializationId } from './data.js';
import { municipalityPolicy, regionalOfficePolicy } from './policy.js';
import { directions, municipalities, regionalOffice, specializations } from './schema.js';

export type Municipality = typeof municipalities.$inferSelect;
export type Direction = typeof directions.$inferSelect;
export type Specialization = typeof specializations.$inferSelect;
/** The office's contacts (the number of free programs per child is the funding period's, ADR 0039). */
export type MunicipalOffice = Pick<
  Municipality,
  'officeName' | 'officePeople' | 'officeAddress' | 'officePhone' | 'officeEmail' | 'officeHours'
>;
export type RegionalOffice = Omit<typeof regionalOffice.$inferSelect, 'id'>;

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
  let regionalCache: { row: Promise<RegionalOffice>; until: number } | undefined;
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
    /** The regional coordinator's contacts (data.ts's until the coordinator edits them), cached like the offices. */
    regionalOffice(): Promise<RegionalOffice> {
      if (!regionalCache || regionalCache.until < Date.now()) {
        regionalCache = {
          row: remember(
            async () => {
              const [row] = await db.select().from(regionalOffice).where(eq(regionalOffice.id, 1));
              if (!row) return { people: null, ...REGIONAL_COORDINATOR };
              const { id: _id, ...office } = row;
              return office;
            },
            () => (regionalCache = undefined),
          ),
          until: Date.now() + MUNICIPALITIES_TTL_MS,
        };
      }
      return regionalCache.row;
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

    /** The municipalities whose office `actor` keeps (the coordinator: all; an administrator: their own). */
    officesToKeep(actor: Actor): Promise<Municipality[]> {
      return db
        .select()
        .from(municipalities)
        .where(municipalityPolicy.scope(actor, 'keep_office'))
        .orderBy(asc(municipalities.sortOrder));
    },

    /** A municipality to edit, if `actor` keeps its office; null otherwise, as for one that does not exist. */
    async officeToKeep(actor: Actor, id: number): Promise<Municipality | null> {
      const municipality = await this.getMunicipality(id);
      return municipality && municipalityPolicy.can(actor, 'keep_office', municipality) ? municipality : null;
    },

    /** The municipal administrator's office, shown to parents; audited with the actor and the fields changed. */
    async updateOffice(
      actor: Actor,
      id: number,
      office: MunicipalOffice,
      context: AuditContext,
    ): Promise<void> {
      const before = await this.getMunicipality(id);
      authorize(municipalityPolicy, actor, 'keep_office', before);
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
        details: { fields },
        context,
      });
    },

    /** The regional coordinator's own contacts on /contacts; audited with the fields changed. */
    async updateRegionalOffice(actor: Actor, office: RegionalOffice, context: AuditContext): Promise<void> {
      authorize(regionalOfficePolicy, actor, 'keep', {});
      const before = await this.regionalOffice();
      await db
        .insert(regionalOffice)
        .values({ id: 1, ...office })
        .onConflictDoUpdate({ target: regionalOffice.id, set: office });
      regionalCache = undefined;
      await audit(db, {
        actorUserId: actor.id,
        action: 'region.office_changed',
        subjectType: 'region',
        subjectId: REGION.code,
        details: {
          fields: (Object.keys(office) as (keyof RegionalOffice)[]).filter((k) => before[k] !== office[k]),
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
  // The coordinator's contacts start as data.ts has them; once edited, the database's copy is the one kept.
  await db
    .insert(regionalOffice)
    .values({ id: 1, ...REGIONAL_COORDINATOR })
    .onConflictDoNothing({ target: regionalOffice.id });
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
