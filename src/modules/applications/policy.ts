import { sql, type SQL } from 'drizzle-orm';
import { organizationOf, worksFor, type Actor, type ScopedPolicy } from '../../platform/access/policy.js';

/**
 * Who may do what with an application (issue 11 items 1 and 4).
 *
 * - The applicant — the parent whose child it is — reads it on «Заявки» (`read`), cancels it or declines an
 *   offered place (`cancel`), takes an offered place (`take_offer`) and asks to leave (`leave`).
 * - Staff of the group's organization review it with the parent's contacts (`review`), decide on it (`accept`,
 *   `reject`, `expel`, `complete`) and, when the child's data are not yet confirmed, confirm them in person with
 *   the documents the parent brings (`confirm_child`): a provider reaches a child only through an application to
 *   its own group.
 * - Nobody else: municipal administrators and the coordinator reach children through the children module (their
 *   municipality's, the region's), not through applications, and no page of theirs shows applications; reading
 *   them would hand a child's choice of clubs and the parent's contacts to people who have no work with it.
 *   Staff of another organization, and guests, reach none.
 *
 * Whether the change is possible now (the status) is the service's business after this check; an application out
 * of reach is «not found».
 */
export type ApplicationAction =
  | 'read'
  | 'cancel'
  | 'take_offer'
  | 'leave'
  | 'review'
  | 'accept'
  | 'reject'
  | 'expel'
  | 'complete'
  | 'confirm_child';

/** The facts the rules need, loaded with the application. */
export interface ApplicationFacts {
  applicantUserId: string;
  organizationId: string;
}

const APPLICANT_ACTIONS: readonly ApplicationAction[] = ['read', 'cancel', 'take_offer', 'leave'];

/**
 * `scope` is a condition over `applications a`: for `read` the applicant's own (the parent's «Заявки»), for the
 * staff actions the organization's (the provider's list), else nothing.
 */
export const applicationPolicy: ScopedPolicy<ApplicationFacts, ApplicationAction> = {
  can(actor, action, application) {
    if (!actor) return false;
    if (APPLICANT_ACTIONS.includes(action)) return application.applicantUserId === actor.id;
    return worksFor(actor, application.organizationId);
  },
  scope(actor, action) {
    if (!actor) return sql`false`;
    if (APPLICANT_ACTIONS.includes(action)) return sql`a.applicant_user_id = ${actor.id}`;
    const organizationId = organizationOf(actor);
    return organizationId ? sql`a.organization_id = ${organizationId}` : sql`false`;
  },
};

/**
 * What staff of an organization do with one of its groups: read the roster with the children's and parents'
 * data (and export it), file an application for a parent who came in person, choose whether applications are
 * accepted at once. Only staff of the group's organization.
 */
export type GroupAction = 'roster' | 'file_in_person' | 'auto_accept';

export interface GroupFacts {
  organizationId: string;
}

/** `scope` is a condition over `programs p` (the group's program): the actor's organization's groups. */
export const groupEnrolmentPolicy: ScopedPolicy<GroupFacts, GroupAction> = {
  can(actor: Actor | null, _action, group) {
    return worksFor(actor, group.organizationId);
  },
  scope(actor): SQL {
    const organizationId = organizationOf(actor);
    return organizationId ? sql`p.organization_id = ${organizationId}` : sql`false`;
  },
};

/**
 * A cabinet notice about a status change is its addressee's alone (the applicant's account): they read it and mark
 * it read (`read`). Nobody else, staff included, reaches it; one out of reach is «not found».
 */
export type NoticeAction = 'read';

export interface NoticeFacts {
  userId: string;
}

/** `scope` is a condition over `application_notices n`: the actor's own notices. */
export const noticePolicy: ScopedPolicy<NoticeFacts, NoticeAction> = {
  can(actor, _action, notice) {
    return actor !== null && notice.userId === actor.id;
  },
  scope(actor) {
    return actor ? sql`n.user_id = ${actor.id}` : sql`false`;
  },
};
