// The support module's surface: the composition root imports only from here.
import { supportRoutes } from './routes.js';
import { routeModules, type RouteModule } from '../../platform/http/app.js';

/** The support desk `/staff/support` (ADR 0028), for the composition root. */
export function supportWeb(deps: Parameters<typeof supportRoutes>[0]): RouteModule {
  return routeModules(supportRoutes(deps));
}
