import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '../../platform/db/client.js';
import type { ApplicationStatus } from './places.js';

/** What the parent's «Заявки» and the provider's lists show of an application. */
export interface ApplicationView {
  id: string;
  status: ApplicationStatus;
  channel: 'online' | 'in_person';
  reason: string | null;
  offerExpiresAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  queuePlace: number | null;
  childId: string;
  childName: string;
  childBirthDate: string;
  groupId: string;
  groupName: string;
  groupAddress: string;
  studyStart: string;
  programId: string;
  programName: string;
  organizationName: string;
  certificateNumber: string | null;
  /** The certificate is still «awaiting_confirmation»: the provider must see it. */
  certificateConfirmed: boolean;
  /** The child's data were confirmed in person (by an administrator, or by this organization's staff). */
  childConfirmed: boolean;
}

export interface ApplicationEvent {
  fromStatus: ApplicationStatus | null;
  toStatus: ApplicationStatus;
  reason: string | null;
  actor: string | null;
  createdAt: Date;
}

const SELECT_VIEW = sql`
  select a.id, a.status, a.channel, a.reason, a.offer_expires_at, a.created_at, a.updated_at,
         case when a.status = 'queued' then
           (select count(*)::int from applications q
             where q.group_id = a.group_id and q.status = 'queued' and q.arrival <= a.arrival)
         end as queue_place,
         c.id as child_id, concat_ws(' ', c.last_name, c.first_name, c.middle_name) as child_name,
         c.birth_date::text as child_birth_date, c.data_status = 'confirmed' as child_confirmed,
         g.id as group_id, g.name as group_name, g.address as group_address, g.study_start::text as study_start,
         p.id as program_id, p.name as program_name, o.short_name as organization_name,
         cert.number as certificate_number, coalesce(cert.status = 'active', false) as certificate_confirmed
    from applications a
    join children c on c.id = a.child_id
    join program_groups g on g.id = a.group_id
    join programs p on p.id = a.program_id
    join organizations o on o.id = a.organization_id
    left join certificates cert on cert.child_id = a.child_id`;

function toView(row: Record<string, unknown>): ApplicationView {
  return {
    id: String(row.id),
    status: row.status as ApplicationStatus,
    channel: row.channel as ApplicationView['channel'],
    reason: (row.reason as string | null) ?? null,
    offerExpiresAt: row.offer_expires_at ? new Date(row.offer_expires_at as string) : null,
    createdAt: new Date(row.created_at as string),
    updatedAt: new Date(row.updated_at as string),
    queuePlace: row.queue_place === null || row.queue_place === undefined ? null : Number(row.queue_place),
    childId: String(row.child_id),
    childName: String(row.child_name),
    childBirthDate: String(row.child_birth_date),
    groupId: String(row.group_id),
    groupName: String(row.group_name),
    groupAddress: String(row.group_address),
    studyStart: String(row.study_start),
    programId: String(row.program_id),
    programName: String(row.program_name),
    organizationName: String(row.organization_name),
    certificateNumber: (row.certificate_number as string | null) ?? null,
    certificateConfirmed: Boolean(row.certificate_confirmed),
    childConfirmed: Boolean(row.child_confirmed),
  };
}

export interface OrganizationFilter {
  programId?: string | undefined;
  groupId?: string | undefined;
  /** Unset: what needs action first and no cancelled ones; 'all': every status, cancelled included. */
  status?: ApplicationStatus | 'all' | undefined;
  /** Only offers whose deadline comes within 24 hours. */
  expiring?: boolean | undefined;
  page: number;
}

/** An organization's work waiting on its staff: the workspace's counters. */
export interface OrganizationWorkload {
  newApplications: number;
  expiringOffers: number;
  groupsWithQueue: number;
}

export const PAGE_SIZE = 50;

/** A policy's scope as a condition: undefined means no limit. */
const within = (scope: SQL | undefined): SQL => scope ?? sql`true`;

/** Whether any application names the child (whatever its status): its record then stays (the foreign key). */
export async function childHasApplications(db: Db, childId: string): Promise<boolean> {
  const [row] = await queryRows(
    db,
    sql`select exists(select 1 from applications where child_id = ${childId}) as applied`,
  );
  return row?.applied === true;
}

