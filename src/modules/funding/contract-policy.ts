import { sql } from 'drizzle-orm';
import {
  isCoordinator,
  municipalityOf,
  organizationOf,
  overseesMunicipality,
  worksFor,
  type ScopedPolicy,
} from '../../platform/access/policy.js';
import { fundingContracts } from './schema.js';

/** A contract as its policy sees it. */
export interface ContractFacts {
  parentUserId: string;
  organizationId: string;
  municipalityId: number;
}

export type ContractAction = 'read' | 'read_own' | 'confirm' | 'accept' | 'decline' | 'terminate';

/**
 * «Договор об образовании» (ADR 0034): the parent (the party who accepts the offer) reads, accepts, declines and
 * gives notice; the provider's staff read, confirm and terminate their organization's contracts; the municipal
 * administrator (the payer) reads their municipality's; the coordinator reads all. `read_own` is the parent's
 * list, `read` the staff lists.
 */
export const contractPolicy: ScopedPolicy<ContractFacts, ContractAction> = {
  can(actor, action, contract) {
    if (!actor) return false;
    const parent = actor.id === contract.parentUserId;
    switch (action) {
      case 'read':
        return (
          parent ||
          worksFor(actor, contract.organizationId) ||
          overseesMunicipality(actor, contract.municipalityId)
        );
      case 'read_own':
      case 'accept':
      case 'decline':
        return parent;
      case 'confirm':
        return worksFor(actor, contract.organizationId);
      case 'terminate':
        return parent || worksFor(actor, contract.organizationId);
    }
  },
  scope(actor, action) {
    if (!actor) return sql`false`;
    if (action === 'read_own') return sql`${fundingContracts.parentUserId} = ${actor.id}`;
    if (isCoordinator(actor)) return undefined;
    const organizationId = organizationOf(actor);
    if (organizationId) return sql`${fundingContracts.organizationId} = ${organizationId}`;
    const municipalityId = municipalityOf(actor);
    if (municipalityId !== null) return sql`${fundingContracts.municipalityId} = ${municipalityId}`;
    return sql`false`;
  },
};
