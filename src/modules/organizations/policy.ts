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

export type OrganizationAction = 'read' | 'update' | 'oversee';

/** What the rule needs to know of an organization. */
export interface OrganizationFacts {
  id: string;
  municipalityId: number;
}

/**
 * Who may do what with an organization's profile.
 *
 * - `read` — the public profile (/organizations/:id, the API): anyone, a guest too. It carries only what the
 *   organization publishes about itself (contacts, ИНН/ОГРН, description).
 * - `update` — the organization's own staff, nobody else. The profile is the organization's public statement of
 *   its contacts and legal details, and the organization answers for it; the coordinator and the municipal
 *   administrator oversee programs (moderation) and staff, not the provider's self-description, and have no form
 *   for it. Giving them the write would widen who can change the phone parents call with nothing that needs it;
 *   a wrong profile is corrected by the organization at the administrator's request.
 * - `oversee` — see the organization among those an operator looks after (the workspace's «организации без
 *   сотрудников», whose staff the administrator invites): the municipal administrator of its municipality, and
 *   the coordinator for all.
 */
export const organizationPolicy: ScopedPolicy<OrganizationFacts, OrganizationAction> = {
  can(actor: Actor | null, action: OrganizationAction, organization: OrganizationFacts): boolean {
    switch (action) {
      case 'read':
        return true;
      case 'update':
        return worksFor(actor, organization.id);
      case 'oversee':
        return overseesMunicipality(actor, organization.municipalityId);
    }
  },

  scope(actor: Actor | null, action: OrganizationAction) {
    switch (action) {
      case 'read':
        return undefined;
      case 'update': {
        const own = organizationOf(actor);
        return own ? eq(organizations.id, own) : sql`false`;
      }
      case 'oversee': {
        if (isCoordinator(actor)) return undefined;
        const municipalityId = municipalityOf(actor);
        return municipalityId === null ? sql`false` : eq(organizations.municipalityId, municipalityId);
      }
    }
  },
};
