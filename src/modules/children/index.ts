// The children module's surface: other modules and the composition root import only from here.
import { childrenRoutes } from './routes.js';
import { staffRoutes } from './staff-routes.js';
import { childrenApi } from './api.js';
import { routeModules, type RouteModule } from '../../platform/http/app.js';
export { createConfirmationService } from './confirmation.js';
export { createChildrenService } from './service.js';
export type { Child, ChildrenService } from './service.js';
export { confirmSchema } from './staff-schemas.js';
export type { ConfirmationService, WaitingCount } from './confirmation.js';
export { ChildResult, waitingFor } from './staff-views.js';
export type { SearchResult as StaffChildResult } from './staff-views.js';

/** Every page and API route of the module, for the composition root. */
export function childrenWeb(
  deps: Parameters<typeof childrenRoutes>[0] &
    Parameters<typeof staffRoutes>[0] &
    Parameters<typeof childrenApi>[0],
): RouteModule {
  return routeModules(childrenRoutes(deps), staffRoutes(deps), childrenApi(deps));
}