/**
 * Reads for the pages. The `scope` parameters are the application policy's SQL conditions (policy.ts): over
 * `applications a` for applications, over `programs p` for groups. The service checks the policy first; the
 * scope keeps a query from returning anything outside the reach even if a caller forgot.
 */
export function createApplicationQueries(db: Db) {
  return {
    /** The applicant's applications, newest first. */
    async listForApplicant(scope: SQL | undefined): Promise<ApplicationView[]> {
      const rows = await queryRows(
        db,
        sql`${SELECT_VIEW} where ${within(scope)} order by a.created_at desc, a.arrival desc limit 200`,
      );
      return rows.map(toView);
    },

    /** One application within `scope` (else null: not found). */
    async getOne(applicationId: string, scope: SQL | undefined) {
      const [row] = await queryRows(
        db,
        sql`${SELECT_VIEW} where a.id = ${applicationId} and ${within(scope)}`,
      );
      return row ? toView(row) : null;
    },

    async history(applicationId: string): Promise<ApplicationEvent[]> {
      const rows = await queryRows(
        db,
        sql`select e.from_status, e.to_status, e.reason, e.created_at,
                   case when s.user_id is not null then concat_ws(' ', u.last_name, u.first_name)
                        when u.id is not null then 'заявитель' end as actor
              from application_events e
              left join users u on u.id = e.actor_user_id
              left join staff_roles s on s.user_id = e.actor_user_id
             where e.application_id = ${applicationId}
             order by e.created_at, e.id`,
      );
      return rows.map((row) => ({
        fromStatus: (row.from_status as ApplicationStatus | null) ?? null,
        toStatus: row.to_status as ApplicationStatus,
        reason: (row.reason as string | null) ?? null,
        actor: (row.actor as string | null) ?? null,
        createdAt: new Date(row.created_at as string),
      }));
    },

    /**
     * An organization's applications with filters, newest first, a page at a time. Without a status: the new
     * and offered ones (waiting for a decision or the parent's answer) first, cancelled ones left out.
     */
    async listForOrganization(
      scope: SQL | undefined,
      filter: OrganizationFilter,
    ): Promise<{ items: ApplicationView[]; total: number }> {
      const conditions: SQL[] = [within(scope)];
      if (filter.programId) conditions.push(sql`a.program_id = ${filter.programId}`);
      if (filter.groupId) conditions.push(sql`a.group_id = ${filter.groupId}`);
      if (filter.status === undefined) conditions.push(sql`a.status <> 'cancelled'`);
      else if (filter.status !== 'all') conditions.push(sql`a.status = ${filter.status}`);
      if (filter.expiring) {
        conditions.push(sql`a.status = 'offered' and a.offer_expires_at <= now() + interval '24 hours'`);
      }
      const where = sql.join(conditions, sql` and `);
      const order =
        filter.status === undefined
          ? sql`case when a.status in ('new', 'offered') then 0 else 1 end, a.created_at desc, a.arrival desc`
          : sql`a.created_at desc, a.arrival desc`;
      const [rows, [counted]] = await Promise.all([
        queryRows(
          db,
          sql`${SELECT_VIEW} where ${where} order by ${order} limit ${PAGE_SIZE} offset ${(filter.page - 1) * PAGE_SIZE}`,
        ),
        queryRows(db, sql`select count(*)::int as total from applications a where ${where}`),
      ]);
      return { items: rows.map(toView), total: Number(counted?.total ?? 0) };
    },

    /** The counters of the workspace, in one aggregate over the organization's applications. */
    async workload(scope: SQL | undefined): Promise<OrganizationWorkload> {
      const [row] = await queryRows(
        db,
        sql`select count(*) filter (where a.status = 'new')::int as new_applications,
                   count(*) filter (where a.status = 'offered'
                                      and a.offer_expires_at <= now() + interval '24 hours')::int as expiring_offers,
                   count(distinct a.group_id) filter (where a.status = 'queued')::int as groups_with_queue
              from applications a
             where ${within(scope)} and a.status in ('new', 'offered', 'queued')`,
      );
      return {
        newApplications: Number(row?.new_applications ?? 0),
        expiringOffers: Number(row?.expiring_offers ?? 0),
        groupsWithQueue: Number(row?.groups_with_queue ?? 0),
      };
    },

    /** The organization's groups that have applications or are open, for the filters and the in-person form. */
    async groupsOf(scope: SQL | undefined) {
      const rows = await queryRows(
        db,
        sql`select g.id, g.name, gp.capacity, gp.taken as seats_taken, p.id as program_id,
                   p.name as program_name, p.status as program_status
              from program_groups g join programs p on p.id = g.program_id
              join group_places gp on gp.group_id = g.id
             where ${within(scope)} and p.status <> 'archived'
             order by p.name, g.name`,
      );
      return rows.map((row) => ({
        id: String(row.id),
        name: String(row.name),
        capacity: Number(row.capacity),
        seatsTaken: Number(row.seats_taken),
        programId: String(row.program_id),
        programName: String(row.program_name),
        published: row.program_status === 'published',
      }));
    },

    /** Enrolled children of a group with their parents' contacts (the organization's own roster). */
    async roster(groupId: string, scope: SQL | undefined) {
      const [group] = await queryRows(
        db,
        sql`select g.id, g.name, gp.capacity, gp.taken as seats_taken, g.study_start::text, g.study_end::text,
                   g.teacher, g.address, gp.auto_accept, p.name as program_name, gp.queued
              from program_groups g join programs p on p.id = g.program_id
              join group_places gp on gp.group_id = g.id
             where g.id = ${groupId} and ${within(scope)}`,
      );
      if (!group) return null;
      const rows = await queryRows(
        db,
        sql`select a.id, a.status, a.updated_at,
                   concat_ws(' ', c.last_name, c.first_name, c.middle_name) as child_name, c.birth_date::text,
                   cert.number as certificate_number, coalesce(cert.status = 'active', false) as certificate_confirmed,
                   concat_ws(' ', u.last_name, u.first_name, u.middle_name) as parent_name, u.phone, u.email
              from applications a
              join children c on c.id = a.child_id
              join users u on u.id = a.applicant_user_id
              left join certificates cert on cert.child_id = a.child_id
             where a.group_id = ${groupId} and a.status in ('accepted', 'new', 'offered')
             order by (a.status <> 'accepted'), c.last_name, c.first_name`,
      );
      return {
        id: String(group.id),
        name: String(group.name),
        programName: String(group.program_name),
        capacity: Number(group.capacity),
        seatsTaken: Number(group.seats_taken),
        queued: Number(group.queued),
        studyStart: String(group.study_start),
        studyEnd: String(group.study_end),
        teacher: String(group.teacher),
        address: String(group.address),
        autoAccept: Boolean(group.auto_accept),
        members: rows.map((row) => ({
          id: String(row.id),
          status: row.status as ApplicationStatus,
          since: new Date(row.updated_at as string),
          childName: String(row.child_name),
          birthDate: String(row.birth_date),
          certificateNumber: (row.certificate_number as string | null) ?? null,
          certificateConfirmed: Boolean(row.certificate_confirmed),
          parentName: String(row.parent_name),
          phone: String(row.phone),
          email: String(row.email),
        })),
      };
    },

    /** The parent's contacts, only for the organization the application was filed to. */
    async contact(applicationId: string, scope: SQL | undefined) {
      const [row] = await queryRows(
        db,
        sql`select concat_ws(' ', u.last_name, u.first_name, u.middle_name) as parent_name, u.phone, u.email
              from applications a join users u on u.id = a.applicant_user_id
             where a.id = ${applicationId} and ${within(scope)}`,
      );
      const text = (value: unknown) => (typeof value === 'string' ? value : '');
      return { parentName: text(row?.parent_name), phone: text(row?.phone), email: text(row?.email) };
    },
  };
}

export type ApplicationQueries = ReturnType<typeof createApplicationQueries>;
