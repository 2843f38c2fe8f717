import { sql } from 'drizzle-orm';
import {
  isCoordinator,
  municipalityOf,
  overseesMunicipality,
  type Policy,
  type ScopedPolicy,
} from '../../platform/access/policy.js';
import { fundingPeriods } from './schema.js';

/** A municipality's funding settings, as the policy sees them. */
export interface FundingSettingsResource {
  municipalityId: number;
}

/**
 * Funding settings (ADR 0019): the municipality pays, so its administrator keeps its periods, categories, nominals
 * and quotas; the coordinator keeps every municipality's. Nobody else sees them here (parents see what concerns
 * their child on its card).
 */
export const fundingSettingsPolicy: ScopedPolicy<FundingSettingsResource, 'manage'> = {
  can: (actor, _action, settings) => overseesMunicipality(actor, settings.municipalityId),
  scope(actor) {
    if (isCoordinator(actor)) return undefined;
    const municipalityId = municipalityOf(actor);
    return municipalityId === null ? sql`false` : sql`${fundingPeriods.municipalityId} = ${municipalityId}`;
  },
};

/** A child's certificate as the funding request policy sees it. */
export interface FundingHolder {
  ownerUserId: string;
  municipalityId: number;
}

/**
 * «Подать заявление на финансирование» is the parent's; the parent, the municipal administrator of the child's
 * municipality and the coordinator see the certificate's funding and its place in the queue.
 */
export const fundingRequestPolicy: Policy<FundingHolder, 'request' | 'read'> = {
  can(actor, action, holder) {
    if (!actor) return false;
    const owner = actor.id === holder.ownerUserId;
    return action === 'request' ? owner : owner || overseesMunicipality(actor, holder.municipalityId);
  },
};

/**
 * A certified program's normative cost and the hourly rate it is computed from: the regional coordinator sets
 * them (they bind every municipality's money alike); everyone may read the split they give.
 */
export const normativeCostPolicy: Policy<{ programId: string }, 'set'> = {
  can: (actor) => isCoordinator(actor),
};
