import { runPrepared, type Database, type PreparedSql, type Tx } from '../../platform/db/client.js';
import { defineJob, type JobDefinition, type JobQueue, type OutboxRelay } from '../../platform/jobs/queue.js';
import type { Logger } from '../../platform/logger.js';
import { createMailer } from '../../platform/mail/mailer.js';
import type { mailMessageSchema } from '../../platform/mail/message.js';
import { renderEmail } from '../../platform/mail/template.js';
import { asSentence, bySex, officialName, type PersonName, type Sex } from '../../platform/grammar/index.js';
import { formatDate } from '../../platform/views/format.js';
import { formatMoment, queueText, STATUS_LABELS } from './labels.js';
import { noticesCleanupJob } from './notices.js';
import { expireOffer, expireOfferJob, notifyJob, type ApplicationStatus } from './places.js';

/** What the notices and letters of a batch of events say (prepared: in a rush it was planned again per batch). */
const NOTICE_EVENTS: PreparedSql = {
  name: 'applications_notice_events',
  text: `select e.id as event_id, e.to_status, e.reason, e.application_id, a.applicant_user_id,
                a.offer_expires_at, u.email, c.last_name, c.first_name, c.middle_name, c.sex,
                p.name as program, g.name as group_name, g.study_start::text, o.short_name as organization,
                -- The place told at filing; events from before migration 0037 count it.
                coalesce(e.queue_place, (select count(*)::int from applications q
                  where q.group_id = a.group_id and q.status = 'queued' and q.arrival <= a.arrival)) as queue_place
           from application_events e
           join applications a on a.id = e.application_id
           join users u on u.id = a.applicant_user_id
           join children c on c.id = a.child_id
           join program_groups g on g.id = a.group_id
           join programs p on p.id = a.program_id
           join organizations o on o.id = a.organization_id
          where e.id = any($1::uuid[])
          order by e.id`,
};

/** The batch's notices, each once (a second run after a crash finds them). */
const INSERT_NOTICES: PreparedSql = {
  name: 'applications_insert_notices',
  text: `insert into application_notices (event_id, user_id, application_id, text)
         select * from unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[])
         on conflict (event_id) do nothing returning event_id`,
};

interface NoticeFacts {
  to: ApplicationStatus;
  reason: string | null;
  child: PersonName;
  program: string;
  group: string;
  organization: string;
  studyStart: string;
  offerExpiresAt: Date | null;
  queuePlace: number;
}

/** «Кузнецов Илья Андреевич зачислен», «Кузнецова Анна Игоревна зачислена»; «Ребёнок … зачислен» if the sex is unknown. */
function agreed(child: PersonName, male: string, female: string): string {
  const name = officialName(child);
  return bySex(child, {
    male: `${name} ${male}`,
    female: `${name} ${female}`,
    neutral: `Ребёнок ${name} ${male}`,
  });
}

/** What a status change means for the parent, in one paragraph: the cabinet notice and the letter's text. */
export function noticeText(f: NoticeFacts): string {
  const where = `«${f.program}» (группа «${f.group}», ${f.organization})`;
  // The child as the official ФИО, in the case each sentence needs; verbs agree with the child's sex.
  const forChild = `для ребёнка ${officialName(f.child, 'genitive')}`;
  const reason = f.reason ? asSentence(f.reason) : 'не указана.';
  switch (f.to) {
    case 'new':
      return `Заявка на программу ${where} ${forChild} подана. Место в группе за ребёнком сохранено до решения организации.`;
    case 'accepted':
      return `${agreed(f.child, 'зачислен', 'зачислена')} в группу по программе ${where}. Занятия начинаются ${formatDate(f.studyStart)}.`;
    case 'rejected':
      return `Заявка на программу ${where} ${forChild} отклонена. Причина: ${reason}`;
    case 'queued':
      return `Свободных мест в группе сейчас нет: заявка на программу ${where} ${forChild} поставлена в очередь. ${queueText(f.queuePlace)}. Когда место освободится, мы сразу предложим его вам.`;
    case 'offered':
      return `Освободилось место в группе по программе ${where} ${forChild}. Подтвердите его до ${f.offerExpiresAt ? formatMoment(f.offerExpiresAt) : ''} (по московскому времени), иначе место перейдёт следующему в очереди.`;
    case 'declined':
      return `Вы отказались от места в группе по программе ${where} ${forChild}. Место передано следующему в очереди.`;
    case 'expired':
      return `Срок подтверждения места в группе по программе ${where} ${forChild} истёк. Место передано следующему в очереди.`;
    case 'cancelled':
      return `Заявка на программу ${where} ${forChild} отменена по вашей просьбе.`;
    case 'expelled':
      return `${agreed(f.child, 'отчислен', 'отчислена')} из группы по программе ${where}. Причина: ${reason}`;
    case 'completed':
      return `Обучение ребёнка ${officialName(f.child, 'genitive')} по программе ${where} завершено.`;
  }
}

