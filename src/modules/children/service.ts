import { and, asc, eq, ne, or, sql } from 'drizzle-orm';
import { audit, type AuditContext } from '../../platform/audit/audit.js';
import type { Database } from '../../platform/db/client.js';
import { children } from './schema.js';
import { identityKeyOf, type ChildInput } from './schemas.js';

export type Child = typeof children.$inferSelect;

export type SaveResult = { ok: true; child: Child } | { ok: false; errors: Partial<Record<string, string>> };

export function createChildrenService({ database }: { database: Database }) {
  const { db } = database;

  /** Another account holds the same child (СНИЛС, or ФИО + birth date): flagged for operators, not refused. */
  async function existsElsewhere(
    ownerUserId: string,
    input: ChildInput,
    exceptId?: string,
  ): Promise<boolean> {
    const sameChild = input.snils
      ? or(eq(children.snils, input.snils), eq(children.identityKey, identityKeyOf(input)))
      : eq(children.identityKey, identityKeyOf(input));
    const rows = await db
      .select({ id: children.id })
      .from(children)
      .where(
        and(
          ne(children.ownerUserId, ownerUserId),
          sameChild,
          exceptId ? ne(children.id, exceptId) : undefined,
        ),
      )
      .limit(1);
    return rows.length > 0;
  }

  function duplicateInAccount(error: unknown): SaveResult | null {
    if (errorCode(error) !== '23505') return null;
    return { ok: false, errors: { lastName: 'Этот ребёнок уже добавлен в ваш личный кабинет' } };
  }

  return {
    listOf: (ownerUserId: string): Promise<Child[]> =>
      db
        .select()
        .from(children)
        .where(eq(children.ownerUserId, ownerUserId))
        .orderBy(asc(children.createdAt)),

    /** The child if it belongs to this account; null otherwise (someone else's child is never shown). */
    async getOwned(ownerUserId: string, childId: string): Promise<Child | null> {
      const [child] = await db
        .select()
        .from(children)
        .where(and(eq(children.id, childId), eq(children.ownerUserId, ownerUserId)));
      return child ?? null;
    },

    async add(
      ownerUserId: string,
      input: ChildInput,
      context: AuditContext,
      options: { isSelf?: boolean } = {},
    ): Promise<SaveResult> {
      const possibleDuplicate = await existsElsewhere(ownerUserId, input);
      try {
        const [child] = await db
          .insert(children)
          .values({
            ...input,
            middleName: input.middleName ?? null,
            snils: input.snils ?? null,
            ownerUserId,
            isSelf: options.isSelf ?? false,
            identityKey: identityKeyOf(input),
            possibleDuplicate,
          })
          .returning();
        await audit(db, {
          actorUserId: ownerUserId,
          action: 'child.added',
          subjectType: 'child',
          subjectId: child!.id,
          context,
        });
        return { ok: true, child: child! };
      } catch (error) {
        const refused = duplicateInAccount(error);
        if (refused) return refused;
        throw error;
      }
    },

    /** Edits the child's data while it is not confirmed; after a rejection, saving sends it for checking again. */
    async update(
      ownerUserId: string,
      childId: string,
      input: ChildInput,
      context: AuditContext,
    ): Promise<SaveResult | 'not_found' | 'confirmed'> {
      const current = await this.getOwned(ownerUserId, childId);
      if (!current) return 'not_found';
      if (current.dataStatus === 'confirmed') return 'confirmed';
      const possibleDuplicate = await existsElsewhere(ownerUserId, input, childId);
      try {
        const [child] = await db
          .update(children)
          .set({
            ...input,
            middleName: input.middleName ?? null,
            snils: input.snils ?? null,
            identityKey: identityKeyOf(input),
            possibleDuplicate,
            dataStatus: 'unconfirmed',
            rejectionReason: null,
            updatedAt: new Date(),
          })
          .where(and(eq(children.id, childId), ne(children.dataStatus, 'confirmed')))
          .returning();
        if (!child) return 'confirmed';
        // Which fields changed, never their values.
        const fields = (Object.keys(input) as (keyof ChildInput)[]).filter(
          (key) => (current[key] ?? null) !== (child[key] ?? null),
        );
        await audit(db, {
          actorUserId: ownerUserId,
          action: 'child.updated',
          subjectType: 'child',
          subjectId: childId,
          details: { fields },
          context,
        });
        return { ok: true, child };
      } catch (error) {
        const refused = duplicateInAccount(error);
        if (refused) return refused;
        throw error;
      }
    },

    async remove(
      ownerUserId: string,
      childId: string,
      context: AuditContext,
    ): Promise<'deleted' | 'not_found' | 'confirmed' | 'has_applications'> {
      const current = await this.getOwned(ownerUserId, childId);
      if (!current) return 'not_found';
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

    /** Other records of the same child (other accounts), for the one-certificate-per-child rule. */
    async sameChildIds(child: Child): Promise<string[]> {
      const rows = await db
        .select({ id: children.id })
        .from(children)
        .where(
          and(
            ne(children.id, child.id),
            child.snils
              ? or(eq(children.snils, child.snils), eq(children.identityKey, child.identityKey))
              : eq(children.identityKey, child.identityKey),
          ),
        );
      return rows.map((row) => row.id);
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
