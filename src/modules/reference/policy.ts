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
 * `keep_office`: its municipal administrator's office as parents see it (names, address, phones, e-mail, hours);
 * `set_limit`: how many free programs a child of the municipality may start in a year.
 */
export type MunicipalityAction = 'keep_office' | 'set_limit';

/**
 * Who keeps a municipality's office and limit (ADR 0017, ADR 0037). The office: its own municipal administrators
 * (they know when their phone or room changes) and the regional coordinator for every municipality. The limit of
 * free programs is the region's decision: the coordinator only. Everyone reads the offices on the public pages;
 * this policy is about changing them.
 */
export const municipalityPolicy: ScopedPolicy<MunicipalityResource, MunicipalityAction> = {
  can(actor, action, municipality) {
    switch (action) {
      case 'keep_office':
        return overseesMunicipality(actor, municipality.id);
      case 'set_limit':
        return isCoordinator(actor);
    }
  },
  scope(actor, action) {
    if (isCoordinator(actor)) return undefined;
    const own = municipalityOf(actor);
    return action === 'keep_office' && own !== null ? eq(municipalities.id, own) : sql`false`;
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
