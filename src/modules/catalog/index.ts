// The catalog module's surface: other modules and the composition root import only from here.
// The catalog writes no table: it reads the programs module's tables (through programs' index.ts, or in SQL) and
// the organizations', and shows what is published.
export { catalogApi } from './api.js';
export { PROGRAM_FORMS } from './labels.js';
export { catalogRoutes } from './routes.js';
export { createCatalogService } from './service.js';
export type { CatalogService, ProgramCard } from './service.js';
export { ProgramCardItem } from './views.js';
export type { PublicGroup } from './views.js';
