import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { runPrepared, type Database, type PreparedSql, type Tx } from '../../platform/db/client.js';
import type { Db } from '../../platform/db/client.js';
import { countOf, PLACE_FORMS } from '../../platform/grammar/index.js';
import type { JobKind, JobQueue } from '../../platform/jobs/queue.js';
import { applicationStatus, groupPlaces, HOLDING_STATUSES } from './schema.js';

/**
 * The seat arithmetic every status change goes through. Rules that keep capacity exact under any concurrency:
 * 1. A change that can take or free a place — or change the capacity — first locks the group's `group_places`
 *    row (`lockGroup`); the lock is held until commit, so decisions about one group happen one after another,
 *    and `arrival` (taken after the lock) orders the queue exactly as the decisions were made.
 * 2. `group_places.taken` counts the applications in HOLDING_STATUSES (Новая, Принята, Предложено место); a
 *    check constraint keeps it within capacity, so a bug would fail loudly instead of overselling.
 * 3. A freed place — given back or added by a capacity raise — goes to the first in the queue (it becomes
 *    «Предложено место») before anybody new can take it; only with an empty queue does it stay free.
 */

export const APPLICATION_STATUSES = applicationStatus.enumValues;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

/** How long a parent has to take an offered place (the default). */
export const OFFER_HOURS = 48;

/** The job each event had before the outbox of notices (ADR 0051); handled for those still queued at the upgrade. */
export const notifyJob: JobKind<z.ZodObject<{ eventId: z.ZodUUID }>> = {
  name: 'applications.notify',
  payload: z.object({ eventId: z.uuid() }),
};

export const expireOfferJob: JobKind<z.ZodObject<{ applicationId: z.ZodUUID }>> = {
  name: 'applications.expire-offer',
  payload: z.object({ applicationId: z.uuid() }),
};

/**
 * A group's «план приёма» and the places applications hold, as columns of another module's select over
 * `program_groups` (the catalog, the provider's cabinet): they read the places, only this module writes them.
 */
export const placesColumns = {
  capacity: sql<number>`(select capacity from group_places where group_id = program_groups.id)`.mapWith(
    Number,
  ),
  seatsTaken: sql<number>`(select taken from group_places where group_id = program_groups.id)`.mapWith(
    Number,
  ),
};

export interface LockedGroup {
  id: string;
  capacity: number;
  seatsTaken: number;
  autoAccept: boolean;
}

export function holdsPlace(status: ApplicationStatus): boolean {
  return (HOLDING_STATUSES as readonly string[]).includes(status);
}

const LOCK_GROUP: PreparedSql = {
  name: 'applications_lock_group',
  text: `select group_id, capacity, taken, auto_accept from group_places where group_id = $1 for update`,
};

/** Locks the group's row until the end of the transaction (rule 1). */
export async function lockGroup(tx: Tx, groupId: string): Promise<LockedGroup | null> {
  const { rows } = await runPrepared(tx.sql, LOCK_GROUP, [groupId]);
  const row = rows[0];
  if (!row) return null;
  return {
    id: String(row.group_id),
    capacity: Number(row.capacity),
    seatsTaken: Number(row.taken),
    autoAccept: Boolean(row.auto_accept),
  };
}

export interface StatusChange {
  applicationId: string;
  from: ApplicationStatus;
  to: ApplicationStatus;
  /** Null when the system decided (an offer from the queue, an expired deadline). */
  actorUserId: string | null;
  reason?: string | null;
  offerExpiresAt?: Date | null;
}

/**
 * Moves an application from `from` to `to` and records the event (its notice and letter follow from it), in the
 * caller's transaction. False when the application is no longer in `from` (someone else changed it first).
 */
export async function changeStatus(tx: Tx, change: StatusChange): Promise<boolean> {
  const eventId = randomUUID();
  const { rows } = await tx.sql.executeSql(
    `with changed as (
       update applications
          set status = $3, reason = coalesce($4, reason), offer_expires_at = $5, updated_at = now()
        where id = $1 and status = $2
       returning id
     )
     insert into application_events (id, application_id, from_status, to_status, actor_user_id, reason)
     select $6, id, $2, $3, $7, $4 from changed
     returning id`,
    [
      change.applicationId,
      change.from,
      change.to,
      change.reason ?? null,
      change.offerExpiresAt ?? null,
      eventId,
      change.actorUserId,
    ],
  );
  // The event is the outbox row of its notice and letter (ADR 0051).
  return rows.length > 0;
}