/** An event whose notice is to be written now (the outbox of ADR 0051). */
const DUE_NOW = `notice_due and (notice_retry_at is null or notice_retry_at <= now())`;

/** Whether any event is due: an idle worker's poll is this one read, not a transaction. */
const ANY_DUE_EVENT: PreparedSql = {
  name: 'applications_any_due_event',
  text: `select 1 from application_events where ${DUE_NOW} limit 1`,
};

/**
 * Takes the oldest due events, each once: a worker's claim holds its rows until commit,
 * and another worker's skips them.
 */
const CLAIM_DUE_EVENTS: PreparedSql = {
  name: 'applications_claim_due_events',
  text: `with due as (
           select id from application_events where ${DUE_NOW}
            order by created_at limit $1 for update skip locked
         )
         update application_events e set notice_due = false from due where e.id = due.id returning e.id`,
};

const DUE_EVENTS_BACKLOG: PreparedSql = {
  name: 'applications_due_events_backlog',
  text: `select count(*)::int as waiting,
                coalesce(extract(epoch from now() - min(created_at)), 0)::float8 as oldest
           from application_events where ${DUE_NOW}`,
};

const CLAIM_EVENT: PreparedSql = {
  name: 'applications_claim_event',
  text: `update application_events set notice_due = false
          where id = (select id from application_events where id = $1 and notice_due for update skip locked)
         returning id`,
};

/** Attempts after the first for an event whose notice cannot be written; the waits double from 5 s (~3 h in all). */
export const NOTICE_RETRY_LIMIT = 12;

const NOTICE_FAILED: PreparedSql = {
  name: 'applications_notice_failed',
  text: `update application_events
            set notice_failures = notice_failures + 1,
                notice_due = notice_failures < $2,
                notice_retry_at = now() + make_interval(secs => 5 * 2 ^ notice_failures)
          where id = $1 and notice_due
         returning notice_due`,
};

/**
 * The background work of applications: the notice and the letter of every status change (an outbox relay,
 * ADR 0051), the end of an offered place's deadline, and the nightly deletion of notices older than 12 months.
 * `mailJob` is the job that delivers letters; the relay queues it in its transaction.
 */
