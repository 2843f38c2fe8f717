import { and, asc, count, desc, eq, inArray, min, ne, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { audit, type AuditContext } from '../../platform/audit/audit.js';
import type { Database } from '../../platform/db/client.js';
import type { CurrentUser } from '../../platform/http/request-context.js';
import type { Mailer } from '../../platform/mail/mailer.js';
import type { AccountsService } from '../accounts/index.js';
import type { Certificate, CertificatesService } from '../certificates/index.js';
import { childEmails } from './emails.js';
import { childPolicy, type AppliedTo, type ChildAction } from './policy.js';
import { children } from './schema.js';
import { fullName } from './format.js';
import type { Child } from './service.js';

export type StaffSearch =
  | { by: 'certificate'; number: string }
  | { by: 'person'; lastName: string; firstName: string; middleName?: string | undefined; birthDate: string }
  | { by: 'contact'; phone: string }
  | { by: 'contact'; email: string };

/** The parent (account holder) as the operator sees them on a child's page. */
export interface ParentContact {
  fullName: string;
  phone: string;
  email: string;
}

export interface StaffChildView {
  child: Child;
  certificate: Certificate | undefined;
  parent: ParentContact | null;
  /** Records of the same child in other accounts; `reachable` ones the operator may open. */
  matches: IdentityMatch[];
}

export interface IdentityMatch {
  id: string;
  municipalityId: number;
  dataStatus: Child['dataStatus'];
  certificateStatus: Certificate['status'] | null;
  reachable: boolean;
}

const other = alias(children, 'other');
/** Another account holds a record of the same child: ФИО + birth date, or СНИЛС. */
const sameChildElsewhere = and(
  ne(other.id, children.id),
  ne(other.ownerUserId, children.ownerUserId),
  or(eq(other.identityKey, children.identityKey), eq(other.snils, children.snils)),
);

type Operator = CurrentUser & { staff: NonNullable<CurrentUser['staff']> };

/** The confirmation queue's page size. */
export const QUEUE_PAGE_SIZE = 20;
/** How many children of one birth date in the operator's reach a name search compares (far above any real day). */
const SAME_BIRTH_DATE_LIMIT = 2000;

/** A name as people type it: trimmed, single spaces, lower case, ё as е — the search compares these. */
export function searchableName(value: string | null | undefined): string {
  return (value ?? '').trim().replace(/\s+/g, ' ').toLowerCase().replace(/ё/g, 'е');
}

/** Children waiting for the in-person confirmation in one municipality: how many and since when. */
export interface WaitingCount {
  municipalityId: number;
  count: number;
  oldest: Date | null;
}

/** In-person confirmation of children's data by operators. Every look at a child's data is audited. */
export function createConfirmationService(deps: {
  database: Database;
  mailer: Mailer;
  accounts: AccountsService;
  certificates: CertificatesService;
  baseUrl: string;
}) {
  const { database, mailer, accounts, certificates, baseUrl } = deps;
  const { db } = database;

  /** The child if the policy lets the operator `action` it; a refusal is audited. First in every method. */
  async function reachable(
    operator: Operator,
    childId: string,
    context: AuditContext,
    action: Extract<ChildAction, 'inspect' | 'confirm'> = 'inspect',
    applied?: AppliedTo,
  ): Promise<Child | null> {
    const [child] = await db.select().from(children).where(eq(children.id, childId));
    if (!child) return null;
    if (!childPolicy.can(operator, action, { ...child, applicationTo: applied?.organizationId ?? null })) {
      await audit(db, {
        actorUserId: operator.id,
        action: 'staff.child_access_denied',
        subjectType: 'child',
        subjectId: childId,
        context,
      });
      return null;
    }
    return child;
  }

  return {
    /** The child if the operator may work with it (a refusal is audited); checked before a form is read. */
    reachable,

    /** Children within the operator's reach matching a certificate number or ФИО + birth date. */
    async search(
      operator: Operator,
      query: StaffSearch,
      context: AuditContext,
    ): Promise<{ child: Child; certificate: Certificate | undefined }[]> {
      let found: Child[];
      const scope = childPolicy.scope(operator, 'inspect');
      if (query.by === 'certificate') {
        const certificate = await certificates.findByNumber(query.number);
        found = certificate
          ? await db
              .select()
              .from(children)
              .where(and(eq(children.id, certificate.childId), scope))
          : [];
      } else if (query.by === 'person') {
        // Compared here, not in SQL: lower() of Cyrillic depends on the database's locale (PGlite's is C).
        const wanted = {
          lastName: searchableName(query.lastName),
          firstName: searchableName(query.firstName),
          middleName: searchableName(query.middleName),
        };
        const sameDay = await db
          .select()
          .from(children)
          .where(and(eq(children.birthDate, query.birthDate), scope))
          .orderBy(asc(children.createdAt))
          .limit(SAME_BIRTH_DATE_LIMIT);
        found = sameDay
          .filter(
            (child) =>
              searchableName(child.lastName) === wanted.lastName &&
              searchableName(child.firstName) === wanted.firstName &&
              (!wanted.middleName || searchableName(child.middleName) === wanted.middleName),
          )
          .slice(0, 20);
      } else {
        const owners = await accounts.findByContact(
          'phone' in query ? { phone: query.phone } : { email: query.email },
        );
        found = owners.length
          ? await db
              .select()
              .from(children)
              .where(and(inArray(children.ownerUserId, owners), scope))
              .orderBy(asc(children.createdAt))
              .limit(50)
          : [];
      }
      await audit(db, {
        actorUserId: operator.id,
        action: 'staff.children_searched',
        details: {
          by: query.by === 'contact' ? ('phone' in query ? 'phone' : 'email') : query.by,
          results: found.map((child) => child.id),
        },
        context,
      });
      const issued = await certificates.forChildren(
        operator,
        found.map((child) => child.id),
      );
      return found.map((child) => ({ child, certificate: issued.get(child.id) }));
    },

    async open(operator: Operator, childId: string, context: AuditContext): Promise<StaffChildView | null> {
      const child = await reachable(operator, childId, context);
      if (!child) return null;
      await audit(db, {
        actorUserId: operator.id,
        action: 'staff.child_viewed',
        subjectType: 'child',
        subjectId: child.id,
        context,
      });
      const [issued, parent, others] = await Promise.all([
        certificates.forChildren(operator, [child.id]),
        accounts.getProfile(child.ownerUserId),
        db
          .select({
            id: other.id,
            ownerUserId: other.ownerUserId,
            municipalityId: other.municipalityId,
            dataStatus: other.dataStatus,
          })
          .from(children)
          .innerJoin(other, sameChildElsewhere)
          .where(eq(children.id, child.id))
          .limit(20),
      ]);
      const theirs = await certificates.forChildren(
        operator,
        others.map((record) => record.id),
      );
      const matches = others.map(({ ownerUserId, ...record }) => ({
        ...record,
        certificateStatus: theirs.get(record.id)?.status ?? null,
        reachable: childPolicy.can(operator, 'inspect', {
          ownerUserId,
          municipalityId: record.municipalityId,
        }),
      }));
      const contact = parent
        ? {
            fullName: [parent.lastName, parent.firstName, parent.middleName].filter(Boolean).join(' '),
            phone: parent.phone,
            email: parent.email,
          }
        : null;
      return { child, certificate: issued.get(child.id), parent: contact, matches };
    },

    /**
     * «Ожидают подтверждения»: unconfirmed children within the operator's reach, the longest waiting first,
     * a page at a time (the coordinator may narrow it to one municipality). The list shows names: audited.
     */
    async waitingQueue(
      operator: Operator,
      filter: { municipalityId?: number | undefined; page: number },
      context: AuditContext,
    ): Promise<{ items: { child: Child; certificate: Certificate | undefined }[]; total: number }> {
      const where = and(
        childPolicy.scope(operator, 'inspect'),
        eq(children.dataStatus, 'unconfirmed'),
        filter.municipalityId === undefined ? undefined : eq(children.municipalityId, filter.municipalityId),
      );
      const [found, [counted]] = await Promise.all([
        db
          .select()
          .from(children)
          .where(where)
          .orderBy(asc(children.createdAt), asc(children.id))
          .limit(QUEUE_PAGE_SIZE)
          .offset((filter.page - 1) * QUEUE_PAGE_SIZE),
        db.select({ total: count() }).from(children).where(where),
      ]);
      await audit(db, {
        actorUserId: operator.id,
        action: 'staff.children_listed',
        details: {
          status: 'waiting',
          municipalityId: filter.municipalityId ?? null,
          page: filter.page,
          results: found.map((child) => child.id),
        },
        context,
      });
      const issued = await certificates.forChildren(
        operator,
        found.map((child) => child.id),
      );
      return {
        items: found.map((child) => ({ child, certificate: issued.get(child.id) })),
        total: Number(counted?.total ?? 0),
      };
    },

    /** The workspace's counter: waiting children per municipality within the operator's reach (no names). */
    async waitingCounts(operator: Operator): Promise<WaitingCount[]> {
      const rows = await db
        .select({ municipalityId: children.municipalityId, count: count(), oldest: min(children.createdAt) })
        .from(children)
        .where(and(childPolicy.scope(operator, 'inspect'), eq(children.dataStatus, 'unconfirmed')))
        .groupBy(children.municipalityId);
      return rows.map((row) => ({ ...row, count: Number(row.count) }));
    },

    /**
     * «Совпадения данных»: unconfirmed children in the operator's reach whose identity (ФИО + birth date, or
     * СНИЛС) another account also registered — what the municipal administrator checks in person. Audited.
     */
    async matches(
      operator: Operator,
      context: AuditContext,
    ): Promise<{ child: Child; certificate: Certificate | undefined }[]> {
      const found = await db
        .select()
        .from(children)
        .where(
          and(
            childPolicy.scope(operator, 'inspect'),
            ne(children.dataStatus, 'confirmed'),
            sql`exists (select 1 from "children" as "other" where ${sameChildElsewhere})`,
          ),
        )
        .orderBy(desc(children.updatedAt))
        .limit(100);
      await audit(db, {
        actorUserId: operator.id,
        action: 'staff.identity_matches_viewed',
        details: { results: found.map((child) => child.id) },
        context,
      });
      const issued = await certificates.forChildren(
        operator,
        found.map((child) => child.id),
      );
      return found.map((child) => ({ child, certificate: issued.get(child.id) }));
    },

    /**
     * «Подтвердить данные»: records who, when and which document; activates the certificate; tells the parent.
     * 'identity_taken': another record of this child already holds an active certificate — nothing changes.
     * `applied`: the applications service vouches that the child applied to the operator's organization, whose
     * staff may then confirm (policy.ts); without it, the municipal administrator's and coordinator's reach.
     */
    async confirm(
      operator: Operator,
      childId: string,
      document: string,
      context: AuditContext,
      applied?: AppliedTo,
    ): Promise<'confirmed' | 'not_found' | 'already_confirmed' | 'identity_taken' | 'needs_administrator'> {
      const child = await reachable(operator, childId, context, 'confirm', applied);
      if (!child) return 'not_found';
      // Another family registered the same child: which record is real is the municipal administrator's call
      // (they see the match), not an organization's, whose confirmation would suspend the other certificate.
      const byApplication = !childPolicy.can(operator, 'inspect', child);
      const parent = await accounts.getProfile(child.ownerUserId);
      return database.transaction(async (tx) => {
        const [current] = await tx.db.select().from(children).where(eq(children.id, child.id)).for('update');
        if (!current || current.dataStatus === 'confirmed') return 'already_confirmed';
        if (byApplication && current.possibleDuplicate) {
          await audit(tx.db, {
            actorUserId: operator.id,
            action: 'staff.child_confirmation_refused',
            subjectType: 'child',
            subjectId: child.id,
            details: { reason: 'identity_match', applicationId: applied?.applicationId ?? null },
            context,
          });
          return 'needs_administrator';
        }
        if (
          (await certificates.activate(tx, operator, {
            ...current,
            applicationTo: applied?.organizationId ?? null,
          })) === 'identity_taken'
        ) {
          await audit(tx.db, {
            actorUserId: operator.id,
            action: 'staff.child_confirmation_refused',
            subjectType: 'child',
            subjectId: child.id,
            details: { reason: 'identity_taken' },
            context,
          });
          return 'identity_taken';
        }
        await tx.db
          .update(children)
          .set({
            dataStatus: 'confirmed',
            confirmedAt: new Date(),
            confirmedByUserId: operator.id,
            confirmedDocument: document,
            rejectionReason: null,
            updatedAt: new Date(),
          })
          .where(eq(children.id, child.id));
        await audit(tx.db, {
          actorUserId: operator.id,
          action: 'staff.child_confirmed',
          subjectType: 'child',
          subjectId: child.id,
          details: {
            role: operator.staff.role,
            organizationId: operator.staff.organizationId,
            ...(applied ? { applicationId: applied.applicationId } : {}),
          },
          context,
        });
        if (parent)
          await mailer.send(
            tx.sql,
            childEmails.dataConfirmed(parent.email, baseUrl, fullName(child, 'genitive')),
          );
        return 'confirmed';
      });
    },

    /** «Отклонить»: the parent sees the reason, fixes the data, and comes again. */
    async reject(
      operator: Operator,
      childId: string,
      reason: string,
      context: AuditContext,
    ): Promise<'rejected' | 'not_found' | 'already_confirmed'> {
      const child = await reachable(operator, childId, context, 'confirm');
      if (!child) return 'not_found';
      const parent = await accounts.getProfile(child.ownerUserId);
      return database.transaction(async (tx) => {
        const [updated] = await tx.db
          .update(children)
          .set({ dataStatus: 'rejected', rejectionReason: reason, updatedAt: new Date() })
          .where(and(eq(children.id, child.id), ne(children.dataStatus, 'confirmed')))
          .returning();
        if (!updated) return 'already_confirmed';
        await audit(tx.db, {
          actorUserId: operator.id,
          action: 'staff.child_rejected',
          subjectType: 'child',
          subjectId: child.id,
          context,
        });
        if (parent)
          await mailer.send(
            tx.sql,
            childEmails.dataRejected(parent.email, baseUrl, fullName(child, 'genitive'), reason),
          );
        return 'rejected';
      });
    },
  };
}

export type ConfirmationService = ReturnType<typeof createConfirmationService>;
export type { Operator };
