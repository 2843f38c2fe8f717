import { eq, sql } from 'drizzle-orm';
import {
  isCoordinator,
  municipalityOf,
  organizationOf,
  overseesMunicipality,
  worksFor,
  type Actor,
  type ScopedPolicy,
} from '../../platform/access/policy.js';
import { organizations } from './schema.js';

export type OrganizationAction = 'read' | 'create' | 'update' | 'manage' | 'oversee';

/** What the rule needs to know of an organization (for `create`: the municipality it is to be in). */
export interface OrganizationFacts {
  id: string | null;
  municipalityId: number;
}

/**
 * Who may do what with an organization (ADR 0027).
 *
 * - `read` — the public profile (/organizations/:id, the API): anyone, a guest too. It carries only what the
 *   organization publishes about itself (contacts, ИНН/ОГРН, description). An archived one is not shown (a state,
 *   not a permission: the service filters it).
 * - `create` — onboard an organization in a municipality: its municipal administrator, and the coordinator in any.
 * - `update` — the descriptive profile (names, addresses, contacts, hours, head, description): the organization's
 *   own staff, the municipal administrator of its municipality and the coordinator. The organization answers for
 *   its public statement; the administrator who onboarded it corrects it at the organization's request.
 * - `manage` — the legal details (ИНН, КПП, ОГРН), archive and restore, the staff card and the invitation of its
 *   staff: the municipal administrator of its municipality and the coordinator, never the organization itself
 *   (its identity in the register is not its own to change).
 * - `oversee` — see the organization among those an operator looks after (/staff/organizations, the workspace's
 *   «организации без сотрудников»): the same as `manage`.
 */
export const organizationPolicy: ScopedPolicy<OrganizationFacts, OrganizationAction> = {
  can(actor: Actor | null, action: OrganizationAction, organization: OrganizationFacts): boolean {
    switch (action) {
      case 'read':
        return true;
      case 'create':
        return organization.id === null && overseesMunicipality(actor, organization.municipalityId);
      case 'update':
        return (
          (organization.id !== null && worksFor(actor, organization.id)) ||
          overseesMunicipality(actor, organization.municipalityId)
        );
      case 'manage':
      case 'oversee':
        return organization.id !== null && overseesMunicipality(actor, organization.municipalityId);
    }
  },

  scope(actor: Actor | null, action: OrganizationAction) {
    switch (action) {
      case 'read':
        return undefined;
      case 'create':
        return sql`false`;
      case 'update': {
        if (isCoordinator(actor)) return undefined;
        const own = organizationOf(actor);
        if (own) return eq(organizations.id, own);
        const municipalityId = municipalityOf(actor);
        return municipalityId === null ? sql`false` : eq(organizations.municipalityId, municipalityId);
      }
      case 'manage':
      case 'oversee': {
        if (isCoordinator(actor)) return undefined;
        const municipalityId = municipalityOf(actor);
        return municipalityId === null ? sql`false` : eq(organizations.municipalityId, municipalityId);
      }
    }
  },
};
