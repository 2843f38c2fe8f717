// The admin module's surface: other modules and the composition root import only from here.
import { adminRoutes } from './routes.js';
import { municipalitiesRoutes } from './municipalities.js';
import { routeModules, type RouteModule } from '../../platform/http/app.js';

/** Every page and API route of the module, for the composition root. */
export function adminWeb(
  deps: Parameters<typeof adminRoutes>[0] & Parameters<typeof municipalitiesRoutes>[0],
): RouteModule {
  return routeModules(adminRoutes(deps), municipalitiesRoutes(deps));
}
