import { and, count, desc, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Actor } from '../../platform/access/policy.js';
import { audit, type AuditContext } from '../../platform/audit/audit.js';
import { auditEvents } from '../../platform/audit/schema.js';
import type { Database, Tx } from '../../platform/db/client.js';
import { lettersTo, type Letter } from '../../platform/mail/history.js';
import type { Mailer } from '../../platform/mail/mailer.js';
import type { RateLimiter } from '../../platform/security/rate-limit.js';
import { accountEmails } from './emails.js';
import { assistedAccountPolicy, type AssistedAccount } from './policy.js';
import { staffRoles, users, verifications } from './schema.js';
import {
  createVerification,
  EMAIL_LINK_TTL,
  EMAIL_UNDO_TTL,
  LIMITS,
  lockUser,
  RESET_LINK_TTL,
  revokeLinks,
  THROTTLES,
} from './service.js';

/** How the desk looks an account up: a part of the e-mail address, the phone, or the ФИО (surname first). */
export type AccountQuery =
  | { by: 'email'; email: string }
  | { by: 'phone'; phone: string }
  | { by: 'name'; lastName: string; firstName?: string | undefined; middleName?: string | undefined };

export const ACCOUNT_PAGE_SIZE = 20;

export interface AccountSummary {
  id: string;
  email: string;
  emailVerifiedAt: Date | null;
  lastName: string;
  firstName: string;
  middleName: string | null;
  phone: string;
  municipalityId: number;
  role: AssistedAccount['role'];
  createdAt: Date;
}

/** A rate limit that holds this account back now, and until when. */
export interface AccountLock {
  kind: 'letters' | 'reauth' | 'sign_in';
  until: Date;
}

export interface AccountState {
  account: AccountSummary;
  lastSignInAt: Date | null;
  locks: AccountLock[];
  /** Every letter queued to the account's address and to the addresses it had, newest first. */
  letters: Letter[];
}

export type SupportResult = 'done' | 'not_found' | 'already_confirmed';
export type CorrectEmailResult = SupportResult | 'same_address' | 'address_taken';

/** Cyrillic capitals (and ё) to lower case in SQL whatever the database's locale (PGlite's is C). */
const UPPER = 'АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯё';
const LOWER = 'абвгдеежзийклмнопрстуфхцчшщъыьэюяе';
const folded = (column: SQL | AnyPgColumn) => sql`translate(lower(${column}), ${UPPER}, ${LOWER})`;
/** The same folding in JavaScript, for what the operator typed. */
export function foldName(value: string): string {
  return value.trim().replace(/\s+/g, ' ').toLowerCase().replace(/ё/g, 'е');
}

const summaryColumns = {
  id: users.id,
  email: users.email,
  emailVerifiedAt: users.emailVerifiedAt,
  lastName: users.lastName,
  firstName: users.firstName,
  middleName: users.middleName,
  phone: users.phone,
  municipalityId: users.municipalityId,
  role: staffRoles.role,
  staffMunicipalityId: staffRoles.municipalityId,
  createdAt: users.createdAt,
};

/**
 * The accounts side of the support desk «письмо не пришло» (ADR 0028): find an account, see its state and its
 * letters, and the five helping actions. Every method takes the operator, checks `assistedAccountPolicy` first
 * (a refusal is «не найдено» and is audited), and audits what it showed or did — the reason included.
 * Letters sent from here do not count against the per-address limit: the operator sends them on purpose.
 */
