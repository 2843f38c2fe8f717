import { and, eq, sql } from 'drizzle-orm';
import {
  administers,
  isCoordinator,
  municipalityOf,
  type Actor,
  type Policy,
  type ScopedPolicy,
} from '../../platform/access/policy.js';
import type { StaffRole } from '../../platform/http/request-context.js';
import { staffRoles, users } from './schema.js';

/**
 * A staff account as its policy sees it: the role it holds and the reach of that role. For organization staff
 * `municipalityId` is their organization's municipality (taken from the organization when they are invited).
 */
export type StaffAccount = StaffRole;

export type StaffAccountAction = 'read' | 'invite' | 'update' | 'disable';

/**
 * Who manages which operators' accounts (ADR 0017).
 * - The regional coordinator manages every staff account: municipal administrators, organization staff and the
 *   other coordinators. A coordinator is not invited from a screen, though: that account is made with the admin
 *   command (`npm run admin -- user:create`) by whoever runs the deployment.
 * - A municipal administrator manages the staff of organizations in their own municipality, and nobody else:
 *   not other administrators, not organization staff of another municipality.
 * - Organization staff, parents and guests manage nobody. Everyone keeps their own account (`accountPolicy`).
 */
export const staffAccountPolicy: ScopedPolicy<StaffAccount, StaffAccountAction> = {
  can(actor, action, account) {
    if (isCoordinator(actor)) return action !== 'invite' || account.role !== 'coordinator';
    return (
      account.role === 'org_staff' &&
      account.municipalityId !== null &&
      administers(actor, account.municipalityId)
    );
  },

  scope(actor) {
    if (isCoordinator(actor)) return undefined;
    const municipalityId = municipalityOf(actor);
    if (municipalityId === null) return sql`false`;
    return and(eq(staffRoles.role, 'org_staff'), eq(staffRoles.municipalityId, municipalityId));
  },
};

/**
 * Which kind of operator this actor's «Сотрудники» screen lists and invites: the coordinator keeps the municipal
 * administrators, a municipal administrator the staff of their municipality's organizations; null for anyone else.
 */
export function staffKindManagedBy(actor: Actor | null): 'municipal_admin' | 'org_staff' | null {
  if (isCoordinator(actor)) return 'municipal_admin';
  return municipalityOf(actor) === null ? null : 'org_staff';
}

/** One's own account: the profile, the password, the e-mail address. */
export interface Account {
  id: string;
}

export type AccountAction = 'read' | 'update' | 'change_password' | 'change_email';

/**
 * Only the owner reads and changes their account — a parent's and an operator's alike. Nobody else does, staff
 * included: a municipal administrator sees a parent's contacts only through the child they reach (children), and
 * organization staff only through an application to their group (applications).
 */
export const accountPolicy: Policy<Account, AccountAction> = {
  can(actor, _action, account) {
    return actor !== null && actor.id === account.id;
  },
};

/**
 * An account as the support desk sees it: the municipality it belongs to — a parent's is the one of their profile,
 * an operator's the one of their role — and the staff role it holds, if any.
 */
export interface AssistedAccount {
  id: string;
  municipalityId: number | null;
  role: StaffRole['role'] | null;
}

/** Looking at an account's state and letters, and helping with it (a letter again, the address, a lock). */
export type AssistedAccountAction = 'inspect' | 'assist';

const RANK: Record<StaffRole['role'], number> = { org_staff: 1, municipal_admin: 2, coordinator: 3 };

/**
 * The support desk «письмо не пришло» (ADR 0028). The regional coordinator helps every account in the region, a
 * municipal administrator those of their municipality. Either only below their own role: a parent's account, and
 * an operator's of a lower role — a municipal administrator may not touch another administrator's or the
 * coordinator's account, nor a coordinator another coordinator's; everyone keeps their own account in the cabinet.
 * Inspecting and helping go together: whoever may see the state may act on it. Nobody else does.
 */
export const assistedAccountPolicy: ScopedPolicy<AssistedAccount, AssistedAccountAction> = {
  can(actor, _action, account) {
    const role = actor?.staff?.role;
    if (!actor || (role !== 'coordinator' && role !== 'municipal_admin')) return false;
    if (account.id === actor.id) return false;
    if (account.role !== null && RANK[account.role] >= RANK[role]) return false;
    return (
      isCoordinator(actor) || (account.municipalityId !== null && administers(actor, account.municipalityId))
    );
  },

  scope(actor) {
    if (!actor) return sql`false`;
    const role = actor.staff?.role;
    if (role === 'coordinator')
      return sql`(${staffRoles.role} is null or ${staffRoles.role} <> 'coordinator') and ${users.id} <> ${actor.id}`;
    const municipalityId = municipalityOf(actor);
    if (municipalityId === null) return sql`false`;
    return sql`(${staffRoles.role} is null or ${staffRoles.role} = 'org_staff') and coalesce(${staffRoles.municipalityId}, ${users.municipalityId}) = ${municipalityId}`;
  },
};
