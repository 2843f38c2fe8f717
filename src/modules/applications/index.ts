// The applications module's surface: other modules and the composition root import only from here.
import { applicationsRoutes } from './routes.js';
import { staffApplicationsRoutes } from './staff-routes.js';
import { applicationsApi } from './api.js';
import { noticesRoutes } from './notice-routes.js';
import { routeModules, type RouteModule } from '../../platform/http/app.js';
export { applicationJobs } from './jobs.js';
export { openPlaces, placesColumns } from './places.js';
export { childHasApplications, createApplicationQueries } from './queries.js';
export { createApplicationsService } from './service.js';
export { createNoticesService } from './notices.js';
export type { NoticesService } from './notices.js';
export type { ApplicationsService } from './service.js';
export type { OrganizationWorkload } from './queries.js';

/** Every page and API route of the module, for the composition root. */
export function applicationsWeb(
  deps: Parameters<typeof applicationsRoutes>[0] &
    Parameters<typeof staffApplicationsRoutes>[0] &
    Parameters<typeof applicationsApi>[0] &
    Parameters<typeof noticesRoutes>[0],
): RouteModule {
  return routeModules(
    applicationsRoutes(deps),
    staffApplicationsRoutes(deps),
    applicationsApi(deps),
    noticesRoutes(deps),
  );
}
