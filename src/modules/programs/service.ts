import { and, asc, count, eq, getTableColumns, or, sql } from 'drizzle-orm';
import { audit } from '../../platform/audit/audit.js';
import { organizationOf, type Actor } from '../../platform/access/policy.js';
import type { Database, Db } from '../../platform/db/client.js';
import type { Mailer } from '../../platform/mail/mailer.js';
import type { AccountsService } from '../accounts/index.js';
import { placesColumns, type ApplicationsService } from '../applications/index.js';
import { organizations } from '../organizations/index.js';
import { municipalities, type Registry } from '../reference/index.js';
import { catalogEmails } from './emails.js';
import { groupPolicy, programPolicy, type ProgramAction, type ProgramFacts } from './policy.js';
import { programGroups, programs, type ProgramContent } from './schema.js';
import type { GroupInput } from './schemas.js';
import { indexSearchTerms, refreshGroupSummary } from './search-index.js';

/**
 * The provider's cabinet and program moderation (ADR 0008).
 *
 * A program goes Черновик → На модерации → Опубликовано, or → Ожидает правки (with the moderator's comment)
 * → На модерации again; any of them → Архив. Edits of a published program wait in `pending_revision` while the
 * published version stays public; groups (schedule, places, teacher) change at once, they are operational.
 * Who may do what is programs/policy.ts: every method loads the program and asks the policy before any other work;
 * a program out of reach is answered as not found.
 */

export type { Operator } from '../../platform/http/request-context.js';
export type Program = typeof programs.$inferSelect;
/** A group with its places, which the applications module keeps. */
export type Group = typeof programGroups.$inferSelect & { capacity: number; seatsTaken: number };
/** A group's columns with its places, for the provider's and the moderator's pages. */
const GROUP_COLUMNS = { ...getTableColumns(programGroups), ...placesColumns };

export interface ProgramListItem {
  id: string;
  name: string;
  status: Program['status'];
  revisionStatus: Program['revisionStatus'];
  moderatorComment: string | null;
  groups: number;
  updatedAt: Date;
}

export interface ModerationItem extends ProgramListItem {
  organization: string;
  municipality: string;
  submittedAt: Date | null;
}

/** What a list of programs shows, for the provider and for the moderator. */
const LIST_COLUMNS = {
  id: programs.id,
  name: programs.name,
  status: programs.status,
  revisionStatus: programs.revisionStatus,
  moderatorComment: programs.moderatorComment,
  // Spelled out: inside a select list drizzle would print the column without its table.
  groups: sql<number>`(select count(*) from program_groups g where g.program_id = programs.id)`.mapWith(
    Number,
  ),
  updatedAt: programs.updatedAt,
};

export function contentOf(program: Program): ProgramContent {
  return {
    directionId: program.directionId,
    specializationId: program.specializationId,
    name: program.name,
    description: program.description,
    goals: program.goals,
    expectedResults: program.expectedResults,
    ageFrom: program.ageFrom,
    ageTo: program.ageTo,
    level: program.level,
    durationMonths: program.durationMonths,
    hoursTotal: program.hoursTotal,
    format: program.format,
    ovzAdapted: program.ovzAdapted,
    ovzCategories: program.ovzCategories,
    registry: program.registry,
  };
}

/** The version the provider is working on: the pending revision of a published program, else the program. */
export function workingContent(program: Program): ProgramContent {
  return program.pendingRevision ?? contentOf(program);
}

/** Whether the moderator has something to decide on this program. */
export function awaitsModeration(program: Pick<Program, 'status' | 'revisionStatus'>): boolean {
  return (
    program.status === 'moderation' ||
    (program.status === 'published' && program.revisionStatus === 'moderation')
  );
}

/** A program, or a published program's revision, waiting for the moderator. */
const AWAITS_MODERATION = or(
  eq(programs.status, 'moderation'),
  and(eq(programs.status, 'published'), eq(programs.revisionStatus, 'moderation')),
);

