import { or, sql, type SQL } from 'drizzle-orm';
import {
  isCoordinator,
  municipalityOf,
  organizationOf,
  overseesMunicipality,
  worksFor,
  type Actor,
  type ScopedPolicy,
} from '../../platform/access/policy.js';
import { certificates } from './schema.js';

/**
 * A certificate as its policy sees it: the facts of the child who holds it. `applicationTo` is the organization an
 * application of the child was made to, filled in only by the applications service after its own policy allowed
 * the actor that application (ADR 0017).
 */
export interface CertificateResource {
  ownerUserId: string;
  municipalityId: number;
  applicationTo?: string | null;
}

/**
 * `read` the number and status; `issue` it («Получить сертификат»); `update` its holder's identity when the parent
 * edits the child (ADR 0015); `activate` it when the child's data are confirmed in person.
 */
export type CertificateAction = 'read' | 'issue' | 'update' | 'activate';

const OWNER_ACTIONS: readonly CertificateAction[] = ['issue', 'update'];

/**
 * Who may do what with a child's certificate (ADR 0017) — the child policy's reach, seen from the certificate:
 * - the parent who added the child asks for it, sees it, and their edits of the child move it along;
 * - the municipal administrator of the child's municipality and the coordinator see it and activate it when they
 *   confirm the child's data;
 * - staff of an organization see and activate it only for a child who applied to their organization.
 * Looking a certificate up by its number is not a read of this policy: the staff desk's search scopes what it
 * finds by the child policy, and in-person filing asks for the birth date too, limited and audited (applications).
 */
export const certificatePolicy: ScopedPolicy<CertificateResource, CertificateAction> = {
  can(actor, action, holder) {
    if (!actor) return false;
    const owner = actor.id === holder.ownerUserId;
    if (OWNER_ACTIONS.includes(action)) return owner;
    const staffReach =
      overseesMunicipality(actor, holder.municipalityId) ||
      (!!holder.applicationTo && worksFor(actor, holder.applicationTo));
    return action === 'read' ? owner || staffReach : staffReach;
  },

  scope(actor, action) {
    if (!actor) return sql`false`;
    const owned = sql`exists (select 1 from children c where c.id = ${certificates.childId} and c.owner_user_id = ${actor.id})`;
    if (OWNER_ACTIONS.includes(action)) return owned;
    if (isCoordinator(actor)) return undefined;
    const reach = staffScope(actor);
    if (action === 'read') return reach ? or(owned, reach) : owned;
    return reach ?? sql`false`;
  },
};

/** The certificates an operator reaches through children: their municipality's, or their organization's applicants'. */
function staffScope(actor: Actor): SQL | undefined {
  const municipalityId = municipalityOf(actor);
  if (municipalityId !== null)
    return sql`exists (select 1 from children c where c.id = ${certificates.childId} and c.municipality_id = ${municipalityId})`;
  const organizationId = organizationOf(actor);
  if (organizationId !== null)
    return sql`exists (select 1 from applications a where a.child_id = ${certificates.childId} and a.organization_id = ${organizationId})`;
  return undefined;
}
