// The catalog module's surface: other modules and the composition root import only from here.
export { catalogApi } from './api.js';
export { generateDemoCatalog, generateSyntheticCatalog, insertCatalog } from './generator.js';
export { PROGRAM_FORMS, freePlaces } from './labels.js';
export { providerRoutes } from './provider-routes.js';
export { createProviderService } from './provider.js';
export { catalogRoutes } from './routes.js';
export { createCatalogService } from './service.js';
export type { CatalogService, ProgramCard } from './service.js';
export { ProgramCardItem, scheduleText } from './views.js';
export type { PublicGroup } from './views.js';
