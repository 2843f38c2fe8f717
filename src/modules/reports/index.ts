// The reports module's surface: the composition root imports only from here.
import { reportsRoutes } from './routes.js';
import { routeModules, type RouteModule } from '../../platform/http/app.js';
export { REPORTS, createReportsService } from './service.js';
export type { ReportsService } from './service.js';
export { reportJobs } from './jobs.js';

/** `/staff/reports` and the population form, for the composition root. */
export function reportsWeb(deps: Parameters<typeof reportsRoutes>[0]): RouteModule {
  return routeModules(reportsRoutes(deps));
}