export function createAccountSupport(deps: {
  database: Database;
  mailer: Mailer;
  rateLimiter: RateLimiter;
  baseUrl: string;
}) {
  const { database, mailer, rateLimiter, baseUrl } = deps;
  const { db } = database;

  async function reachable(
    actor: Actor,
    userId: string,
    context: AuditContext,
    executor = db,
  ): Promise<AccountSummary | null> {
    const [row] = await executor
      .select(summaryColumns)
      .from(users)
      .leftJoin(staffRoles, eq(staffRoles.userId, users.id))
      .where(eq(users.id, userId));
    if (!row) return null;
    const { staffMunicipalityId, ...account } = row;
    const resource = {
      id: row.id,
      role: row.role,
      municipalityId: staffMunicipalityId ?? row.municipalityId,
    };
    if (!assistedAccountPolicy.can(actor, 'assist', resource)) {
      await audit(db, {
        actorUserId: actor.id,
        action: 'support.account_access_denied',
        subjectType: 'user',
        subjectId: userId,
        context,
      });
      return null;
    }
    return account;
  }

  /** One helping action: the account within reach, locked, the change, its audit row with the reason. */
  async function act<R extends string>(
    actor: Actor,
    userId: string,
    reason: string,
    context: AuditContext,
    action: string,
    work: (tx: Tx, account: NonNullable<Awaited<ReturnType<typeof lockUser>>>) => Promise<R | 'done'>,
  ): Promise<R | 'done' | 'not_found'> {
    if (!(await reachable(actor, userId, context))) return 'not_found';
    return database.transaction(async (tx) => {
      const locked = await lockUser(tx, userId);
      if (!locked) return 'not_found';
      const result = await work(tx, locked);
      if (result === 'done') {
        await audit(tx.db, {
          actorUserId: actor.id,
          action,
          subjectType: 'user',
          subjectId: userId,
          details: { reason },
          context,
        });
      }
      return result;
    });
  }

  /** The rate-limit keys counted for this account (accounts' LIMITS and THROTTLES), and the prefix of sign-in's. */
  const keysOf = (account: Pick<AccountSummary, 'id' | 'email'>) => ({
    letters: `letters:${account.email}`,
    reauth: `reauth:user:${account.id}`,
    signInPrefix: `signin:pair:${account.email}:`,
  });

  return {
    /** Accounts within the operator's reach matching the query, a page at a time, newest first; audited. */
    async find(
      actor: Actor,
      query: AccountQuery,
      page: number,
      context: AuditContext,
    ): Promise<{ items: AccountSummary[]; total: number }> {
      let match: SQL;
      if (query.by === 'email') {
        match = sql`strpos(${users.email}, ${query.email}) > 0`;
      } else if (query.by === 'phone') {
        match = eq(users.phone, query.phone);
      } else {
        const parts = [sql`${folded(users.lastName)} = ${foldName(query.lastName)}`];
        if (query.firstName) parts.push(sql`${folded(users.firstName)} = ${foldName(query.firstName)}`);
        if (query.middleName)
          parts.push(sql`${folded(sql`coalesce(${users.middleName}, '')`)} = ${foldName(query.middleName)}`);
        match = and(...parts)!;
      }
      const where = and(match, assistedAccountPolicy.scope(actor, 'inspect'));
      const [rows, [total]] = await Promise.all([
        db
          .select(summaryColumns)
          .from(users)
          .leftJoin(staffRoles, eq(staffRoles.userId, users.id))
          .where(where)
          .orderBy(desc(users.createdAt), users.id)
          .limit(ACCOUNT_PAGE_SIZE)
          .offset((page - 1) * ACCOUNT_PAGE_SIZE),
        db
          .select({ value: count() })
          .from(users)
          .leftJoin(staffRoles, eq(staffRoles.userId, users.id))
          .where(where),
      ]);
      const items = rows.map(({ staffMunicipalityId: _, ...account }) => account);
      await audit(db, {
        actorUserId: actor.id,
        action: 'support.accounts_searched',
        details: { by: query.by, page, results: items.map((item) => item.id) },
        context,
      });
      return { items, total: total?.value ?? 0 };
    },

    /** The account's state for the desk: confirmed, created, last sign-in, locks, letters. Audited. */
    async open(actor: Actor, userId: string, context: AuditContext): Promise<AccountState | null> {
      const account = await reachable(actor, userId, context);
      if (!account) return null;
      const keys = keysOf(account);
      const [signIns, targets, counters] = await Promise.all([
        db
          .select({ at: auditEvents.at })
          .from(auditEvents)
          .where(
            and(
              eq(auditEvents.subjectType, 'user'),
              eq(auditEvents.subjectId, userId),
              eq(auditEvents.action, 'auth.signed_in'),
            ),
          )
          .orderBy(desc(auditEvents.at))
          .limit(1),
        db
          .selectDistinct({ target: verifications.target })
          .from(verifications)
          .where(eq(verifications.userId, userId)),
        rateLimiter.counters([keys.letters, keys.reauth], [keys.signInPrefix]),
      ]);
      const addresses = [...new Set([account.email, ...targets.map((row) => row.target)])];
      const now = Date.now();
      const locks: AccountLock[] = [];
      for (const counter of counters) {
        const start = counter.windowStart.getTime();
        if (counter.key === keys.letters || counter.key === keys.reauth) {
          const rule = counter.key === keys.letters ? LIMITS.lettersToAddress : LIMITS.reauthByUser;
          const until = start + rule.windowSeconds * 1000;
          if (counter.hits >= rule.limit && until > now)
            locks.push({ kind: counter.key === keys.letters ? 'letters' : 'reauth', until: new Date(until) });
        } else {
          // Sign-in slows down after `free` failures (ADR 0013): the next attempt waits 1, 2, 4 … seconds.
          const { free, maxDelaySeconds } = THROTTLES.signInByPair;
          const until = start + Math.min(maxDelaySeconds, 2 ** (counter.hits - free)) * 1000;
          if (counter.hits >= free && until > now && start > now - 86_400_000)
            locks.push({ kind: 'sign_in', until: new Date(until) });
        }
      }
      const letters = await lettersTo(database.sql, addresses);
      await audit(db, {
        actorUserId: actor.id,
        action: 'support.account_viewed',
        subjectType: 'user',
        subjectId: userId,
        context,
      });
      return { account, lastSignInAt: signIns[0]?.at ?? null, locks, letters };
    },

    /** «Отправить письмо для подтверждения ещё раз». */
    async resendConfirmation(actor: Actor, userId: string, reason: string, context: AuditContext) {
      return act<'already_confirmed'>(
        actor,
        userId,
        reason,
        context,
        'support.confirmation_resent',
        async (tx, user) => {
          if (user.emailVerifiedAt) return 'already_confirmed';
          const code = await createVerification(tx, user.id, 'email', user.email, EMAIL_LINK_TTL);
          await mailer.send(tx.sql, accountEmails.confirmRegistration(user.email, baseUrl, code));
          return 'done';
        },
      );
    },

    /**
     * «Исправить адрес»: the account takes the new address at once, unconfirmed, and the new address gets the
     * confirmation link; pending links end. The old address is told as after a change the owner made
     * (`emailChanged`, with its 7-day undo link, ADR 0018) — but only if it was confirmed: a mistyped address
     * that nobody ever proved may be a stranger's mailbox, which must learn neither the change nor the new address.
     */
    async correctEmail(
      actor: Actor,
      userId: string,
      newEmail: string,
      reason: string,
      context: AuditContext,
    ): Promise<CorrectEmailResult> {
      return act<'same_address' | 'address_taken'>(
        actor,
        userId,
        reason,
        context,
        'support.email_corrected',
        async (tx, user) => {
          if (user.email === newEmail) return 'same_address';
          const [taken] = await tx.db.select({ id: users.id }).from(users).where(eq(users.email, newEmail));
          if (taken) return 'address_taken';
          await tx.db
            .update(users)
            .set({ email: newEmail, emailVerifiedAt: null, updatedAt: new Date() })
            .where(eq(users.id, user.id));
          await revokeLinks(tx, user.id);
          if (user.emailVerifiedAt) {
            const undo = await createVerification(
              tx,
              user.id,
              'undo_email_change',
              user.email,
              EMAIL_UNDO_TTL,
            );
            await mailer.send(tx.sql, accountEmails.emailChanged(user.email, newEmail, baseUrl, undo));
          }
          const code = await createVerification(tx, user.id, 'email', newEmail, EMAIL_LINK_TTL);
          await mailer.send(tx.sql, accountEmails.confirmRegistration(newEmail, baseUrl, code));
          return 'done';
        },
      );
    },

    /** «Подтвердить адрес вручную»: the operator checked the mailbox with the person (by phone, in person). */
    async confirmEmail(actor: Actor, userId: string, reason: string, context: AuditContext) {
      return act<'already_confirmed'>(
        actor,
        userId,
        reason,
        context,
        'support.email_confirmed',
        async (tx, user) => {
          if (user.emailVerifiedAt) return 'already_confirmed';
          await tx.db
            .update(users)
            .set({ emailVerifiedAt: new Date(), updatedAt: new Date() })
            .where(and(eq(users.id, user.id), isNull(users.emailVerifiedAt)));
          return 'done';
        },
      );
    },

    /**
     * «Снять ограничения»: forgets this account's counters — letters to its address, the password typed again in
     * the cabinet, sign-in from every address. Limits by client address (registration, «Забыли пароль?») are
     * shared by everyone behind that address and stay.
     */
    async liftLocks(
      actor: Actor,
      userId: string,
      reason: string,
      context: AuditContext,
    ): Promise<'done' | 'not_found'> {
      const account = await reachable(actor, userId, context);
      if (!account) return 'not_found';
      // Not in a transaction: the counters are the rate limiter's, written on its own connection.
      const keys = keysOf(account);
      const signIns = await rateLimiter.counters([], [keys.signInPrefix]);
      const lifted = await rateLimiter.forget([
        keys.letters,
        keys.reauth,
        ...signIns.map((counter) => counter.key),
      ]);
      await audit(db, {
        actorUserId: actor.id,
        action: 'support.locks_lifted',
        subjectType: 'user',
        subjectId: userId,
        details: { reason, counters: lifted },
        context,
      });
      return 'done';
    },

    /** «Отправить ссылку для смены пароля»: as «Забыли пароль?» does; older reset links end. */
    async sendPasswordReset(actor: Actor, userId: string, reason: string, context: AuditContext) {
      return act(actor, userId, reason, context, 'support.password_reset_sent', async (tx, user) => {
        await revokeLinks(tx, user.id, ['password_reset']);
        const code = await createVerification(tx, user.id, 'password_reset', user.email, RESET_LINK_TTL);
        await mailer.send(tx.sql, accountEmails.passwordReset(user.email, baseUrl, code));
        return 'done';
      });
    },
  };
}

export type AccountSupport = ReturnType<typeof createAccountSupport>;
