// The programs module's surface: the provider's programs and groups, moderation and the XLSX import; it owns the
// programs, program_groups and search_terms tables and keeps the catalog's search index fresh as it writes them.
// Other modules and the composition root import only from here.
import { providerRoutes } from './routes.js';
import { routeModules, type RouteModule } from '../../platform/http/app.js';
export { generateDemoCatalog, generateSyntheticCatalog, insertCatalog } from './generator.js';
export { programGroups, programs } from './schema.js';
export type { ProgramContent } from './schema.js';
export { createProviderService } from './service.js';
export type { ProviderService } from './service.js';

/** Every page and API route of the module, for the composition root. */
export function programsWeb(deps: Parameters<typeof providerRoutes>[0]): RouteModule {
  return routeModules(providerRoutes(deps));
}
