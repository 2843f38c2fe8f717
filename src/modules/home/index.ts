// The home module's surface: other modules and the composition root import only from here.
import { lowVisionRoutes } from './low-vision.js';
import { homeRoutes } from './routes.js';
import { routeModules, type RouteModule } from '../../platform/http/app.js';

/** Every page and API route of the module, for the composition root. */
export function homeWeb(
  deps: Parameters<typeof homeRoutes>[0] & Parameters<typeof lowVisionRoutes>[0],
): RouteModule {
  return routeModules(homeRoutes(deps), lowVisionRoutes(deps));
}
