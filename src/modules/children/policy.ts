import { eq, sql, type SQL } from 'drizzle-orm';
import type { StaffRole } from '../../platform/http/request-context.js';
import { children } from './schema.js';

/**
 * Who among operators may see and confirm a child's data. A parent confirms the data in person with the
 * municipal administrator of the child's municipality, so the administrator reaches the children registered
 * there; the regional coordinator reaches every child. Organization staff reach no child here: they see a child
 * only through an application to their own group (applications module). Nobody else sees a child but its parent.
 */
export function canConfirmChildren(staff: StaffRole | null): boolean {
  return staff?.role === 'municipal_admin' || staff?.role === 'coordinator';
}

export function canReachChild(staff: StaffRole | null, child: { municipalityId: number }): boolean {
  if (!staff || !canConfirmChildren(staff)) return false;
  if (staff.role === 'coordinator') return true;
  return staff.municipalityId !== null && staff.municipalityId === child.municipalityId;
}

/**
 * The fact «this child applied to a group of organization X», supplied by the applications service only after it
 * checked that the application is to the acting operator's organization (issue 11 item 4). It lets the staff of
 * that organization confirm the child's data in person — confirm only: not search, open, or reject.
 */
export interface AppliedTo {
  organizationId: string;
  applicationId: string;
}

export function canConfirmAsApplicantsOrganization(staff: StaffRole | null, applied: AppliedTo): boolean {
  return staff?.role === 'org_staff' && staff.organizationId === applied.organizationId;
}

/** The same rule as a query condition, so searches never return a child out of reach. */
export function reachCondition(staff: StaffRole): SQL | undefined {
  if (staff.role === 'coordinator') return undefined;
  if (!canConfirmChildren(staff)) return sql`false`;
  return eq(children.municipalityId, staff.municipalityId ?? -1);
}

export const ROLE_LABELS: Record<StaffRole['role'], string> = {
  org_staff: 'Сотрудник организации',
  municipal_admin: 'Муниципальный администратор',
  coordinator: 'Региональный координатор',
};
