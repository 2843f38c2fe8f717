// The workspace module's surface: the composition root imports only from here.
import { workspaceRoutes } from './routes.js';
import { routeModules, type RouteModule } from '../../platform/http/app.js';

/** The operators' landing page `/staff`, for the composition root. */
export function workspaceWeb(deps: Parameters<typeof workspaceRoutes>[0]): RouteModule {
  return routeModules(workspaceRoutes(deps));
}
