import type { Operator } from '../../platform/http/request-context.js';
import type { ApplicationsService, OrganizationWorkload } from '../applications/index.js';
import type { ConfirmationService } from '../children/index.js';
import type { OrganizationsService } from '../organizations/index.js';
import type { ProviderService } from '../programs/index.js';
import type { SupportRequestsService } from '../support/index.js';

/** One municipality's row of the coordinator's table (and the totals of a municipal administrator). */
export interface MunicipalityLoad {
  municipalityId: number;
  waitingChildren: number;
  oldestWaiting: Date | null;
  awaitingModeration: number;
  organizationsWithoutStaff: number;
  /** «Обращения»: support requests new or in work. */
  openRequests: number;
}

export type Desk =
  | {
      role: 'org_staff';
      organizationName: string;
      workload: OrganizationWorkload;
      returnedPrograms: number;
    }
  | {
      role: 'municipal_admin' | 'coordinator';
      municipalityId: number | null;
      total: Omit<MunicipalityLoad, 'municipalityId'>;
      municipalities: MunicipalityLoad[];
    };

/**
 * The counters of the workspace. Each is an aggregate the owning module computes within its policy's scope
 * (children, applications, programs, organizations): the workspace only adds them up, and shows no one's data.
 */
export function createWorkspaceService(deps: {
  confirmation: ConfirmationService;
  applications: ApplicationsService;
  provider: ProviderService;
  organizations: OrganizationsService;
  supportRequests: Pick<SupportRequestsService, 'openCounts'>;
}) {
  const { confirmation, applications, provider, organizations, supportRequests } = deps;
  return {
    async desk(operator: Operator): Promise<Desk> {
      if (operator.staff.role === 'org_staff') {
        const [organization, workload, programs] = await Promise.all([
          operator.staff.organizationId ? organizations.get(operator.staff.organizationId) : null,
          applications.workload(operator),
          provider.workload(operator),
        ]);
        return {
          role: 'org_staff',
          organizationName: organization?.shortName ?? 'Организация',
          workload,
          returnedPrograms: programs.returned,
        };
      }
      const [waiting, programs, withoutStaff, requests] = await Promise.all([
        confirmation.waitingCounts(operator),
        provider.workload(operator),
        organizations.withoutStaff(operator),
        supportRequests.openCounts(operator),
      ]);
      const rows = new Map<number, MunicipalityLoad>();
      const row = (municipalityId: number) => {
        let found = rows.get(municipalityId);
        if (!found) {
          found = {
            municipalityId,
            waitingChildren: 0,
            oldestWaiting: null,
            awaitingModeration: 0,
            organizationsWithoutStaff: 0,
            openRequests: 0,
          };
          rows.set(municipalityId, found);
        }
        return found;
      };
      for (const item of waiting) {
        Object.assign(row(item.municipalityId), { waitingChildren: item.count, oldestWaiting: item.oldest });
      }
      for (const item of programs.awaitingModeration)
        row(item.municipalityId).awaitingModeration = item.count;
      for (const item of withoutStaff) row(item.municipalityId).organizationsWithoutStaff = item.count;
      for (const item of requests) row(item.municipalityId).openRequests = item.count;
      const municipalities = [...rows.values()];
      const oldest = municipalities
        .map((item) => item.oldestWaiting)
        .filter((date): date is Date => date !== null)
        .sort((a, b) => a.getTime() - b.getTime())[0];
      return {
        role: operator.staff.role,
        municipalityId: operator.staff.role === 'municipal_admin' ? operator.staff.municipalityId : null,
        total: {
          waitingChildren: sum(municipalities, 'waitingChildren'),
          oldestWaiting: oldest ?? null,
          awaitingModeration: sum(municipalities, 'awaitingModeration'),
          organizationsWithoutStaff: sum(municipalities, 'organizationsWithoutStaff'),
          openRequests: sum(municipalities, 'openRequests'),
        },
        municipalities,
      };
    },
  };
}

function sum(
  rows: MunicipalityLoad[],
  key: 'waitingChildren' | 'awaitingModeration' | 'organizationsWithoutStaff' | 'openRequests',
) {
  return rows.reduce((total, item) => total + item[key], 0);
}
