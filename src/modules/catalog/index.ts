// The catalog module's surface: other modules and the composition root import only from here.
// The catalog reads the programs module's tables (through programs' index.ts, or in SQL) and the organizations',
// and shows what is published. It writes one table of its own: the search's related words (search_synonyms).
import { catalogRoutes } from './routes.js';
import { catalogApi } from './api.js';
import { synonymsRoutes } from './synonyms-routes.js';
import { routeModules, type RouteModule } from '../../platform/http/app.js';
export { csvLine } from './csv.js';
export { PROGRAM_FORMS } from './labels.js';
export { createCatalogService } from './service.js';
export type { CatalogService, OrganizationProgram, ProgramCard, ResultPlace } from './service.js';
export { createSynonymsService } from './synonyms.js';
export type { SynonymsService } from './synonyms.js';
export { ProgramCardItem } from './views.js';
export type { PublicGroup } from './views.js';

/** Every page and API route of the module, for the composition root. */
export function catalogWeb(
  deps: Parameters<typeof catalogRoutes>[0] &
    Parameters<typeof catalogApi>[0] &
    Parameters<typeof synonymsRoutes>[0],
): RouteModule {
  return routeModules(catalogRoutes(deps), catalogApi(deps), synonymsRoutes(deps));
}