export function createProviderService(deps: {
  database: Database;
  mailer: Mailer;
  accounts: AccountsService;
  baseUrl: string;
  /** A group's places: opened, changed and checked by the applications module in our transaction. */
  places: ApplicationsService['places'];
  /** Called after a change the public catalog shows (publication, archive, groups, the organization's name). */
  onPublicChange?: () => void;
}) {
  const { database, mailer, accounts, baseUrl, places } = deps;
  const publicChanged = deps.onPublicChange ?? (() => undefined);
  /** Tells the public side once the change has committed. */
  const changing = <T>(work: Promise<T>): Promise<T> =>
    work.then((result) => {
      publicChanged();
      return result;
    });
  const { db } = database;

  /** One audit row for an operator's action, in the transaction that makes the change. */
  function record(
    tx: { db: Db },
    operator: Actor,
    action: string,
    subjectType: 'program' | 'group' | 'organization',
    subjectId: string,
    details?: Record<string, unknown>,
  ) {
    return audit(tx.db, {
      actorUserId: operator.id,
      action,
      subjectType,
      subjectId,
      ...(details ? { details } : {}),
    });
  }

  /** The columns that tie a new program to its organization (and the organization's municipality). */
  async function ownerOf(executor: Db, organizationId: string): Promise<ProgramFacts | null> {
    const [organization] = await executor
      .select({ municipalityId: organizations.municipalityId })
      .from(organizations)
      .where(eq(organizations.id, organizationId));
    return organization ? { organizationId, municipalityId: organization.municipalityId } : null;
  }

  /** A program by id, locked for a change when `forUpdate`; the caller asks the policy before anything else. */
  async function load(executor: Db, programId: string, forUpdate = false): Promise<Program | null> {
    const query = executor.select().from(programs).where(eq(programs.id, programId));
    // «no key update»: an application arriving meanwhile (its foreign key takes a key-share lock) is not kept waiting.
    const [program] = forUpdate ? await query.for('no key update') : await query;
    return program ?? null;
  }

  /** The program, when the policy lets the actor do this with it; else null (answered as not found). */
  async function reachable(
    executor: Db,
    actor: Actor,
    action: ProgramAction,
    programId: string,
    forUpdate = false,
  ): Promise<Program | null> {
    const program = await load(executor, programId, forUpdate);
    return program && programPolicy.can(actor, action, program) ? program : null;
  }

  async function notifyStaff(
    tx: { db: Db; sql: Parameters<Mailer['send']>[0] },
    program: Program,
    letter: (to: string) => ReturnType<typeof catalogEmails.published>,
  ) {
    for (const email of await accounts.organizationStaffEmails(program.organizationId, tx.db)) {
      await mailer.send(tx.sql, letter(email));
    }
  }

  /** Tells the moderators of the organization's municipality that a program waits for them. */
  async function notifyModerators(
    tx: { db: Db; sql: Parameters<Mailer['send']>[0] },
    program: Program,
    name: string,
  ) {
    const [organization] = await tx.db
      .select()
      .from(organizations)
      .where(eq(organizations.id, program.organizationId));
    for (const email of await accounts.moderatorEmails(organization!.municipalityId, tx.db)) {
      await mailer.send(
        tx.sql,
        catalogEmails.toModerate(
          email,
          baseUrl,
          name,
          program.id,
          organization!.shortName,
          program.status === 'published',
        ),
      );
    }
  }

  /** A program within the moderator's reach, locked for the decision. */
  const programToModerate = (executor: Db, actor: Actor, programId: string) =>
    reachable(executor, actor, 'moderate', programId, true);

  return {
    async listPrograms(operator: Actor): Promise<ProgramListItem[]> {
      return db
        .select(LIST_COLUMNS)
        .from(programs)
        .where(programPolicy.scope(operator, 'read'))
        .orderBy(asc(programs.name), asc(programs.id));
    },

    async getProgram(operator: Actor, programId: string) {
      const program = await reachable(db, operator, 'read', programId);
      if (!program) return null;
      const groups = await db
        .select(GROUP_COLUMNS)
        .from(programGroups)
        .where(eq(programGroups.programId, programId))
        .orderBy(asc(programGroups.name), asc(programGroups.id));
      return { program, groups };
    },

    async createProgram(operator: Actor, content: ProgramContent): Promise<string | null> {
      const organizationId = organizationOf(operator);
      const owner = organizationId ? await ownerOf(db, organizationId) : null;
      if (!owner || !programPolicy.can(operator, 'create', owner)) return null;
      return database.transaction(async (tx) => {
        const [created] = await tx.db
          .insert(programs)
          .values({ ...content, ...owner, status: 'draft' })
          .returning({ id: programs.id });
        await record(tx, operator, 'program.created', 'program', created!.id);
        return created!.id;
      });
    },

    /**
     * Saves the provider's edit. A draft or a returned program changes in place; a published one keeps its
     * public version and gets the edit as a revision on moderation; a program on moderation waits for the decision.
     */
    async updateProgram(
      operator: Actor,
      programId: string,
      content: ProgramContent,
    ): Promise<'saved' | 'revision' | 'locked' | 'not_found'> {
      return database.transaction(async (tx) => {
        const program = await reachable(tx.db, operator, 'edit', programId);
        if (!program) return 'not_found';
        if (program.status === 'moderation' || program.status === 'archived') return 'locked';
        const now = new Date();
        if (program.status === 'published') {
          await tx.db
            .update(programs)
            .set({ pendingRevision: content, revisionStatus: 'moderation', submittedAt: now, updatedAt: now })
            .where(eq(programs.id, programId));
        } else {
          await tx.db
            .update(programs)
            .set({ ...content, updatedAt: now })
            .where(eq(programs.id, programId));
        }
        if (program.status === 'published') await notifyModerators(tx, program, content.name);
        await record(
          tx,
          operator,
          program.status === 'published' ? 'program.revision_submitted' : 'program.updated',
          'program',
          programId,
        );
        return program.status === 'published' ? 'revision' : 'saved';
      });
    },

    /** Черновик or Ожидает правки → На модерации. A program needs at least one group to be applied to. */
    async submit(
      operator: Actor,
      programId: string,
    ): Promise<'submitted' | 'no_groups' | 'not_allowed' | 'not_found'> {
      return database.transaction(async (tx) => {
        const program = await reachable(tx.db, operator, 'submit', programId);
        if (!program) return 'not_found';
        if (program.status !== 'draft' && program.status !== 'needs_changes') return 'not_allowed';
        const [groups] = await tx.db
          .select({ n: count() })
          .from(programGroups)
          .where(eq(programGroups.programId, programId));
        if (!groups?.n) return 'no_groups';
        await tx.db
          .update(programs)
          .set({ status: 'moderation', submittedAt: new Date(), updatedAt: new Date() })
          .where(eq(programs.id, programId));
        await record(tx, operator, 'program.submitted', 'program', programId, { from: program.status });
        await notifyModerators(tx, program, program.name);
        return 'submitted';
      });
    },

    /** The provider withdraws a program (→ Архив) or brings an archived one back as a draft. */
    async setArchived(operator: Actor, programId: string, archived: boolean): Promise<boolean> {
      return changing(
        database.transaction(async (tx) => {
          const program = await reachable(tx.db, operator, 'archive', programId);
          if (!program || (program.status === 'archived') === archived) return false;
          await tx.db
            .update(programs)
            .set({
              status: archived ? 'archived' : 'draft',
              pendingRevision: null,
              revisionStatus: null,
              updatedAt: new Date(),
            })
            .where(eq(programs.id, programId));
          await record(
            tx,
            operator,
            archived ? 'program.archived' : 'program.restored',
            'program',
            programId,
            { from: program.status },
          );
          return true;
        }),
      );
    },

    async getGroup(operator: Actor, programId: string, groupId: string): Promise<Group | null> {
      const program = await load(db, programId);
      if (!program || !groupPolicy.can(operator, 'read', program)) return null;
      const [group] = await db
        .select(GROUP_COLUMNS)
        .from(programGroups)
        .where(and(eq(programGroups.id, groupId), eq(programGroups.programId, programId)));
      return group ?? null;
    },

    /**
     * Adds or changes a group. Places already taken by applications cannot be cut; `offered` is how many places
     * a raise gave to the queue (in the same transaction).
     */
    async saveGroup(
      operator: Actor,
      programId: string,
      groupId: string | null,
      input: GroupInput,
    ): Promise<
      { ok: true; id: string; offered: number } | { ok: false; errors: Record<string, string> } | null
    > {
      return changing(
        database.transaction(async (tx) => {
          const program = await reachable(tx.db, operator, 'manage_groups', programId);
          if (!program || program.status === 'archived') return null;
          const { capacity, ...details } = input;
          if (groupId === null) {
            const [created] = await tx.db
              .insert(programGroups)
              .values({ ...details, programId })
              .returning({ id: programGroups.id });
            await places.open(tx, [{ groupId: created!.id, capacity }]);
            await refreshGroupSummary(tx.db, [programId]);
            await record(tx, operator, 'group.created', 'group', created!.id);
            return { ok: true, id: created!.id, offered: 0 };
          }
          // «no key update», not «update»: an application being filed holds the group's places and then takes a
          // key-share lock on this row for its foreign key; a stronger lock here would deadlock with it.
          const [group] = await tx.db
            .select()
            .from(programGroups)
            .where(and(eq(programGroups.id, groupId), eq(programGroups.programId, programId)))
            .for('no key update');
          if (!group) return null;
          // Refused below the places taken; a raise offers the new places to the queue, in this transaction.
          const changed = await places.changeCapacity(tx, groupId, capacity);
          if (!changed.ok) return { ok: false, errors: { capacity: changed.message } };
          await tx.db
            .update(programGroups)
            .set({ ...details, updatedAt: new Date() })
            .where(eq(programGroups.id, groupId));
          await refreshGroupSummary(tx.db, [programId]);
          await record(tx, operator, 'group.updated', 'group', groupId);
          return { ok: true, id: groupId, offered: changed.offered };
        }),
      );
    },

    /** Removes a group nobody ever applied to (applications keep their group for their history). */
    async deleteGroup(
      operator: Actor,
      programId: string,
      groupId: string,
    ): Promise<'deleted' | 'taken' | 'not_found'> {
      const deleting = changing(
        database.transaction(async (tx) => {
          const program = await reachable(tx.db, operator, 'manage_groups', programId);
          if (!program) return 'not_found';
          const [group] = await tx.db
            .select({ id: programGroups.id })
            .from(programGroups)
            .where(and(eq(programGroups.id, groupId), eq(programGroups.programId, programId)));
          if (!group) return 'not_found';
          // The places first, as every application takes them first: the same order, so no deadlock.
          if (!(await places.mayClose(tx, groupId))) return 'taken';
          await tx.db.delete(programGroups).where(eq(programGroups.id, groupId));
          await refreshGroupSummary(tx.db, [programId]);
          await record(tx, operator, 'group.deleted', 'group', groupId, { programId });
          return 'deleted' as const;
        }),
      );
      try {
        return await deleting;
      } catch (error) {
        if (isForeignKeyViolation(error)) return 'taken';
        throw error;
      }
    },

    /** Imported programs (as drafts) with their groups, all in one transaction: all or nothing. */
    async importPrograms(
      operator: Actor,
      items: { content: ProgramContent; groups: GroupInput[] }[],
    ): Promise<{ programs: number; groups: number } | null> {
      const organizationId = organizationOf(operator);
      const owner = organizationId ? await ownerOf(db, organizationId) : null;
      if (!owner || !programPolicy.can(operator, 'create', owner)) return null;
      return database.transaction(async (tx) => {
        let groupCount = 0;
        for (const item of items) {
          const [created] = await tx.db
            .insert(programs)
            .values({ ...item.content, ...owner, status: 'draft' })
            .returning({ id: programs.id });
          if (item.groups.length) {
            const inserted = await tx.db
              .insert(programGroups)
              .values(item.groups.map(({ capacity: _, ...group }) => ({ ...group, programId: created!.id })))
              .returning({ id: programGroups.id });
            await places.open(
              tx,
              inserted.map((row, i) => ({ groupId: row.id, capacity: item.groups[i]!.capacity })),
            );
          }
          await refreshGroupSummary(tx.db, [created!.id]);
          groupCount += item.groups.length;
        }
        await record(tx, operator, 'program.imported', 'organization', owner.organizationId, {
          programs: items.length,
          groups: groupCount,
        });
        return { programs: items.length, groups: groupCount };
      });
    },

    /** Programs waiting for a decision within the moderator's reach, oldest first. */
    /**
     * The workspace's counters, aggregates only. For organization staff: their programs the moderator returned
     * for changes (a program, or a published program's revision). For moderators: what waits for moderation
     * within their reach, per municipality.
     */
    async workload(operator: Actor): Promise<{
      returned: number;
      awaitingModeration: { municipalityId: number; count: number }[];
    }> {
      const returnedCondition = or(
        eq(programs.status, 'needs_changes'),
        and(eq(programs.status, 'published'), eq(programs.revisionStatus, 'needs_changes')),
      );
      const [[returned], awaiting] = await Promise.all([
        organizationOf(operator)
          ? db
              .select({ count: count() })
              .from(programs)
              .where(and(programPolicy.scope(operator, 'edit'), returnedCondition))
          : [{ count: 0 }],
        operator.staff && operator.staff.role !== 'org_staff'
          ? db
              .select({ municipalityId: programs.municipalityId, count: count() })
              .from(programs)
              .where(and(programPolicy.scope(operator, 'moderate'), AWAITS_MODERATION))
              .groupBy(programs.municipalityId)
          : [],
      ]);
      return {
        returned: Number(returned?.count ?? 0),
        awaitingModeration: awaiting.map((row) => ({
          municipalityId: row.municipalityId,
          count: Number(row.count),
        })),
      };
    },

    async moderationQueue(operator: Actor): Promise<ModerationItem[]> {
      return db
        .select({
          ...LIST_COLUMNS,
          organization: organizations.shortName,
          municipality: municipalities.name,
          submittedAt: programs.submittedAt,
        })
        .from(programs)
        .innerJoin(organizations, eq(organizations.id, programs.organizationId))
        .innerJoin(municipalities, eq(municipalities.id, organizations.municipalityId))
        .where(and(programPolicy.scope(operator, 'moderate'), AWAITS_MODERATION))
        .orderBy(asc(programs.submittedAt), asc(programs.id))
        .limit(200);
    },

    /** A program for the moderator to read: both versions when a revision waits. */
    async openForModeration(operator: Actor, programId: string) {
      const [row] = await db
        .select({ program: programs, organization: organizations })
        .from(programs)
        .innerJoin(organizations, eq(organizations.id, programs.organizationId))
        .where(eq(programs.id, programId));
      if (!row || !programPolicy.can(operator, 'moderate', row.program)) return null;
      const groups = await db
        .select(GROUP_COLUMNS)
        .from(programGroups)
        .where(eq(programGroups.programId, programId))
        .orderBy(asc(programGroups.name));
      return { ...row, groups };
    },

    /**
     * На модерации → Опубликовано; a published program's revision replaces the public version. The moderator sets
     * the program's registry here (ADR 0036); without one the provider's proposal stands.
     */
    async publish(
      operator: Actor,
      programId: string,
      registry?: Registry,
    ): Promise<'published' | 'not_waiting' | 'not_found'> {
      return changing(
        database.transaction(async (tx) => {
          const program = await programToModerate(tx.db, operator, programId);
          if (!program) return 'not_found';
          if (!awaitsModeration(program)) return 'not_waiting';
          const now = new Date();
          const proposed = workingContent(program).registry;
          await tx.db
            .update(programs)
            .set({
              ...(program.pendingRevision ?? {}),
              registry: registry ?? proposed,
              status: 'published',
              pendingRevision: null,
              revisionStatus: null,
              moderatorComment: null,
              publishedAt: now,
              updatedAt: now,
            })
            .where(eq(programs.id, programId));
          await indexSearchTerms(tx.db, [programId]);
          await record(tx, operator, 'program.published', 'program', programId, {
            revision: program.pendingRevision !== null,
            registry: registry ?? proposed,
            ...(registry && registry !== proposed ? { proposedRegistry: proposed } : {}),
          });
          const name = program.pendingRevision?.name ?? program.name;
          await notifyStaff(tx, program, (to) => catalogEmails.published(to, baseUrl, name, programId));
          return 'published';
        }),
      );
    },

    /** На модерации → Ожидает правки, with the comment the provider sees. */
    async returnForChanges(
      operator: Actor,
      programId: string,
      comment: string,
    ): Promise<'returned' | 'not_waiting' | 'not_found'> {
      return database.transaction(async (tx) => {
        const program = await programToModerate(tx.db, operator, programId);
        if (!program) return 'not_found';
        if (!awaitsModeration(program)) return 'not_waiting';
        await tx.db
          .update(programs)
          .set(
            program.status === 'published'
              ? { revisionStatus: 'needs_changes', moderatorComment: comment, updatedAt: new Date() }
              : { status: 'needs_changes', moderatorComment: comment, updatedAt: new Date() },
          )
          .where(eq(programs.id, programId));
        await record(tx, operator, 'program.returned', 'program', programId, {
          comment,
          revision: program.status === 'published',
        });
        const name = program.pendingRevision?.name ?? program.name;
        await notifyStaff(tx, program, (to) => catalogEmails.returned(to, baseUrl, name, programId, comment));
        return 'returned';
      });
    },

    /** The moderator takes a program out of the catalog (→ Архив). */
    async archiveByModerator(operator: Actor, programId: string): Promise<'archived' | 'not_found'> {
      return changing(
        database.transaction(async (tx) => {
          const program = await programToModerate(tx.db, operator, programId);
          if (!program || program.status === 'archived') return 'not_found';
          await tx.db
            .update(programs)
            .set({ status: 'archived', pendingRevision: null, revisionStatus: null, updatedAt: new Date() })
            .where(eq(programs.id, programId));
          await record(tx, operator, 'program.archived_by_moderator', 'program', programId, {
            from: program.status,
          });
          await notifyStaff(tx, program, (to) =>
            catalogEmails.archived(to, baseUrl, program.name, programId),
          );
          return 'archived';
        }),
      );
    },
  };
}

export type ProviderService = ReturnType<typeof createProviderService>;

/** The row is still referenced (e.g. a group that has applications). */
function isForeignKeyViolation(error: unknown): boolean {
  const code =
    (error as { code?: string; cause?: { code?: string } }).cause?.code ?? (error as { code?: string }).code;
  return code === '23503';
}
