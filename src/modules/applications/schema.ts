import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  pgEnum,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from '../accounts/schema.js';
import { programGroups, programs } from '../programs/schema.js';
import { children } from '../children/schema.js';
import { organizations } from '../organizations/schema.js';

/**
 * Новая (holds a place until the provider decides) → Принята / Отклонена; В очереди → Предложено место (holds a
 * place until the deadline) → Принята / Отказ / Истёк срок; Отменена заявителем; Отчислен; Обучение завершено.
 */
export const applicationStatus = pgEnum('application_status', [
  'new',
  'accepted',
  'rejected',
  'queued',
  'offered',
  'declined',
  'expired',
  'cancelled',
  'expelled',
  'completed',
]);

/** Online by the parent, or filed by the organization's staff when the parent came in person. */
export const applicationChannel = pgEnum('application_channel', ['online', 'in_person']);

/** Statuses in which an application is alive: a child has at most one such application per group. */
export const ACTIVE_STATUSES = ['new', 'accepted', 'queued', 'offered'] as const;
/** Statuses that hold one of the group's places (`group_places.taken` counts them). */
export const HOLDING_STATUSES = ['new', 'accepted', 'offered'] as const;

/**
 * A group's places: the provider's «план приёма» and how many of them applications hold. The one place capacity
 * lives (the catalog and the provider's pages read it from here); every seat-changing transaction locks this row
 * (ADR 0011), and only the applications module writes it — the programs module asks it to, in its transaction.
 */
export const groupPlaces = pgTable(
  'group_places',
  {
    groupId: uuid('group_id')
      .primaryKey()
      .references(() => programGroups.id, { onDelete: 'cascade' }),
    capacity: integer('capacity').notNull(),
    /** Places held by applications in HOLDING_STATUSES. */
    taken: integer('taken').notNull().default(0),
    /** The provider's choice: applications that get a place are accepted at once instead of waiting as «Новая». */
    autoAccept: boolean('auto_accept').notNull().default(false),
    /**
     * Applications waiting in the group's queue (status 'queued'), kept by a trigger on `applications` (migration
     * 0035), so that a new applicant's place in the queue is read under the group's lock, not counted (ADR 0050).
     */
    queued: integer('queued').notNull().default(0),
  },
  (table) => [
    check('group_places_capacity_ck', sql`${table.capacity} > 0`),
    check('group_places_taken_ck', sql`${table.taken} >= 0 and ${table.taken} <= ${table.capacity}`),
    check('group_places_queued_ck', sql`${table.queued} >= 0`),
  ],
);

/** Arrival order of applications in the whole region: the queue of a group is ordered by it. */
export const applications = pgTable(
  'applications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Taken while the group's row is locked, so within a group it follows the order of decisions. */
    arrival: bigint('arrival', { mode: 'number' }).generatedAlwaysAsIdentity().notNull(),
    groupId: uuid('group_id')
      .notNull()
      .references(() => programGroups.id, { onDelete: 'restrict' }),
    programId: uuid('program_id')
      .notNull()
      .references(() => programs.id),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    childId: uuid('child_id')
      .notNull()
      .references(() => children.id, { onDelete: 'restrict' }),
    /** The account the child belongs to: it sees the application and gets the letters. */
    applicantUserId: uuid('applicant_user_id')
      .notNull()
      .references(() => users.id),
    filedByUserId: uuid('filed_by_user_id')
      .notNull()
      .references(() => users.id),
    channel: applicationChannel('channel').notNull(),
    status: applicationStatus('status').notNull(),
    /** Why it was rejected or the child expelled (the latest such reason). */
    reason: text('reason'),
    /** Предложено место: until when the parent may take the place. */
    offerExpiresAt: timestamp('offer_expires_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('applications_arrival_uq').on(table.arrival),
    // One live application of a child per group, whatever the race.
    uniqueIndex('applications_child_group_active_uq')
      .on(table.childId, table.groupId)
      .where(sql`${table.status} in ('new', 'accepted', 'queued', 'offered')`),
    index('applications_group_status_arrival_idx').on(table.groupId, table.status, table.arrival),
    index('applications_applicant_idx').on(table.applicantUserId, table.createdAt),
    index('applications_organization_idx').on(table.organizationId, table.status, table.createdAt),
    index('applications_child_idx').on(table.childId),
  ],
);

/** Every status change: who (null: the system), when, why. The first event is the application itself. */
export const applicationEvents = pgTable(
  'application_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => applications.id, { onDelete: 'cascade' }),
    fromStatus: applicationStatus('from_status'),
    toStatus: applicationStatus('to_status').notNull(),
    actorUserId: uuid('actor_user_id').references(() => users.id),
    reason: text('reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /**
     * The outbox of notices (ADR 0051): an event is due until its notice is written and its letter queued, in one
     * transaction of a worker. Events from before migration 0036 were notified by jobs and are not due.
     */
    noticeDue: boolean('notice_due').notNull().default(true),
    /** Failed attempts to write the notice; the next waits until `notice_retry_at`; given up after 12. */
    noticeFailures: smallint('notice_failures').notNull().default(0),
    noticeRetryAt: timestamp('notice_retry_at', { withTimezone: true }),
    /** Into the queue at filing: the place the answer told (1 for the first); its notice says the same. */
    queuePlace: integer('queue_place'),
  },
  (table) => [
    index('application_events_application_idx').on(table.applicationId, table.createdAt),
    // The worker finds the due events oldest first without reading the others.
    index('application_events_notice_due_idx')
      .on(table.createdAt)
      .where(sql`${table.noticeDue}`),
  ],
);

/** What the applicant sees in the cabinet about each status change (the letter says the same). */
export const applicationNotices = pgTable(
  'application_notices',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** One notice per event: the notifying job may run twice. */
    eventId: uuid('event_id')
      .notNull()
      .references(() => applicationEvents.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => applications.id, { onDelete: 'cascade' }),
    text: text('text').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    readAt: timestamp('read_at', { withTimezone: true }),
  },
  (table) => [
    uniqueIndex('application_notices_event_uq').on(table.eventId),
    index('application_notices_user_idx').on(table.userId, table.createdAt),
    // The header's counter on every page of a signed-in person reads only this.
    index('application_notices_unread_idx')
      .on(table.userId)
      .where(sql`${table.readAt} is null`),
    // The 12-month cleanup finds the old ones without reading everyone's.
    index('application_notices_created_idx').on(table.createdAt),
  ],
);
