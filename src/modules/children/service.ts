import { and, asc, eq, ne, or, sql } from 'drizzle-orm';
import { audit, type AuditContext } from '../../platform/audit/audit.js';
import type { Actor } from '../../platform/access/policy.js';
import { isUniqueViolation, type Database, type Db } from '../../platform/db/client.js';
import type { Certificate, CertificatesService } from '../certificates/index.js';
import { childPolicy, type ChildAction } from './policy.js';
import { children } from './schema.js';
import { identityKeyOf, type ChildInput } from './schemas.js';

export type Child = typeof children.$inferSelect;

export type SaveResult = { ok: true; child: Child } | { ok: false; errors: Partial<Record<string, string>> };

export function createChildrenService({
  database,
  certificates,
  hasApplications,
}: {
  database: Database;
  certificates: CertificatesService;
  /** Whether any application names the child: the applications module's query, handed over by the composition root. */
  hasApplications: (childId: string) => Promise<boolean>;
}) {
  const { db } = database;

  /**
   * Records of the same child in other accounts (СНИЛС, or ФИО + birth date). The parent is never told: the
   * match is flagged on the record and written to the audit, and the municipal administrator checks it when
   * confirming in person (confirmation.matches). Returns the other records' ids.
   */
  async function flagMatches(
    tx: Db,
    actorUserId: string,
    child: Pick<Child, 'id' | 'ownerUserId' | 'identityKey' | 'snils'>,
  ): Promise<string[]> {
    const matches = await tx
      .select({ id: children.id })
      .from(children)
      .where(
        and(
          ne(children.ownerUserId, child.ownerUserId),
          child.snils
            ? or(eq(children.snils, child.snils), eq(children.identityKey, child.identityKey))
            : eq(children.identityKey, child.identityKey),
        ),
      )
      .limit(20);
    const ids = matches.map((match) => match.id);
    await tx
      .update(children)
      .set({ possibleDuplicate: ids.length > 0 })
      .where(eq(children.id, child.id));
    if (ids.length > 0)
      await audit(tx, {
        actorUserId,
        action: 'child.identity_match',
        subjectType: 'child',
        subjectId: child.id,
        details: { matches: ids },
      });
    return ids;
  }

  /**
   * The other records get the flag after the change commits, one row at a time: locking them inside the
   * parent's transaction would deadlock two parents saving the same child at once.
   */
  async function flagOthers(ids: string[]) {
    for (const id of [...ids].sort())
      await db.update(children).set({ possibleDuplicate: true }).where(eq(children.id, id));
  }

  function duplicateInAccount(error: unknown): SaveResult | null {
    if (!isUniqueViolation(error)) return null;
    return { ok: false, errors: { lastName: 'Этот ребёнок уже добавлен в ваш личный кабинет' } };
  }

  /** Loads the child and asks the policy first; null for a child that is missing or not the actor's to `action`. */
  async function permitted(
    executor: Db,
    actor: Actor,
    action: ChildAction,
    childId: string,
    options: { lock?: boolean } = {},
  ): Promise<Child | null> {
    const query = executor.select().from(children).where(eq(children.id, childId));
    const [child] = options.lock ? await query.for('update') : await query;
    return child && childPolicy.can(actor, action, child) ? child : null;
  }

  return {
    /** The parent's own children, oldest record first. */
    listOf: (actor: Actor): Promise<Child[]> =>
      db.select().from(children).where(childPolicy.scope(actor, 'read')).orderBy(asc(children.createdAt)),

    /** Whether the actor added any child (an operator's cabinet shows «Дети» and «Заявки» only then). */
    async hasAny(actor: Actor): Promise<boolean> {
      const [found] = await db
        .select({ id: children.id })
        .from(children)
        .where(childPolicy.scope(actor, 'read'))
        .limit(1);
      return found !== undefined;
    },

    /** The child if the parent may read it; null otherwise (someone else's child is never shown). */
    getOwned: (actor: Actor, childId: string): Promise<Child | null> => permitted(db, actor, 'read', childId),

    /** A child always belongs to the parent who adds it. */
    async add(
      actor: Actor,
      input: ChildInput,
      context: AuditContext,
      options: { isSelf?: boolean } = {},
    ): Promise<SaveResult> {
      const ownerUserId = actor.id;
      try {
        const saved = await database.transaction(async (tx) => {
          const [inserted] = await tx.db
            .insert(children)
            .values({
              ...input,
              middleName: input.middleName ?? null,
              snils: input.snils ?? null,
              ownerUserId,
              isSelf: options.isSelf ?? false,
              identityKey: identityKeyOf(input),
            })
            .returning();
          const matches = await flagMatches(tx.db, ownerUserId, inserted!);
          await audit(tx.db, {
            actorUserId: ownerUserId,
            action: 'child.added',
            subjectType: 'child',
            subjectId: inserted!.id,
            context,
          });
          return { child: { ...inserted!, possibleDuplicate: matches.length > 0 }, matches };
        });
        await flagOthers(saved.matches);
        return { ok: true, child: saved.child };
      } catch (error) {
        const refused = duplicateInAccount(error);
        if (refused) return refused;
        throw error;
      }
    },

    /**
     * Edits the child's data while it is not confirmed; after a rejection, saving sends it for checking again.
     * A new identity that another record's live certificate already holds suspends this child's certificate
     * (certificates.identityChanged); the parent's answer is the same either way.
     */
    async update(
      actor: Actor,
      childId: string,
      input: ChildInput,
      context: AuditContext,
    ): Promise<SaveResult | 'not_found' | 'confirmed'> {
      const ownerUserId = actor.id;
      try {
        const saved = await database.transaction(async (tx) => {
          const current = await permitted(tx.db, actor, 'update', childId, { lock: true });
          if (!current) return 'not_found';
          if (current.dataStatus === 'confirmed') return 'confirmed';
          const [updated] = await tx.db
            .update(children)
            .set({
              ...input,
              middleName: input.middleName ?? null,
              snils: input.snils ?? null,
              identityKey: identityKeyOf(input),
              dataStatus: 'unconfirmed',
              rejectionReason: null,
              updatedAt: new Date(),
            })
            .where(eq(children.id, childId))
            .returning();
          // Which fields changed, never their values.
          const fields = (Object.keys(input) as (keyof ChildInput)[]).filter(
            (key) => (current[key] ?? null) !== (updated![key] ?? null),
          );
          await audit(tx.db, {
            actorUserId: ownerUserId,
            action: 'child.updated',
            subjectType: 'child',
            subjectId: childId,
            details: { fields },
            context,
          });
          const matches = await flagMatches(tx.db, ownerUserId, updated!);
          const child = { ...updated!, possibleDuplicate: matches.length > 0 };
          await certificates.identityChanged(tx, actor, child);
          return { child, matches };
        });
        if (typeof saved === 'string') return saved;
        await flagOthers(saved.matches);
        return { ok: true, child: saved.child };
      } catch (error) {
        const refused = duplicateInAccount(error);
        if (refused) return refused;
        throw error;
      }
    },

    /**
     * «Получить сертификат» for the parent's own child: the row is locked so that an edit or a second click
     * cannot run in between. Null when the child is not in this account.
     */
    async getCertificate(
      actor: Actor,
      childId: string,
    ): Promise<{ child: Child; certificate: Certificate } | null> {
      await certificates.ready();
      return database.transaction(async (tx) => {
        const child = await permitted(tx.db, actor, 'request_certificate', childId, { lock: true });
        return child ? { child, certificate: await certificates.issueFor(tx, actor, child) } : null;
      });
    },

    /**
     * Who to tell about the child and how to name it, for a module that acted under its own policy (funding tells
     * the parent that a certificate was funded or queued). Reads in the caller's transaction.
     */
    async recipientOf(
      executor: Db,
      childId: string,
    ): Promise<Pick<Child, 'ownerUserId' | 'firstName' | 'lastName'> | null> {
      const [row] = await executor
        .select({
          ownerUserId: children.ownerUserId,
          firstName: children.firstName,
          lastName: children.lastName,
        })
        .from(children)
        .where(eq(children.id, childId));
      return row ?? null;
    },

    /**
     * Whether the parent may delete the child's record, asked before the confirmation page: confirmed data stay
     * (the municipal administrator corrects them), and so does a child with applications (the applications'
     * foreign key restricts the delete; the applications module says so before asking).
     */
    async removable(
      actor: Actor,
      childId: string,
    ): Promise<{ child: Child; refusal: 'confirmed' | 'has_applications' | null } | null> {
      const child = await permitted(db, actor, 'delete', childId);
      if (!child) return null;
      if (child.dataStatus === 'confirmed') return { child, refusal: 'confirmed' };
      return { child, refusal: (await hasApplications(childId)) ? 'has_applications' : null };
    },

    async remove(
      actor: Actor,
      childId: string,
      context: AuditContext,
    ): Promise<'deleted' | 'not_found' | 'confirmed' | 'has_applications'> {
      const current = await permitted(db, actor, 'delete', childId);
      if (!current) return 'not_found';
      const ownerUserId = actor.id;
      if (current.dataStatus === 'confirmed') return 'confirmed';
      try {
        const deleted = await db
          .delete(children)
          .where(and(eq(children.id, childId), ne(children.dataStatus, 'confirmed')))
          .returning({ id: children.id });
        if (deleted.length === 0) return 'confirmed';
        await audit(db, {
          actorUserId: ownerUserId,
          action: 'child.deleted',
          subjectType: 'child',
          subjectId: childId,
          context,
        });
      } catch (error) {
        // Applications keep their child: the organization's records and the queue depend on them.
        // PostgreSQL 15 reports the RESTRICT foreign key as 23503, PostgreSQL 18 (PGlite) as 23001.
        const code = errorCode(error);
        if (code === '23503' || code === '23001') return 'has_applications';
        throw error;
      }
      return 'deleted';
    },

    count: async (): Promise<number> => {
      const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(children);
      return row?.n ?? 0;
    },
  };
}

export type ChildrenService = ReturnType<typeof createChildrenService>;

/** PostgreSQL's error code, whichever driver wrapped the error. */
function errorCode(error: unknown): string | undefined {
  return (
    (error as { code?: string; cause?: { code?: string } }).cause?.code ?? (error as { code?: string }).code
  );
}
