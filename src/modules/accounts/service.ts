import { and, eq, gt, gte, inArray, isNull, lt, ne, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import {
  AccessDenied,
  authorize,
  municipalityOf,
  organizationOf,
  type Actor,
} from '../../platform/access/policy.js';
import { audit } from '../../platform/audit/audit.js';
import { initialsName } from '../../platform/grammar/index.js';
import type { Database, Db, Tx } from '../../platform/db/client.js';
import type { CurrentUser } from '../../platform/http/request-context.js';
import type { JobKind, JobQueue } from '../../platform/jobs/queue.js';
import type { Mailer } from '../../platform/mail/mailer.js';
import type { RateLimiter, RateLimitRule, ThrottleRule } from '../../platform/security/rate-limit.js';
import { hashToken, randomToken } from '../../platform/security/tokens.js';
import type { Organization, OrganizationsService } from '../organizations/index.js';
import { accountEmails } from './emails.js';
import { LEGAL_VERSIONS } from './legal.js';
import { hashPassword, verifyAgainstNothing, verifyPassword } from './password.js';
import { accountPolicy, staffAccountPolicy, staffKindManagedBy, type StaffAccount } from './policy.js';
import { consents, sessions, staffRoles, users, verifications } from './schema.js';
import type { RegisterInput } from './schemas.js';

const HOUR = 3600 * 1000;
export const EMAIL_LINK_TTL = 72 * HOUR;
export const RESET_LINK_TTL = 1 * HOUR;
/** How long the old address may undo a change of e-mail. */
export const EMAIL_UNDO_TTL = 7 * 24 * HOUR;
/** A session ends after 7 days without use, and 30 days after sign-in in any case. */
export const SESSION_IDLE_MS = 7 * 24 * HOUR;
export const SESSION_ABSOLUTE_MS = 30 * 24 * HOUR;
/** lastSeenAt is refreshed at most this often, so that reading pages does not write on every request. */
const SESSION_TOUCH_MS = 5 * 60 * 1000;

/** Rate limits: by client address and by account, shared by all app processes through PostgreSQL. */
export const LIMITS = {
  registerByIp: { limit: 20, windowSeconds: 3600 },
  signInByIp: { limit: 30, windowSeconds: 900 },
  /** The current password typed in the cabinet (to change the password or the address). */
  reauthByUser: { limit: 10, windowSeconds: 900 },
  resetByIp: { limit: 10, windowSeconds: 3600 },
  /** New passwords set from reset links: each costs a hash. */
  resetAttemptByIp: { limit: 20, windowSeconds: 900 },
  resendByIp: { limit: 10, windowSeconds: 3600 },
  /** Letters to one address, whoever asks: protects a mailbox from being flooded. */
  lettersToAddress: { limit: 3, windowSeconds: 600 },
} satisfies Record<string, RateLimitRule>;

/**
 * Sign-in slows down per account and client address, and never locks the account (ADR 0013): someone else's
 * failures from elsewhere do not stop the owner.
 */
export const THROTTLES = {
  signInByPair: { free: 5, maxDelaySeconds: 900 },
} satisfies Record<string, ThrottleRule>;

export class RateLimitedError extends Error {
  constructor(
    readonly retryAfterSeconds: number,
    /** Which limit, for the security log: a word without personal data («signin», «reset»…). */
    readonly limit = 'limit',
  ) {
    super('rate limited');
  }
}

/** Revocable one-time links: a change of password ends them all. */
const REVOCABLE_LINKS = ['password_reset', 'change_email'] as const;

/** «Забыли пароль?» is answered at once and the letter is prepared by this job, so that the answer takes as long
 * whether the address has an account or not. */
export const passwordResetJob: JobKind<z.ZodObject<{ email: z.ZodString }>> = {
  name: 'accounts.password-reset',
  payload: z.object({ email: z.string().max(320) }),
};

export type Profile = typeof users.$inferSelect;

/** The demo parent of a development database (README: demo accounts). */
export const DEMO_PARENT = { email: 'roditel@example.ru', password: 'Demo-roditel-67' };

/** Demo operators, one of each role (README: for local use only; never created in production). */
export const DEMO_STAFF = [
  {
    role: 'coordinator',
    email: 'koordinator@example.ru',
    password: 'Demo-koordinator-67',
    lastName: 'Волкова',
    firstName: 'Ирина',
  },
  {
    role: 'municipal_admin',
    email: 'mun-admin@example.ru',
    password: 'Demo-munadmin-67',
    lastName: 'Соколов',
    firstName: 'Андрей',
    municipalityId: 1,
  },
  {
    role: 'org_staff',
    email: 'pedagog@example.ru',
    password: 'Demo-pedagog-67',
    lastName: 'Лебедева',
    firstName: 'Ольга',
    municipalityId: 1,
  },
] as const;

/** Creates the confirmed demo parent if it is missing; development data only. */
export async function ensureDemoParent(db: Database['db']): Promise<void> {
  const passwordHash = await hashPassword(DEMO_PARENT.password);
  await db
    .insert(users)
    .values({
      email: DEMO_PARENT.email,
      emailVerifiedAt: new Date(),
      passwordHash,
      lastName: 'Смирнова',
      firstName: 'Елена',
      middleName: 'Викторовна',
      phone: '+79001234567',
      municipalityId: 1,
      applicantKind: 'parent',
    })
    .onConflictDoNothing({ target: users.email });
}

export interface StaffAccountInput {
  role: 'org_staff' | 'municipal_admin' | 'coordinator';
  email: string;
  password: string;
  lastName: string;
  firstName: string;
  middleName?: string | undefined;
  phone?: string | undefined;
  municipalityId?: number | undefined;
  organizationId?: string | undefined;
}

/** A staff account as the operators' lists show it. */
const STAFF_MEMBER_COLUMNS = {
  id: users.id,
  email: users.email,
  lastName: users.lastName,
  firstName: users.firstName,
  staff: {
    role: staffRoles.role,
    municipalityId: staffRoles.municipalityId,
    organizationId: staffRoles.organizationId,
  },
};

/**
 * Creates a confirmed operator account with its role (the admin command, demo data, and the coordinator's and
 * municipal administrators' screens). Returns the new account's id, or null when the address is taken.
 */
export async function createStaffAccount(
  database: Database,
  input: StaffAccountInput,
  /** More work in the same transaction, e.g. the invitation letter. */
  afterCreate?: (tx: Tx, userId: string) => Promise<void>,
): Promise<string | null> {
  const passwordHash = await hashPassword(input.password);
  return database.transaction(async (tx) => {
    const [user] = await tx.db
      .insert(users)
      .values({
        email: input.email.trim().toLowerCase(),
        emailVerifiedAt: new Date(),
        passwordHash,
        lastName: input.lastName,
        firstName: input.firstName,
        middleName: input.middleName ?? null,
        phone: input.phone ?? '+70000000000',
        municipalityId: input.municipalityId ?? 1,
        applicantKind: 'parent',
      })
      .onConflictDoNothing({ target: users.email })
      .returning({ id: users.id });
    if (!user) return null;
    await tx.db.insert(staffRoles).values({
      userId: user.id,
      role: input.role,
      municipalityId: input.role === 'coordinator' ? null : (input.municipalityId ?? null),
      organizationId: input.role === 'org_staff' ? (input.organizationId ?? null) : null,
    });
    await audit(tx.db, {
      actorUserId: null,
      action: 'staff.account_created',
      subjectType: 'user',
      subjectId: user.id,
      details: { role: input.role },
    });
    await afterCreate?.(tx, user.id);
    return user.id;
  });
}

/** «Кузнецов И. А.» (the header's ФИО, seed step 5). */
export function shortName(user: Pick<Profile, 'lastName' | 'firstName' | 'middleName'>): string {
  return initialsName(user);
}

export type VerifyResult =
  | { status: 'confirmed'; email: string }
  | { status: 'email_changed'; email: string }
  /** A change of address is applied only in a signed-in session of the account that asked for it. */
  | { status: 'sign_in_required' }
  | { status: 'already_confirmed' }
  | { status: 'expired'; email: string }
  | { status: 'address_taken' }
  | { status: 'invalid' };

export interface AccountsDeps {
  database: Database;
  mailer: Mailer;
  queue: JobQueue;
  rateLimiter: RateLimiter;
  /** Where an invited member of staff works: their organization's municipality decides who may invite them. */
  organizations: Pick<OrganizationsService, 'get' | 'inMunicipality'>;
  baseUrl: string;
}

/** Whom to invite: the role and its reach (a municipality for an administrator, an organization for its staff). */
export type StaffInvitation = Omit<StaffAccountInput, 'password' | 'phone' | 'middleName'>;

export type InvitationResult =
  | { ok: true; userId: string }
  | { ok: false; errors: Partial<Record<'role' | 'municipalityId' | 'organizationId' | 'email', string>> };

export type StaffMember = {
  id: string;
  email: string;
  lastName: string;
  firstName: string;
  staff: StaffAccount;
};

export async function createVerification(
  tx: Tx,
  userId: string,
  type: 'email' | 'change_email' | 'password_reset' | 'undo_email_change',
  target: string,
  ttl: number,
): Promise<string> {
  const code = randomToken();
  await tx.db.insert(verifications).values({
    userId,
    type,
    target,
    codeHash: hashToken(code),
    expiresAt: new Date(Date.now() + ttl),
  });
  return code;
}

/** Locks an account's row: every change of its password, address or links takes this lock first. */
export async function lockUser(tx: Tx, userId: string) {
  const [user] = await tx.db.select().from(users).where(eq(users.id, userId)).for('update');
  return user;
}

/**
 * The one-time link behind a code, locked until the transaction ends so that it is used only once. Its account
 * is locked before it, in the same order as a password change takes them, so that the two never deadlock.
 */
async function lockVerification(tx: Tx, code: string) {
  const codeHash = hashToken(code);
  const [found] = await tx.db
    .select({ userId: verifications.userId })
    .from(verifications)
    .where(eq(verifications.codeHash, codeHash));
  if (!found) return undefined;
  await lockUser(tx, found.userId);
  const [row] = await tx.db
    .select()
    .from(verifications)
    .where(eq(verifications.codeHash, codeHash))
    .for('update');
  return row;
}

/** Ends the account's pending links of these kinds (all revocable ones by default). */
export async function revokeLinks(
  tx: Tx,
  userId: string,
  types: readonly (typeof REVOCABLE_LINKS)[number][] = REVOCABLE_LINKS,
): Promise<void> {
  await tx.db
    .update(verifications)
    .set({ usedAt: new Date() })
    .where(
      and(
        eq(verifications.userId, userId),
        inArray(verifications.type, [...types]),
        isNull(verifications.usedAt),
      ),
    );
}

/** The state of a link of one kind, without using it. */
async function checkCode(
  db: Db,
  code: string,
  type: 'password_reset' | 'undo_email_change',
): Promise<'valid' | 'expired' | 'invalid'> {
  const [row] = await db
    .select()
    .from(verifications)
    .where(eq(verifications.codeHash, hashToken(code)));
  if (!row || row.type !== type || row.usedAt) return 'invalid';
  return row.expiresAt.getTime() < Date.now() ? 'expired' : 'valid';
}

/**
 * The work behind «Забыли пароль?», done by `passwordResetJob`: a new link for an existing account (older links
 * end: only the newest works), nothing for an unknown address.
 */
export async function sendPasswordResetLink(
  { database, mailer, rateLimiter, baseUrl }: Omit<AccountsDeps, 'queue' | 'organizations'>,
  email: string,
): Promise<void> {
  const [user] = await database.db.select({ id: users.id }).from(users).where(eq(users.email, email));
  if (!user) return;
  if (!(await rateLimiter.hit(`letters:${email}`, LIMITS.lettersToAddress)).allowed) return;
  await database.transaction(async (tx) => {
    const locked = await lockUser(tx, user.id);
    // The address may have changed since the request: a link goes only to the address that was asked for.
    if (locked?.email !== email) return;
    await revokeLinks(tx, locked.id, ['password_reset']);
    const code = await createVerification(tx, locked.id, 'password_reset', locked.email, RESET_LINK_TTL);
    await mailer.send(tx.sql, accountEmails.passwordReset(locked.email, baseUrl, code));
    await audit(tx.db, {
      actorUserId: null,
      action: 'auth.password_reset_requested',
      subjectType: 'user',
      subjectId: locked.id,
    });
  });
}

/**
 * Deletes sessions past their idle or absolute expiry and one-time links used or expired more than a week ago
 * (kept that long so that a late click still gets a kind «уже подтверждён» page).
 */
export async function removeExpired(tx: Tx): Promise<void> {
  await tx.db
    .delete(sessions)
    .where(
      or(lt(sessions.expiresAt, sql`now()`), lt(sessions.lastSeenAt, new Date(Date.now() - SESSION_IDLE_MS))),
    );
  await tx.db
    .delete(verifications)
    .where(
      or(
        lt(verifications.expiresAt, sql`now() - interval '7 days'`),
        lt(verifications.usedAt, sql`now() - interval '7 days'`),
      ),
    );
}

export function createAccountsService({
  database,
  mailer,
  queue,
  rateLimiter,
  organizations,
  baseUrl,
}: AccountsDeps) {
  const { db } = database;

  // Every signed-in request runs this: prepared once per connection instead of planned each time.
  const sessionByToken = db
    .select({ session: sessions, user: users, staff: staffRoles })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .leftJoin(staffRoles, eq(staffRoles.userId, sessions.userId))
    .where(
      and(
        eq(sessions.tokenHash, sql.placeholder('tokenHash')),
        gt(sessions.expiresAt, sql`now()`),
        gt(sessions.lastSeenAt, sql`${sql.placeholder('idleSince')}::timestamptz`),
      ),
    )
    .prepare('accounts_session_by_token');

  async function limit(key: string, rule: RateLimitRule): Promise<void> {
    const result = await rateLimiter.hit(key, rule);
    if (!result.allowed) throw new RateLimitedError(result.retryAfterSeconds, key.split(':')[0]);
  }

  /** Whether another letter may go to this address now (silently skipped otherwise). */
  async function mayWriteTo(address: string): Promise<boolean> {
    return (await rateLimiter.hit(`letters:${address}`, LIMITS.lettersToAddress)).allowed;
  }

  async function sendConfirmation(tx: Tx, user: Pick<Profile, 'id' | 'email'>): Promise<void> {
    const code = await createVerification(tx, user.id, 'email', user.email, EMAIL_LINK_TTL);
    await mailer.send(tx.sql, accountEmails.confirmRegistration(user.email, baseUrl, code));
  }

  async function startSession(tx: Tx, userId: string): Promise<string> {
    const token = randomToken();
    await tx.db.insert(sessions).values({
      tokenHash: hashToken(token),
      userId,
      expiresAt: new Date(Date.now() + SESSION_ABSOLUTE_MS),
    });
    // Now and then (about one sign-in in a hundred), forget what can no longer be used.
    if (Math.random() < 0.01) await removeExpired(tx);
    return token;
  }

  return {
    /**
     * Registers a person, or — when the address already has an account — writes to its owner instead.
     * The caller shows the same neutral answer either way; parallel or repeated requests make one account.
     */
    async register(input: RegisterInput, clientIp: string): Promise<void> {
      await limit(`register:ip:${clientIp}`, LIMITS.registerByIp);
      // Hashing comes first on both paths, so a taken address answers as slowly as a new one.
      const passwordHash = await hashPassword(input.password);
      const writeAllowed = await mayWriteTo(input.email);
      await database.transaction(async (tx) => {
        const [created] = await tx.db
          .insert(users)
          .values({
            email: input.email,
            passwordHash,
            lastName: input.lastName,
            firstName: input.firstName,
            middleName: input.middleName ?? null,
            phone: input.phone,
            municipalityId: input.municipalityId,
            applicantKind: input.applicantKind,
            birthDate: input.birthDate ?? null,
          })
          .onConflictDoNothing({ target: users.email })
          .returning({ id: users.id, email: users.email });
        if (created) {
          await tx.db.insert(consents).values([
            { userId: created.id, document: 'privacy_policy', version: LEGAL_VERSIONS.privacy_policy },
            { userId: created.id, document: 'user_agreement', version: LEGAL_VERSIONS.user_agreement },
          ]);
          await audit(tx.db, {
            actorUserId: created.id,
            action: 'account.registered',
            subjectType: 'user',
            subjectId: created.id,
          });
          if (writeAllowed) await sendConfirmation(tx, created);
          return;
        }
        const [existing] = await tx.db.select().from(users).where(eq(users.email, input.email));
        if (!existing || !writeAllowed) return;
        if (existing.emailVerifiedAt)
          await mailer.send(tx.sql, accountEmails.alreadyRegistered(existing.email, baseUrl));
        else await sendConfirmation(tx, existing);
      });
    },

    /** «Отправить письмо повторно» for a guest who gives the address. Neutral: nothing tells whether it exists. */
    async resendConfirmation(email: string, clientIp: string): Promise<void> {
      await limit(`resend:ip:${clientIp}`, LIMITS.resendByIp);
      const [user] = await db.select().from(users).where(eq(users.email, email));
      if (!user || user.emailVerifiedAt || !(await mayWriteTo(email))) return;
      await database.transaction((tx) => sendConfirmation(tx, user));
    },

    /** «Отправить письмо повторно» from the banner of a signed-in user. */
    async resendConfirmationTo(userId: string): Promise<'sent' | 'already_confirmed'> {
      const [user] = await db.select().from(users).where(eq(users.id, userId));
      if (!user || user.emailVerifiedAt) return 'already_confirmed';
      await limit(`letters:${user.email}`, LIMITS.lettersToAddress);
      await database.transaction((tx) => sendConfirmation(tx, user));
      return 'sent';
    },

    /**
     * Follows a link from a letter: confirms the address, or — in a signed-in session of the same account
     * (`signedInUserId`) — switches to a new one and tells the old address, with a link to undo it.
     */
    async verifyEmail(code: string, signedInUserId: string | null): Promise<VerifyResult> {
      return database.transaction(async (tx): Promise<VerifyResult> => {
        const row = await lockVerification(tx, code);
        if (!row || (row.type !== 'email' && row.type !== 'change_email')) return { status: 'invalid' };
        const [user] = await tx.db.select().from(users).where(eq(users.id, row.userId));
        if (!user) return { status: 'invalid' };
        if (row.usedAt) {
          // A mail scanner may have opened the link first: if the address is confirmed, say so kindly.
          return user.email === row.target && user.emailVerifiedAt
            ? { status: 'already_confirmed' }
            : { status: 'invalid' };
        }
        if (row.expiresAt.getTime() < Date.now()) return { status: 'expired', email: row.target };
        // Knowing the password is not enough to take the account: the link works only where its owner is signed in.
        if (row.type === 'change_email' && signedInUserId !== row.userId)
          return { status: 'sign_in_required' };
        await tx.db.update(verifications).set({ usedAt: new Date() }).where(eq(verifications.id, row.id));

        if (row.type === 'email') {
          if (user.email !== row.target) return { status: 'invalid' };
          if (!user.emailVerifiedAt) {
            await tx.db
              .update(users)
              .set({ emailVerifiedAt: new Date(), updatedAt: new Date() })
              .where(eq(users.id, user.id));
            await audit(tx.db, {
              actorUserId: user.id,
              action: 'account.email_confirmed',
              subjectType: 'user',
              subjectId: user.id,
            });
          }
          return { status: 'confirmed', email: user.email };
        }

        const [taken] = await tx.db
          .select({ id: users.id })
          .from(users)
          .where(and(eq(users.email, row.target), ne(users.id, user.id)));
        if (taken) return { status: 'address_taken' };
        await tx.db
          .update(users)
          .set({ email: row.target, emailVerifiedAt: new Date(), updatedAt: new Date() })
          .where(eq(users.id, user.id));
        // A reset link sent to the address being left would let whoever reads that mailbox set the password of
        // the account it no longer belongs to; an undo link back to the new address would undo nothing. Undo
        // links to earlier addresses stay: each lets a former holder take the account back (ADR 0018).
        await revokeLinks(tx, user.id, ['change_email', 'password_reset']);
        await tx.db
          .update(verifications)
          .set({ usedAt: new Date() })
          .where(
            and(
              eq(verifications.userId, user.id),
              eq(verifications.type, 'undo_email_change'),
              eq(verifications.target, row.target),
              isNull(verifications.usedAt),
            ),
          );
        const undo = await createVerification(tx, user.id, 'undo_email_change', user.email, EMAIL_UNDO_TTL);
        await mailer.send(tx.sql, accountEmails.emailChanged(user.email, row.target, baseUrl, undo));
        await audit(tx.db, {
          actorUserId: user.id,
          action: 'account.email_changed',
          subjectType: 'user',
          subjectId: user.id,
        });
        return { status: 'email_changed', email: row.target };
      });
    },

    /** Returns a new session token, or null for a wrong e-mail or password (the same answer and time for both). */
    async signIn(email: string, password: string, clientIp: string): Promise<string | null> {
      await limit(`signin:ip:${clientIp}`, LIMITS.signInByIp);
      // Slowed per account and address, checked before the password: the right one waits too (ADR 0013).
      const pair = `signin:pair:${email}:${clientIp}`;
      const slowed = await rateLimiter.throttle(pair, THROTTLES.signInByPair);
      if (!slowed.allowed) throw new RateLimitedError(slowed.retryAfterSeconds, 'signin-slowdown');
      const [user] = await db.select().from(users).where(eq(users.email, email));
      const valid = user
        ? await verifyPassword(user.passwordHash, password)
        : await verifyAgainstNothing(password);
      if (user && valid) await rateLimiter.succeeded(pair);
      return database.transaction(async (tx) => {
        if (!user || !valid) {
          await audit(tx.db, {
            actorUserId: null,
            action: 'auth.sign_in_failed',
            ...(user ? { subjectType: 'user', subjectId: user.id } : {}),
          });
          return null;
        }
        await audit(tx.db, {
          actorUserId: user.id,
          action: 'auth.signed_in',
          subjectType: 'user',
          subjectId: user.id,
        });
        return startSession(tx, user.id);
      });
    },

    async signOut(sessionTokenHash: string): Promise<void> {
      await db.delete(sessions).where(eq(sessions.tokenHash, sessionTokenHash));
    },

    /** The user behind a session cookie, if the session is still alive. */
    async resolveSession(token: string): Promise<CurrentUser | null> {
      const tokenHash = hashToken(token);
      const [row] = await sessionByToken.execute({
        tokenHash,
        idleSince: new Date(Date.now() - SESSION_IDLE_MS).toISOString(),
      });
      if (!row) return null;
      if (Date.now() - row.session.lastSeenAt.getTime() > SESSION_TOUCH_MS) {
        await db.update(sessions).set({ lastSeenAt: new Date() }).where(eq(sessions.tokenHash, tokenHash));
      }
      return {
        id: row.user.id,
        email: row.user.email,
        shortName: shortName(row.user),
        emailVerified: row.user.emailVerifiedAt !== null,
        municipalityId: row.user.municipalityId,
        sessionTokenHash: tokenHash,
        staff: row.staff
          ? {
              role: row.staff.role,
              municipalityId: row.staff.municipalityId,
              organizationId: row.staff.organizationId,
            }
          : null,
      };
    },

    /**
     * «Забыли пароль?»: a link by e-mail if the address has an account. The same answer in the same time either
     * way: the request only queues `passwordResetJob`, which looks the address up.
     */
    async requestPasswordReset(email: string, clientIp: string): Promise<void> {
      await limit(`reset:ip:${clientIp}`, LIMITS.resetByIp);
      await queue.enqueue(database.sql, passwordResetJob, { email });
    },

    /** Whether a reset link is still usable, to show the form or an explanation. */
    async checkResetCode(code: string): Promise<'valid' | 'expired' | 'invalid'> {
      return checkCode(db, code, 'password_reset');
    },

    /**
     * Sets a new password from a reset link: every session of the account and every other pending reset and
     * e-mail-change link end. The code is checked before the password is hashed, and attempts are limited.
     */
    async resetPassword(
      code: string,
      password: string,
      clientIp: string,
    ): Promise<'done' | 'expired' | 'invalid'> {
      await limit(`reset-attempt:ip:${clientIp}`, LIMITS.resetAttemptByIp);
      const state = await checkCode(db, code, 'password_reset');
      if (state !== 'valid') return state;
      const passwordHash = await hashPassword(password);
      return database.transaction(async (tx) => {
        const row = await lockVerification(tx, code);
        // Checked again under the lock: a parallel request may have used or revoked it meanwhile.
        if (!row || row.type !== 'password_reset' || row.usedAt) return 'invalid';
        if (row.expiresAt.getTime() < Date.now()) return 'expired';
        await tx.db.update(verifications).set({ usedAt: new Date() }).where(eq(verifications.id, row.id));
        await revokeLinks(tx, row.userId);
        // Following the link proves the mailbox too.
        const [user] = await tx.db
          .update(users)
          .set({
            passwordHash,
            updatedAt: new Date(),
            emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, now())`,
          })
          .where(eq(users.id, row.userId))
          .returning();
        await tx.db.delete(sessions).where(eq(sessions.userId, row.userId));
        await audit(tx.db, {
          actorUserId: row.userId,
          action: 'auth.password_reset',
          subjectType: 'user',
          subjectId: row.userId,
        });
        if (user) await mailer.send(tx.sql, accountEmails.passwordChanged(user.email, baseUrl));
        return 'done';
      });
    },

    /**
     * The «Сотрудники» screen of `actor`: which kind of operator they keep (staffKindManagedBy), those of that kind
     * within their reach, and the organizations they may invite staff into. Nobody else's business: AccessDenied.
     */
    async staffDesk(actor: Actor): Promise<{
      kind: 'municipal_admin' | 'org_staff';
      people: StaffMember[];
      organizations: Organization[];
    }> {
      const kind = staffKindManagedBy(actor);
      if (!kind) throw new AccessDenied('read');
      const municipalityId = municipalityOf(actor);
      const [people, reachable] = await Promise.all([
        this.listStaff(actor, kind),
        kind === 'org_staff' && municipalityId !== null ? organizations.inMunicipality(municipalityId) : [],
      ]);
      return { kind, people, organizations: reachable };
    },

    /** Operators whose role is `role` and whose accounts `actor` may see, by last name. */
    async listStaff(actor: Actor, role: StaffAccount['role']): Promise<StaffMember[]> {
      return db
        .select(STAFF_MEMBER_COLUMNS)
        .from(staffRoles)
        .innerJoin(users, eq(users.id, staffRoles.userId))
        .where(and(eq(staffRoles.role, role), staffAccountPolicy.scope(actor, 'read')))
        .orderBy(users.lastName);
    },

    /** The staff accounts of one organization that `actor` may see (accounts policy), by last name. */
    async staffOfOrganization(actor: Actor, organizationId: string): Promise<StaffMember[]> {
      return db
        .select(STAFF_MEMBER_COLUMNS)
        .from(staffRoles)
        .innerJoin(users, eq(users.id, staffRoles.userId))
        .where(and(eq(staffRoles.organizationId, organizationId), staffAccountPolicy.scope(actor, 'read')))
        .orderBy(users.lastName);
    },

    /**
     * Creates an operator account on behalf of `actor` and invites its owner by e-mail to set a password (a
     * one-time link valid 72 hours). An invitation outside the actor's reach — a municipal administrator inviting
     * into another municipality's organization, or anyone but the coordinator inviting an administrator — is
     * refused with a message per field and changes nothing; so is an address that already has an account.
     */
    async inviteStaff(actor: Actor, input: StaffInvitation): Promise<InvitationResult> {
      if (!staffKindManagedBy(actor)) throw new AccessDenied('invite');
      let account: StaffAccount;
      if (input.role === 'org_staff') {
        const organization = input.organizationId ? await organizations.get(input.organizationId) : null;
        if (!organization) return { ok: false, errors: { organizationId: 'Выберите организацию из списка' } };
        account = {
          role: 'org_staff',
          municipalityId: organization.municipalityId,
          organizationId: organization.id,
        };
      } else if (input.role === 'municipal_admin') {
        if (input.municipalityId === undefined)
          return { ok: false, errors: { municipalityId: 'Выберите муниципалитет' } };
        account = { role: 'municipal_admin', municipalityId: input.municipalityId, organizationId: null };
      } else {
        account = { role: 'coordinator', municipalityId: null, organizationId: null };
      }
      if (!staffAccountPolicy.can(actor, 'invite', account))
        return { ok: false, errors: outOfReach(account) };

      const email = input.email.trim().toLowerCase();
      const userId = await createStaffAccount(
        database,
        {
          ...input,
          email,
          password: randomToken(),
          municipalityId: account.municipalityId ?? undefined,
          organizationId: account.organizationId ?? undefined,
        },
        async (tx, createdId) => {
          const code = await createVerification(tx, createdId, 'password_reset', email, EMAIL_LINK_TTL);
          await mailer.send(tx.sql, accountEmails.staffInvitation(email, baseUrl, code));
          await audit(tx.db, {
            actorUserId: actor.id,
            action: 'staff.invited',
            subjectType: 'user',
            subjectId: createdId,
            details: { role: account.role },
          });
        },
      );
      return userId
        ? { ok: true, userId }
        : { ok: false, errors: { email: 'С этим адресом уже есть учётная запись' } };
    },

    /** Where letters about an organization's programs go; pass the transaction's `db` inside one. */
    async organizationStaffEmails(organizationId: string, executor: Db = db): Promise<string[]> {
      const rows = await executor
        .select({ email: users.email })
        .from(staffRoles)
        .innerJoin(users, eq(users.id, staffRoles.userId))
        .where(and(eq(staffRoles.role, 'org_staff'), eq(staffRoles.organizationId, organizationId)));
      return rows.map((row) => row.email);
    },

    /** Who moderates a municipality's programs: its administrators, or the coordinators when it has none. */
    async moderatorEmails(municipalityId: number, executor: Db = db): Promise<string[]> {
      const rows = await executor
        .select({ email: users.email, role: staffRoles.role })
        .from(staffRoles)
        .innerJoin(users, eq(users.id, staffRoles.userId))
        .where(
          or(
            and(eq(staffRoles.role, 'municipal_admin'), eq(staffRoles.municipalityId, municipalityId)),
            eq(staffRoles.role, 'coordinator'),
          ),
        );
      const admins = rows.filter((row) => row.role === 'municipal_admin');
      return (admins.length ? admins : rows).map((row) => row.email);
    },

    /**
     * The password typed again before a step that moves money (a nominal): true when it is the actor's own.
     * Limited like any re-authentication, so it cannot be guessed through this door either.
     */
    async confirmPassword(actor: Actor, password: string): Promise<'confirmed' | 'wrong' | 'limited'> {
      const [user] = await db.select().from(users).where(eq(users.id, actor.id));
      authorize(accountPolicy, actor, 'change_password', user);
      try {
        await limit(`reauth:user:${actor.id}`, LIMITS.reauthByUser);
      } catch (error) {
        if (error instanceof RateLimitedError) return 'limited';
        throw error;
      }
      return (await verifyPassword(user.passwordHash, password)) ? 'confirmed' : 'wrong';
    },

    /** Changes the password of a signed-in user; other sessions end, this one stays. */
    async changePassword(
      current: CurrentUser,
      currentPassword: string,
      password: string,
    ): Promise<'done' | 'wrong_password'> {
      const [user] = await db.select().from(users).where(eq(users.id, current.id));
      authorize(accountPolicy, current, 'change_password', user);
      await limit(`reauth:user:${current.id}`, LIMITS.reauthByUser);
      if (!(await verifyPassword(user.passwordHash, currentPassword))) return 'wrong_password';
      const passwordHash = await hashPassword(password);
      await database.transaction(async (tx) => {
        await lockUser(tx, user.id);
        await tx.db.update(users).set({ passwordHash, updatedAt: new Date() }).where(eq(users.id, user.id));
        // Whoever else knew the old password loses what it gave them: other sessions and pending links.
        await revokeLinks(tx, user.id);
        await tx.db
          .delete(sessions)
          .where(and(eq(sessions.userId, user.id), ne(sessions.tokenHash, current.sessionTokenHash)));
        await audit(tx.db, {
          actorUserId: user.id,
          action: 'auth.password_changed',
          subjectType: 'user',
          subjectId: user.id,
        });
        await mailer.send(tx.sql, accountEmails.passwordChanged(user.email, baseUrl));
      });
      return 'done';
    },

    /**
     * The accounts with this phone (+79001234567) or e-mail address (lower case): the operators' search of a
     * child by the parent's contacts (the children module checks its own policy over the children it finds).
     */
    async findByContact(contact: { phone: string } | { email: string }): Promise<string[]> {
      const rows = await db
        .select({ id: users.id })
        .from(users)
        .where('phone' in contact ? eq(users.phone, contact.phone) : eq(users.email, contact.email))
        .limit(20);
      return rows.map((row) => row.id);
    },

    /**
     * A person's account for another service that already checked its own object (the parent of a child the
     * operator reaches, the addressee of a letter). A person's own profile page uses `ownProfile`.
     */
    async getProfile(userId: string, executor: Db = db): Promise<Profile | null> {
      const [user] = await executor.select().from(users).where(eq(users.id, userId));
      return user ?? null;
    },

    /** The short name of the organization an operator works for (their «Профиль»), else null. */
    async organizationNameOf(actor: Actor): Promise<string | null> {
      const id = organizationOf(actor);
      return id ? ((await organizations.get(id))?.shortName ?? null) : null;
    },

    /** The actor's own account («Профиль»); null when it is gone (deleted while the session lived). */
    async ownProfile(actor: Actor): Promise<Profile | null> {
      const account = await this.getProfile(actor.id);
      return account && accountPolicy.can(actor, 'read', account) ? account : null;
    },

    async updateProfile(
      actor: Actor,
      input: Pick<Profile, 'lastName' | 'firstName' | 'phone' | 'municipalityId'> & {
        middleName?: string | undefined;
      },
    ): Promise<void> {
      authorize(accountPolicy, actor, 'update', await this.getProfile(actor.id));
      await database.transaction(async (tx) => {
        await tx.db
          .update(users)
          .set({ ...input, middleName: input.middleName ?? null, updatedAt: new Date() })
          .where(eq(users.id, actor.id));
        await audit(tx.db, {
          actorUserId: actor.id,
          action: 'account.profile_updated',
          subjectType: 'user',
          subjectId: actor.id,
        });
      });
    },

    /** Starts a change of e-mail: it takes effect only when the new address is confirmed. */
    async requestEmailChange(
      current: CurrentUser,
      newEmail: string,
      currentPassword: string,
    ): Promise<'sent' | 'wrong_password' | 'same_address'> {
      const [user] = await db.select().from(users).where(eq(users.id, current.id));
      authorize(accountPolicy, current, 'change_email', user);
      await limit(`reauth:user:${current.id}`, LIMITS.reauthByUser);
      if (!(await verifyPassword(user.passwordHash, currentPassword))) return 'wrong_password';
      if (newEmail === user.email) return 'same_address';
      if (!(await mayWriteTo(newEmail)))
        throw new RateLimitedError(LIMITS.lettersToAddress.windowSeconds, 'letters');
      await database.transaction(async (tx) => {
        await lockUser(tx, user.id);
        // One pending change at a time: an earlier link ends.
        await revokeLinks(tx, user.id, ['change_email']);
        const code = await createVerification(tx, user.id, 'change_email', newEmail, EMAIL_LINK_TTL);
        await mailer.send(tx.sql, accountEmails.confirmNewEmail(newEmail, baseUrl, code));
        await mailer.send(tx.sql, accountEmails.emailChangeRequested(user.email, baseUrl));
        await audit(tx.db, {
          actorUserId: user.id,
          action: 'account.email_change_requested',
          subjectType: 'user',
          subjectId: user.id,
        });
      });
      return 'sent';
    },

    /** Whether a link to undo a change of address is still usable, to show its confirmation form. */
    async checkUndoCode(code: string): Promise<'valid' | 'expired' | 'invalid'> {
      return checkCode(db, code, 'undo_email_change');
    },

    /**
     * The old address takes the account back (the link in the «адрес изменён» letter, valid 7 days): the address
     * returns, every session and pending link ends, and the owner sets a new password by «Забыли пароль?».
     * Of the other undo links, those issued with or after this one end too: they were sent to addresses the
     * account moved to after this one, so a later holder cannot take it back again. Earlier ones stay: they lead
     * further back, towards the address the account had before all these changes (ADR 0018).
     */
    async undoEmailChange(
      code: string,
    ): Promise<{ status: 'done'; email: string } | { status: 'expired' | 'invalid' | 'address_taken' }> {
      return database.transaction(async (tx) => {
        const row = await lockVerification(tx, code);
        if (!row || row.type !== 'undo_email_change' || row.usedAt) return { status: 'invalid' };
        if (row.expiresAt.getTime() < Date.now()) return { status: 'expired' };
        const [taken] = await tx.db
          .select({ id: users.id })
          .from(users)
          .where(and(eq(users.email, row.target), ne(users.id, row.userId)));
        if (taken) return { status: 'address_taken' };
        await tx.db.update(verifications).set({ usedAt: new Date() }).where(eq(verifications.id, row.id));
        await tx.db
          .update(users)
          .set({ email: row.target, emailVerifiedAt: new Date(), updatedAt: new Date() })
          .where(eq(users.id, row.userId));
        await revokeLinks(tx, row.userId);
        await tx.db
          .update(verifications)
          .set({ usedAt: new Date() })
          .where(
            and(
              eq(verifications.userId, row.userId),
              eq(verifications.type, 'undo_email_change'),
              isNull(verifications.usedAt),
              gte(verifications.createdAt, row.createdAt),
            ),
          );
        await tx.db.delete(sessions).where(eq(sessions.userId, row.userId));
        await audit(tx.db, {
          actorUserId: null,
          action: 'account.email_change_undone',
          subjectType: 'user',
          subjectId: row.userId,
        });
        return { status: 'done', email: row.target };
      });
    },
  };
}

/** Why an invitation is outside the actor's reach, said at the field that put it there. */
function outOfReach(account: StaffAccount): NonNullable<Extract<InvitationResult, { ok: false }>['errors']> {
  switch (account.role) {
    case 'org_staff':
      return { organizationId: 'Можно пригласить только сотрудников организаций вашего муниципалитета' };
    case 'municipal_admin':
      return { role: 'Муниципальных администраторов приглашает региональный координатор' };
    case 'coordinator':
      return {
        role: 'Регионального координатора нельзя пригласить здесь: его учётную запись создаёт администратор системы',
      };
  }
}

export type AccountsService = ReturnType<typeof createAccountsService>;
