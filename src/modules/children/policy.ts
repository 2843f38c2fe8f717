import { eq, sql, type SQL } from 'drizzle-orm';
import type { StaffRole } from '../../platform/http/request-context.js';
import { children } from './schema.js';

/**
 * Who among operators may see and confirm a child's data: the municipal administrator of the child's
 * municipality, and the regional coordinator for every child. Organization staff see a child only through an
 * application to their own group (the applications module), never by search or the confirmation pages.
 */
export function canReachChild(staff: StaffRole | null, child: { municipalityId: number }): boolean {
  if (!staff) return false;
  if (staff.role === 'coordinator') return true;
  if (staff.role !== 'municipal_admin') return false;
  return staff.municipalityId !== null && staff.municipalityId === child.municipalityId;
}

/** The same rule as a query condition, so searches never return a child out of reach. */
export function reachCondition(staff: StaffRole): SQL | undefined {
  if (staff.role === 'coordinator') return undefined;
  if (staff.role !== 'municipal_admin') return sql`false`;
  return eq(children.municipalityId, staff.municipalityId ?? -1);
}

export const ROLE_LABELS: Record<StaffRole['role'], string> = {
  org_staff: 'Сотрудник организации',
  municipal_admin: 'Муниципальный администратор',
  coordinator: 'Региональный координатор',
};
