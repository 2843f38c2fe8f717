import { eq, sql } from 'drizzle-orm';
import {
  isCoordinator,
  municipalityOf,
  overseesMunicipality,
  type Policy,
  type ScopedPolicy,
} from '../../platform/access/policy.js';
import { municipalities } from './schema.js';

/** A municipality as its policy sees it. */
export interface MunicipalityResource {
  id: number;
}

/**
 * `keep_office`: its municipal administrator's office as parents see it (names, address, phones, e-mail, hours).
 * The number of free programs per child is a funding period's setting now (ADR 0039).
 */
export type MunicipalityAction = 'keep_office';

/**
 * Who keeps a municipality's office (ADR 0017, ADR 0037): its own municipal administrators (they know when their
 * phone or room changes) and the regional coordinator for every municipality. Everyone reads the offices on the
 * public pages; this policy is about changing them.
 */
export const municipalityPolicy: ScopedPolicy<MunicipalityResource, MunicipalityAction> = {
  can: (actor, _action, municipality) => overseesMunicipality(actor, municipality.id),
  scope(actor) {
    if (isCoordinator(actor)) return undefined;
    const own = municipalityOf(actor);
    return own !== null ? eq(municipalities.id, own) : sql`false`;
  },
};

/** The regional coordinator's own contacts (one for the region). */
export type RegionalOfficeAction = 'keep';

/** The regional coordinator keeps the region's line of /contacts; a municipal administrator does not. */
export const regionalOfficePolicy: Policy<Record<string, never>, RegionalOfficeAction> = {
  can(actor) {
    return isCoordinator(actor);
  },
};
