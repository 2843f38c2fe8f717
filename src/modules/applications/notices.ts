import { sql } from 'drizzle-orm';
import { authorize, type Actor } from '../../platform/access/policy.js';
import { queryRows, type Db } from '../../platform/db/client.js';
import { defineCronJob, type JobDefinition } from '../../platform/jobs/queue.js';
import type { ApplicationStatus } from './places.js';
import { noticePolicy } from './policy.js';

/** Notices on one page of «Уведомления». */
export const NOTICES_PER_PAGE = 20;
/** The header counts up to this many unread notices (it shows «99+» past 99): the query stays bounded. */
export const UNREAD_CAP = 100;
/** How long a notice is kept: the letter carries the same text, the application its history. */
export const NOTICE_RETENTION = '12 months';

/** One line of «Уведомления»: what happened, to which application, when. */
export interface NoticeLine {
  id: string;
  applicationId: string;
  status: ApplicationStatus;
  /** «Заявка принята — «Робототехника», Глеб». */
  summary: string;
  /** The whole paragraph the letter carried. */
  text: string;
  createdAt: Date;
  read: boolean;
}

export interface NoticePage {
  items: NoticeLine[];
  page: number;
  pageCount: number;
  total: number;
  unread: number;
}

const WHAT_HAPPENED: Record<ApplicationStatus, string> = {
  new: 'Заявка подана',
  accepted: 'Заявка принята, ребёнок зачислен',
  rejected: 'Заявка отклонена',
  queued: 'Заявка в очереди',
  offered: 'Освободилось место — подтвердите его',
  declined: 'Вы отказались от места',
  expired: 'Срок подтверждения места истёк',
  cancelled: 'Заявка отменена',
  expelled: 'Ребёнок отчислен',
  completed: 'Обучение завершено',
};

/** The one short line of a notice, made when it is shown (so notices kept before it existed have one too). */
export function noticeSummary(status: ApplicationStatus, program: string, child: string): string {
  return `${WHAT_HAPPENED[status]} — «${program}», ${child}`;
}

/** The cabinet's «Уведомления»: each person's own notices only (noticePolicy), newest first. */
export function createNoticesService(db: Db) {
  return {
    /** The header's counter: one query on the partial index of unread notices, at most UNREAD_CAP rows. */
    async unreadCount(actor: Actor): Promise<number> {
      const [row] = await queryRows(
        db,
        sql`select count(*)::int as unread from (select 1 from application_notices n
             where ${noticePolicy.scope(actor, 'read')} and n.read_at is null limit ${UNREAD_CAP}) unread`,
      );
      return Number(row?.unread ?? 0);
    },

    /** One page (from 1; past the last: the last) of the actor's notices, newest first. */
    async page(actor: Actor, requested: number): Promise<NoticePage> {
      const scope = noticePolicy.scope(actor, 'read');
      const [counts] = await queryRows(
        db,
        sql`select count(*)::int as total, count(*) filter (where n.read_at is null)::int as unread
              from application_notices n where ${scope}`,
      );
      const total = Number(counts?.total ?? 0);
      const pageCount = Math.max(1, Math.ceil(total / NOTICES_PER_PAGE));
      const page = Math.min(Math.max(1, requested), pageCount);
      const rows = await queryRows(
        db,
        sql`select n.id, n.application_id, n.text, n.created_at, n.read_at, e.to_status, p.name as program,
                   c.first_name as child
              from application_notices n
              join application_events e on e.id = n.event_id
              join applications a on a.id = n.application_id
              join programs p on p.id = a.program_id
              join children c on c.id = a.child_id
             where ${scope}
             order by n.created_at desc, n.id desc
             limit ${NOTICES_PER_PAGE} offset ${(page - 1) * NOTICES_PER_PAGE}`,
      );
      return {
        items: rows.map((row) => {
          const status = row.to_status as ApplicationStatus;
          return {
            id: String(row.id),
            applicationId: String(row.application_id),
            status,
            summary: noticeSummary(status, String(row.program), String(row.child)),
            text: String(row.text),
            createdAt: new Date(row.created_at as string),
            read: row.read_at !== null,
          };
        }),
        page,
        pageCount,
        total,
        unread: Number(counts?.unread ?? 0),
      };
    },

    /** Marks one notice read; one of someone else's (or none) throws AccessDenied, answered «not found». */
    async markRead(actor: Actor, id: string): Promise<void> {
      const [notice] = await queryRows(db, sql`select user_id from application_notices where id = ${id}`);
      authorize(noticePolicy, actor, 'read', notice ? { userId: String(notice.user_id) } : null);
      await queryRows(
        db,
        sql`update application_notices set read_at = now() where id = ${id} and read_at is null`,
      );
    },

    /** Marks every unread notice of the actor read. */
    async markAllRead(actor: Actor): Promise<void> {
      await queryRows(
        db,
        sql`update application_notices n set read_at = now()
             where ${noticePolicy.scope(actor, 'read')} and n.read_at is null`,
      );
    },
  };
}

export type NoticesService = ReturnType<typeof createNoticesService>;

/** Deletes notices older than NOTICE_RETENTION; idempotent (a second run finds nothing). Returns how many went. */
export async function deleteOldNotices(db: Db): Promise<number> {
  const rows = await queryRows(
    db,
    sql`delete from application_notices where created_at < now() - ${NOTICE_RETENTION}::interval returning id`,
  );
  return rows.length;
}

/** Every night at 03:30 (the region's time) notices past their 12 months are deleted. */
export function noticesCleanupJob(db: Db): JobDefinition {
  return defineCronJob({
    name: 'application-notices-cleanup',
    cron: '30 3 * * *',
    async handle(_payload, { logger }) {
      const deleted = await deleteOldNotices(db);
      logger.info({ deleted }, 'old notices deleted');
    },
  });
}
