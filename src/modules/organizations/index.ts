// The organizations module's surface: other modules and the composition root import only from here.
import { organizationsRoutes } from './routes.js';
import { organizationsApi } from './api.js';
import { organizationStaffRoutes } from './staff-routes.js';
import { routeModules, type RouteModule } from '../../platform/http/app.js';
export { organizationPublicSchema } from './api-schemas.js';
export { CATEGORY_LABELS, ORGANIZATION_FORMS } from './labels.js';
export { ORGANIZATION_CATEGORIES, organizations } from './schema.js';
export type { OrganizationCategory } from './schema.js';
export { formValuesOf, OrganizationProfileFields } from './form.js';
export { newOrganizationSchema, organizationSchema, parseOrganizationForm } from './schemas.js';
export { createOrganizationsService, insertOrganizations } from './service.js';
export type {
  NewOrganization,
  Organization,
  OrganizationStaffMember,
  OrganizationsService,
  PublishedPrograms,
  StaffDirectory,
} from './service.js';

/** Every page and API route of the module, for the composition root. */
export function organizationsWeb(
  deps: Parameters<typeof organizationsRoutes>[0] &
    Parameters<typeof organizationsApi>[0] &
    Parameters<typeof organizationStaffRoutes>[0],
): RouteModule {
  return routeModules(organizationsRoutes(deps), organizationsApi(deps), organizationStaffRoutes(deps));
}
