import { and, asc, count, desc, eq, inArray } from 'drizzle-orm';
import { authorize, type Actor } from '../../platform/access/policy.js';
import { audit, type AuditContext } from '../../platform/audit/audit.js';
import type { Database } from '../../platform/db/client.js';
import type { Mailer } from '../../platform/mail/mailer.js';
import { renderEmail } from '../../platform/mail/template.js';
import type { RateLimiter, RateLimitRule } from '../../platform/security/rate-limit.js';
import { supportRequestPolicy } from './policy.js';
import { supportReplies, supportRequests } from './schema.js';

export const REQUEST_PAGE_SIZE = 20;

/** The topics of «Задать вопрос». */
export const TOPICS = {
  letter: 'Не пришло письмо',
  sign_in: 'Не получается войти',
  certificate: 'Сертификат',
  children: 'Данные ребёнка',
  applications: 'Запись в кружок или секцию',
  other: 'Другое',
} as const;
export type Topic = keyof typeof TOPICS;

export const REQUEST_STATUS = {
  new: 'Новое',
  in_progress: 'В работе',
  answered: 'Отвечено',
  closed: 'Закрыто',
} as const;
export type RequestStatus = keyof typeof REQUEST_STATUS;

/** Questions from one client address, and to one address: enough for a person, too few to flood a desk. */
export const ASK_LIMITS = {
  byIp: { limit: 5, windowSeconds: 3600 },
  byEmail: { limit: 3, windowSeconds: 3600 },
} satisfies Record<string, RateLimitRule>;

export class AskLimitedError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('rate limited');
  }
}

export type SupportRequest = typeof supportRequests.$inferSelect;
export type SupportReply = typeof supportReplies.$inferSelect;

/**
 * Support requests (ADR 0028): asked by anyone with «Задать вопрос», routed by municipality, read and answered by
 * the municipal administrator of it and the coordinator (`supportRequestPolicy`). An answer is a letter queued in
 * the transaction that records it and moves the request to «Отвечено».
 */
