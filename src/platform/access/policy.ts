import type { SQL } from 'drizzle-orm';
import type { StaffRole } from '../http/request-context.js';

/**
 * Whoever acts on someone's data: a signed-in person — a parent, or an operator whose one staff role carries its
 * reach (a municipality, an organization, the whole region). `CurrentUser` and `Operator` are Actors as they are.
 * A guest is `null`. Background jobs act for nobody and read no one's data on anyone's behalf.
 */
export interface Actor {
  id: string;
  emailVerified: boolean;
  staff: StaffRole | null;
}

/**
 * The one shape of every resource's policy (ADR 0017): `can` answers for one object, `scope` gives the same rule as
 * an SQL condition for lists (undefined: no limit; `sql\`false\``: nothing). Both are pure: the service loads the
 * object (with the facts the rule needs) and asks before doing any other work.
 */
export interface Policy<Resource, Action extends string> {
  can(actor: Actor | null, action: Action, resource: Resource): boolean;
}

export interface ScopedPolicy<Resource, Action extends string> extends Policy<Resource, Action> {
  scope(actor: Actor | null, action: Action): SQL | undefined;
}

/** Thrown by `authorize`; the central error handler answers 404, so nobody learns that the object exists. */
export class AccessDenied extends Error {
  readonly statusCode = 404;
  readonly code = 'not_found';
  constructor(readonly action: string) {
    super(`access denied: ${action}`);
  }
}

/** `can`, or throw: for service methods whose callers have nothing better to do than answer «не найдено». */
export function authorize<Resource, Action extends string>(
  policy: Policy<Resource, Action>,
  actor: Actor | null,
  action: Action,
  resource: Resource | null | undefined,
): asserts resource is Resource {
  if (resource === null || resource === undefined || !policy.can(actor, action, resource)) {
    throw new AccessDenied(action);
  }
}

// The reach of the three staff roles, in one place. A staff role without its municipality or organization
// reaches nothing (the database's staff_roles_reach_ck keeps that from happening).

export function isCoordinator(actor: Actor | null): boolean {
  return actor?.staff?.role === 'coordinator';
}

/** The municipal administrator of this municipality. */
export function administers(actor: Actor | null, municipalityId: number): boolean {
  return actor?.staff?.role === 'municipal_admin' && actor.staff.municipalityId === municipalityId;
}

/** The coordinator, or the municipal administrator of this municipality. */
export function overseesMunicipality(actor: Actor | null, municipalityId: number): boolean {
  return isCoordinator(actor) || administers(actor, municipalityId);
}

/** Staff of this organization. */
export function worksFor(actor: Actor | null, organizationId: string): boolean {
  return actor?.staff?.role === 'org_staff' && actor.staff.organizationId === organizationId;
}

/** The organization an org-staff actor works for, else null. */
export function organizationOf(actor: Actor | null): string | null {
  return actor?.staff?.role === 'org_staff' ? actor.staff.organizationId : null;
}

/** The municipality a municipal administrator administers, else null. */
export function municipalityOf(actor: Actor | null): number | null {
  return actor?.staff?.role === 'municipal_admin' ? actor.staff.municipalityId : null;
}
