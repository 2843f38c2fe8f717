import { sql } from 'drizzle-orm';
import { isCoordinator, type ScopedPolicy } from '../../platform/access/policy.js';

/** A municipality as its policy sees it. */
export interface MunicipalityResource {
  id: number;
}

/** `update`: its municipal administrator's office (what parents are sent to) and its free-programs limit. */
export type MunicipalityAction = 'update';

/**
 * Who keeps a municipality's office and limits (ADR 0017): the regional coordinator, for every municipality. A
 * municipal administrator does not edit even their own: the limit of free programs is the region's decision,
 * and the office is where the region sends parents, so both stay with the coordinator. Everyone reads the
 * offices on the public pages; this policy is about changing them.
 */
export const municipalityPolicy: ScopedPolicy<MunicipalityResource, MunicipalityAction> = {
  can(actor) {
    return isCoordinator(actor);
  },
  scope(actor) {
    return isCoordinator(actor) ? undefined : sql`false`;
  },
};