export function applicationJobs({
  database,
  mailJob,
  baseUrl,
}: {
  database: Database;
  mailJob: JobDefinition<typeof mailMessageSchema>;
  baseUrl: string;
}): { jobs: JobDefinition[]; relays: OutboxRelay[] } {
  // Events of a version before the outbox came with a job each; the job stays for those left in the queue.
  const notify = defineJob({
    ...notifyJob,
    retryLimit: 12,
    retryDelaySeconds: 5,
    expireInSeconds: 15,
    async handle({ eventId }, { queue }) {
      await database.transaction((tx) => notifyAll(tx, [eventId], queue));
    },
  });

  // A rush makes hundreds of events a second: a worker takes up to 50 at once, and writes their notices and
  // queues their letters in one transaction of five statements.
  const notices: OutboxRelay = {
    name: 'applications.notices',
    batchSize: 50,
    async backlog() {
      const { rows } = await runPrepared(database.sql, DUE_EVENTS_BACKLOG, []);
      return { waiting: Number(rows[0]?.waiting ?? 0), oldestSeconds: Number(rows[0]?.oldest ?? 0) };
    },
    async relayDue(limit, { logger, queue }) {
      if ((await runPrepared(database.sql, ANY_DUE_EVENT, [])).rows.length === 0) return 0;
      let claimed: string[] = [];
      try {
        return await database.transaction(async (tx) => {
          const { rows } = await runPrepared(tx.sql, CLAIM_DUE_EVENTS, [limit]);
          claimed = rows.map((row) => String(row.id));
          if (claimed.length > 0) await notifyAll(tx, claimed, queue);
          return claimed.length;
        });
      } catch (error) {
        // The claim itself failed (the database is away): the relay's loop pauses and tries again.
        if (claimed.length === 0) throw error;
        // One event that cannot be notified must not hold back the others: each is tried alone.
        logger.warn(
          { err: error, events: claimed.length },
          'notice batch failed; its events are tried one by one',
        );
        for (const eventId of claimed) await notifyOne(eventId, logger, queue);
        return claimed.length;
      }
    },
  };

  async function notifyOne(eventId: string, logger: Logger, queue: JobQueue) {
    try {
      await database.transaction(async (tx) => {
        const { rows } = await runPrepared(tx.sql, CLAIM_EVENT, [eventId]);
        if (rows.length > 0) await notifyAll(tx, [eventId], queue);
      });
    } catch (error) {
      const { rows } = await runPrepared(database.sql, NOTICE_FAILED, [eventId, NOTICE_RETRY_LIMIT]);
      if (rows[0]?.notice_due === false)
        logger.error({ err: error, eventId }, 'the notice of an event could not be written; given up');
      else
        logger.warn(
          { err: error, eventId },
          'the notice of an event could not be written; tried again later',
        );
    }
  }

  /** The notices and letters of these events, each once: a second run (after a crash) finds the notices. */
  async function notifyAll(tx: Tx, eventIds: string[], queue: JobQueue) {
    const { rows } = await runPrepared(tx.sql, NOTICE_EVENTS, [eventIds]);
    // Gone only if the account was deleted since.
    if (rows.length === 0) return;
    const notices = rows.map((row) => {
      const to = row.to_status as ApplicationStatus;
      const text = noticeText({
        to,
        reason: (row.reason as string | null) ?? null,
        child: {
          lastName: String(row.last_name),
          firstName: String(row.first_name),
          middleName: (row.middle_name as string | null) ?? null,
          sex: row.sex as Sex,
        },
        program: String(row.program),
        group: String(row.group_name),
        organization: String(row.organization),
        studyStart: String(row.study_start),
        offerExpiresAt: row.offer_expires_at ? new Date(row.offer_expires_at as string) : null,
        queuePlace: Number(row.queue_place),
      });
      return { row, to, text, eventId: String(row.event_id) };
    });
    const inserted = await runPrepared(tx.sql, INSERT_NOTICES, [
      notices.map((notice) => notice.eventId),
      notices.map((notice) => String(notice.row.applicant_user_id)),
      notices.map((notice) => String(notice.row.application_id)),
      notices.map((notice) => notice.text),
    ]);
    // A second run of a job (after a crash) finds its notice and sends no second letter.
    const fresh = new Set(inserted.rows.map((row) => String(row.event_id)));
    const letters = notices
      .filter((notice) => fresh.has(notice.eventId))
      .map(({ row, to, text }) =>
        renderEmail(
          String(row.email),
          {
            // «Отчислен» is the status's label; in a subject it must agree with nobody: «ребёнок отчислен».
            subject: `Заявка: ${to === 'expelled' ? 'ребёнок отчислен' : STATUS_LABELS[to].toLowerCase()} — ${String(row.program)}`,
            paragraphs: [text],
            action: {
              label: to === 'offered' ? 'Подтвердить место' : 'Открыть заявку',
              url: `${baseUrl}/cabinet/applications/${String(row.application_id)}`,
            },
          },
          baseUrl,
        ),
      );
    await createMailer(queue, mailJob).sendMany(tx.sql, letters);
  }

  const expire = defineJob({
    ...expireOfferJob,
    retryLimit: 20,
    retryDelaySeconds: 10,
    expireInSeconds: 15,
    async handle({ applicationId }, { queue }) {
      await expireOffer(database, queue, applicationId);
    },
  });

  return { jobs: [notify, expire, noticesCleanupJob(database.db)], relays: [notices] };
}
