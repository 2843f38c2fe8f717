import { eq, type SQL } from 'drizzle-orm';
import type { StaffRole } from '../../platform/http/request-context.js';
import { children } from './schema.js';

/**
 * Who among operators may see and confirm a child's data. A parent takes documents to any organization or
 * to the municipal administrator of the child's municipality, so both reach the children registered there;
 * the regional coordinator reaches every child. Nobody else sees a child but its parent.
 */
export function canReachChild(staff: StaffRole | null, child: { municipalityId: number }): boolean {
  if (!staff) return false;
  if (staff.role === 'coordinator') return true;
  return staff.municipalityId !== null && staff.municipalityId === child.municipalityId;
}

/** The same rule as a query condition, so searches never return a child out of reach. */
export function reachCondition(staff: StaffRole): SQL | undefined {
  if (staff.role === 'coordinator') return undefined;
  return eq(children.municipalityId, staff.municipalityId ?? -1);
}

export const ROLE_LABELS: Record<StaffRole['role'], string> = {
  org_staff: 'Сотрудник организации',
  municipal_admin: 'Муниципальный администратор',
  coordinator: 'Региональный координатор',
};