export function createSupportRequests(deps: {
  database: Database;
  mailer: Mailer;
  rateLimiter: RateLimiter;
  baseUrl: string;
}) {
  const { database, mailer, rateLimiter, baseUrl } = deps;
  const { db } = database;

  async function reachable(actor: Actor, id: string): Promise<SupportRequest | null> {
    const [row] = await db.select().from(supportRequests).where(eq(supportRequests.id, id));
    return row && supportRequestPolicy.can(actor, 'read', row) ? row : null;
  }

  return {
    /** «Задать вопрос»: limited per client address and per e-mail address, counted before anything is written. */
    async ask(
      input: { municipalityId: number; email: string; topic: Topic; text: string; userId: string | null },
      context: AuditContext,
    ): Promise<string> {
      for (const [key, rule] of [
        [`support-ask:ip:${context.clientAddress}`, ASK_LIMITS.byIp],
        [`support-ask:email:${input.email}`, ASK_LIMITS.byEmail],
      ] as const) {
        const result = await rateLimiter.hit(key, rule);
        if (!result.allowed) throw new AskLimitedError(result.retryAfterSeconds);
      }
      return database.transaction(async (tx) => {
        const [row] = await tx.db.insert(supportRequests).values(input).returning({ id: supportRequests.id });
        await audit(tx.db, {
          actorUserId: input.userId,
          action: 'support.request_created',
          subjectType: 'support_request',
          subjectId: row!.id,
          details: { municipalityId: input.municipalityId, topic: input.topic },
          context,
        });
        return row!.id;
      });
    },

    /** The requests within reach, by status (new first by default), oldest first, a page at a time. */
    async list(
      actor: Actor,
      filter: { status: RequestStatus | 'open' | 'all'; municipalityId?: number | undefined; page: number },
    ): Promise<{ items: SupportRequest[]; total: number }> {
      const statuses: RequestStatus[] =
        filter.status === 'all'
          ? ['new', 'in_progress', 'answered', 'closed']
          : filter.status === 'open'
            ? ['new', 'in_progress']
            : [filter.status];
      const where = and(
        inArray(supportRequests.status, statuses),
        filter.municipalityId === undefined
          ? undefined
          : eq(supportRequests.municipalityId, filter.municipalityId),
        supportRequestPolicy.scope(actor, 'read'),
      );
      const [items, [total]] = await Promise.all([
        db
          .select()
          .from(supportRequests)
          .where(where)
          .orderBy(asc(supportRequests.createdAt), asc(supportRequests.id))
          .limit(REQUEST_PAGE_SIZE)
          .offset((filter.page - 1) * REQUEST_PAGE_SIZE),
        db.select({ value: count() }).from(supportRequests).where(where),
      ]);
      return { items, total: total?.value ?? 0 };
    },

    /** «Обращения» on the workspace: requests waiting for an answer (new or in work), per municipality. */
    async openCounts(actor: Actor): Promise<{ municipalityId: number; count: number }[]> {
      return db
        .select({ municipalityId: supportRequests.municipalityId, count: count() })
        .from(supportRequests)
        .where(
          and(
            inArray(supportRequests.status, ['new', 'in_progress']),
            supportRequestPolicy.scope(actor, 'read'),
          ),
        )
        .groupBy(supportRequests.municipalityId);
    },

    /** One request with its answers; opening it is a staff view of someone's data, so it is audited. */
    async open(
      actor: Actor,
      id: string,
      context: AuditContext,
    ): Promise<{ request: SupportRequest; replies: SupportReply[] } | null> {
      const request = await reachable(actor, id);
      if (!request) return null;
      const replies = await db
        .select()
        .from(supportReplies)
        .where(eq(supportReplies.requestId, id))
        .orderBy(desc(supportReplies.createdAt));
      await audit(db, {
        actorUserId: actor.id,
        action: 'support.request_viewed',
        subjectType: 'support_request',
        subjectId: id,
        context,
      });
      return { request, replies };
    },

    /** Answers by e-mail: the reply, the status «Отвечено» and the letter commit together. */
    async answer(
      actor: Actor,
      id: string,
      text: string,
      context: AuditContext,
    ): Promise<'done' | 'not_found'> {
      const request = await reachable(actor, id);
      if (!request) return 'not_found';
      return database.transaction(async (tx): Promise<'done'> => {
        const [locked] = await tx.db
          .select()
          .from(supportRequests)
          .where(eq(supportRequests.id, id))
          .for('update');
        authorize(supportRequestPolicy, actor, 'answer', locked);
        await tx.db.insert(supportReplies).values({ requestId: id, authorUserId: actor.id, text });
        await tx.db
          .update(supportRequests)
          .set({ status: 'answered', updatedAt: new Date() })
          .where(eq(supportRequests.id, id));
        await mailer.send(
          tx.sql,
          renderEmail(
            locked.email,
            {
              subject: `Ответ на ваше обращение «${TOPICS[locked.topic as Topic] ?? 'Вопрос'}»`,
              paragraphs: [...text.split(/\n{2,}/), `Ваш вопрос: ${locked.text}`],
              after: [
                'Если вопрос остался, задайте его снова на сайте: «Задать вопрос» внизу любой страницы.',
              ],
              action: { label: 'Задать вопрос', url: `${baseUrl}/support/ask` },
            },
            baseUrl,
          ),
        );
        await audit(tx.db, {
          actorUserId: actor.id,
          action: 'support.request_answered',
          subjectType: 'support_request',
          subjectId: id,
          context,
        });
        return 'done';
      });
    },

    /** «В работе», «Закрыто» and back: the status by hand. */
    async setStatus(
      actor: Actor,
      id: string,
      status: RequestStatus,
      context: AuditContext,
    ): Promise<'done' | 'not_found'> {
      const request = await reachable(actor, id);
      if (!request) return 'not_found';
      await database.transaction(async (tx) => {
        await tx.db
          .update(supportRequests)
          .set({ status, updatedAt: new Date() })
          .where(eq(supportRequests.id, id));
        await audit(tx.db, {
          actorUserId: actor.id,
          action: 'support.request_status_changed',
          subjectType: 'support_request',
          subjectId: id,
          details: { from: request.status, to: status },
          context,
        });
      });
      return 'done';
    },
  };
}

export type SupportRequestsService = ReturnType<typeof createSupportRequests>;