/** Offers a place to the first `count` in the group's queue; returns how many got an offer. */
async function offerToQueue(tx: Tx, queue: JobQueue, groupId: string, count: number): Promise<number> {
  if (count <= 0) return 0;
  const { rows } = await tx.sql.executeSql(
    `select id from applications where group_id = $1 and status = 'queued' order by arrival limit $2 for update`,
    [groupId, count],
  );
  const offerExpiresAt = new Date(Date.now() + OFFER_HOURS * 3_600_000);
  for (const row of rows) {
    const applicationId = String(row.id);
    await changeStatus(tx, {
      applicationId,
      from: 'queued',
      to: 'offered',
      actorUserId: null,
      offerExpiresAt,
    });
    await queue.enqueue(tx.sql, expireOfferJob, { applicationId }, { startAfter: offerExpiresAt });
  }
  return rows.length;
}

/** A holding application left its place (rule 3): the first in the queue is offered it, or it is given back. */
export async function releasePlace(tx: Tx, queue: JobQueue, groupId: string): Promise<void> {
  const offered = await offerToQueue(tx, queue, groupId, 1);
  if (offered === 0)
    await tx.sql.executeSql(`update group_places set taken = taken - 1 where group_id = $1`, [groupId]);
}

/** Free places of a locked group go to the queue first; returns how many got an offer. */
async function fillFreePlaces(tx: Tx, queue: JobQueue, group: LockedGroup): Promise<number> {
  const offered = await offerToQueue(tx, queue, group.id, group.capacity - group.seatsTaken);
  if (offered > 0)
    await tx.sql.executeSql(`update group_places set taken = taken + $2 where group_id = $1`, [
      group.id,
      offered,
    ]);
  return offered;
}

/** What the provider reads when a capacity cut would leave applications without their places. */
export function capacityBelowTaken(taken: number): string {
  return `Уже занято ${countOf(taken, PLACE_FORMS)}: план приёма не может быть меньше`;
}

export type CapacityChange =
  | { ok: true; offered: number }
  | { ok: false; code: 'below_taken'; taken: number; message: string }
  | { ok: false; code: 'not_found'; message: string };

/**
 * The places of a group just created, in the caller's transaction (the program_groups row is inserted first).
 * Several at once for the XLSX import and the demo catalog.
 */
export async function openPlaces(
  db: Db,
  places: { groupId: string; capacity: number; autoAccept?: boolean }[],
): Promise<void> {
  if (places.length === 0) return;
  await db.insert(groupPlaces).values(
    places.map((place) => ({
      groupId: place.groupId,
      capacity: place.capacity,
      autoAccept: place.autoAccept ?? false,
    })),
  );
}

/**
 * The provider changed a group's «план приёма», in the caller's transaction: under the group's lock, a cut
 * below the places held is refused (nothing changes), and places a raise adds go to the queue (rule 3) in the
 * same transaction, so no new applicant can take them first and no offer is lost if the change rolls back.
 */
export async function changeCapacity(
  tx: Tx,
  queue: JobQueue,
  groupId: string,
  capacity: number,
): Promise<CapacityChange> {
  const group = await lockGroup(tx, groupId);
  if (!group) return { ok: false, code: 'not_found', message: 'Группа не найдена' };
  if (capacity < group.seatsTaken)
    return {
      ok: false,
      code: 'below_taken',
      taken: group.seatsTaken,
      message: capacityBelowTaken(group.seatsTaken),
    };
  if (capacity !== group.capacity)
    await tx.sql.executeSql(`update group_places set capacity = $2 where group_id = $1`, [groupId, capacity]);
  const offered = await fillFreePlaces(tx, queue, { ...group, capacity });
  return { ok: true, offered };
}

/**
 * Before a group is deleted, in the caller's transaction: true when nobody ever applied to it (applications keep
 * their group for their history). Locks the places, so no application can arrive between this answer and the
 * deletion; the places row goes with the group (on delete cascade).
 */
export async function mayCloseGroup(tx: Tx, groupId: string): Promise<boolean> {
  const group = await lockGroup(tx, groupId);
  if (group && group.seatsTaken > 0) return false;
  const { rows } = await tx.sql.executeSql(`select 1 from applications where group_id = $1 limit 1`, [
    groupId,
  ]);
  return rows.length === 0;
}

/** An offer's deadline passed: «Истёк срок», and the place goes to the next in the queue. False if taken meanwhile. */
export async function expireOffer(
  database: Database,
  queue: JobQueue,
  applicationId: string,
): Promise<boolean> {
  const { rows: found } = await database.sql.executeSql(`select group_id from applications where id = $1`, [
    applicationId,
  ]);
  if (!found[0]) return false;
  const groupId = String(found[0].group_id);
  return database.transaction(async (tx) => {
    await lockGroup(tx, groupId);
    const { rows } = await tx.sql.executeSql(
      `select 1 from applications where id = $1 and status = 'offered' and offer_expires_at <= now() for update`,
      [applicationId],
    );
    if (rows.length === 0) return false;
    await changeStatus(tx, { applicationId, from: 'offered', to: 'expired', actorUserId: null });
    await releasePlace(tx, queue, groupId);
    return true;
  });
}
