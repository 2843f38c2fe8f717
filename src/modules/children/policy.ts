import { eq, sql } from 'drizzle-orm';
import {
  isCoordinator,
  municipalityOf,
  overseesMunicipality,
  worksFor,
  type Actor,
  type ScopedPolicy,
} from '../../platform/access/policy.js';
import type { StaffRole } from '../../platform/http/request-context.js';
import { children } from './schema.js';

/**
 * Who may do what with a child's record (ADR 0017).
 * - The parent who added the child reads, edits, deletes it and asks for its certificate; nobody else does that.
 * - Staff inspect and confirm a child's data in person: the municipal administrator of the child's municipality
 *   and the regional coordinator. Staff of an organization confirm only a child who applied to their organization
 *   (`applicationTo`, vouched for by the applications service, which checked the application first); they see a
 *   child's data only through such an application (applications policy), never by looking the child up here.
 */
export type ChildAction = 'read' | 'update' | 'delete' | 'request_certificate' | 'inspect' | 'confirm';

export interface ChildResource {
  ownerUserId: string;
  municipalityId: number;
  /** The organization an application of this child was made to, when the applications service vouches for it. */
  applicationTo?: string | null;
}

/**
 * The fact «this child applied to a group of organization X», given by the applications service only after its own
 * policy let the operator act on that application: it fills `applicationTo` for the confirmation.
 */
export interface AppliedTo {
  organizationId: string;
  applicationId: string;
}

const OWNER_ACTIONS: readonly ChildAction[] = ['read', 'update', 'delete', 'request_certificate'];

export const childPolicy: ScopedPolicy<ChildResource, ChildAction> = {
  can(actor, action, child) {
    if (!actor) return false;
    if (OWNER_ACTIONS.includes(action)) return actor.id === child.ownerUserId;
    if (overseesMunicipality(actor, child.municipalityId)) return true;
    return action === 'confirm' && !!child.applicationTo && worksFor(actor, child.applicationTo);
  },

  scope(actor, action) {
    if (!actor) return sql`false`;
    if (OWNER_ACTIONS.includes(action)) return eq(children.ownerUserId, actor.id);
    if (isCoordinator(actor)) return undefined;
    const municipalityId = municipalityOf(actor);
    return municipalityId === null ? sql`false` : eq(children.municipalityId, municipalityId);
  },
};

/** Whether the operator's role finds children to confirm at all (the staff desk's search and matches). */
export function confirmsChildren(actor: Actor | null): boolean {
  return isCoordinator(actor) || municipalityOf(actor) !== null;
}

export const ROLE_LABELS: Record<StaffRole['role'], string> = {
  org_staff: 'Сотрудник организации',
  municipal_admin: 'Муниципальный администратор',
  coordinator: 'Региональный координатор',
};
