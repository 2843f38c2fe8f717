import { eq, sql } from 'drizzle-orm';
import {
  isCoordinator,
  municipalityOf,
  overseesMunicipality,
  type ScopedPolicy,
} from '../../platform/access/policy.js';
import { supportRequests } from './schema.js';

export interface SupportRequestResource {
  municipalityId: number;
}

export type SupportRequestAction = 'read' | 'answer';

/**
 * A support request goes to the municipal administrator of its municipality; the regional coordinator sees and
 * answers every one. Nobody else reads them — the asker gets the answer by e-mail.
 */
export const supportRequestPolicy: ScopedPolicy<SupportRequestResource, SupportRequestAction> = {
  can(actor, _action, request) {
    return overseesMunicipality(actor, request.municipalityId);
  },
  scope(actor) {
    if (isCoordinator(actor)) return undefined;
    const municipalityId = municipalityOf(actor);
    return municipalityId === null ? sql`false` : eq(supportRequests.municipalityId, municipalityId);
  },
};
