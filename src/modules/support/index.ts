// The support module's surface: the composition root and the workspace import only from here.
import { supportRoutes } from './routes.js';
import { routeModules, type RouteModule } from '../../platform/http/app.js';
export { createSupportRequests } from './service.js';
export type { SupportRequestsService } from './service.js';

/** The support desk `/staff/support` and «Задать вопрос» `/support/ask` (ADR 0028), for the composition root. */
export function supportWeb(deps: Parameters<typeof supportRoutes>[0]): RouteModule {
  return routeModules(supportRoutes(deps));
}
