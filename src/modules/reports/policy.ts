import { administers, isCoordinator, municipalityOf, type Policy } from '../../platform/access/policy.js';

/** A report as its policy sees it: one municipality's figures, or the whole region's (`null`). */
export interface ReportResource {
  municipalityId: number | null;
}

/** `read` a report (its page and its exports); `update_population`: the children 5–18 a municipality has. */
export type ReportAction = 'read' | 'update_population';

/**
 * Who sees the region's figures (ADR 0029): the municipal administrator their municipality's, the coordinator
 * every municipality's and the region's; the coordinator alone enters the child population. Organization staff
 * and parents see no report. Reports are aggregates: they show no one's data.
 */
export const reportPolicy: Policy<ReportResource, ReportAction> = {
  can(actor, action, report) {
    if (isCoordinator(actor)) return true;
    if (action !== 'read' || report.municipalityId === null) return false;
    return administers(actor, report.municipalityId);
  },
};

/**
 * The municipality a report may show for this operator: the one asked for if the policy allows it, the
 * administrator's own when none is asked, the region (`null`) for the coordinator; `undefined` when refused.
 */
export function reportMunicipality(
  actor: Parameters<typeof reportPolicy.can>[0],
  requested: number | null,
): number | null | undefined {
  const municipalityId = requested ?? municipalityOf(actor);
  return reportPolicy.can(actor, 'read', { municipalityId }) ? municipalityId : undefined;
}
