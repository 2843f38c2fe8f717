// The catalog module's surface: other modules and the composition root import only from here.
export { catalogApi } from './api.js';
export { generateDemoCatalog, generateSyntheticCatalog, insertCatalog } from './generator.js';
export {
  FINANCING_LABELS,
  FORMAT_LABELS,
  LEVEL_LABELS,
  OVZ_CATEGORIES,
  OVZ_LABELS,
  PROGRAM_FORMS,
  REGISTRIES,
  REGISTRY_LABELS,
  STATUS_LABELS,
} from './labels.js';
export type { OvzCategory, Registry } from './labels.js';
export { catalogRoutes } from './routes.js';
export { idParams } from './schemas.js';
// The tables stay here: the search index (search.ts) joins them and is rebuilt from them, and the programs
// module, which writes them, calls that indexing after each write. Owning them in programs would make the two
// modules import each other. programs uses them (and the indexing) only through these exports.
export { programGroups, programs } from './schema.js';
export type { ProgramContent, ScheduleSlot } from './schema.js';
export { indexSearchTerms, refreshGroupSummary } from './search.js';
export { createCatalogService } from './service.js';
export type { CatalogService, ProgramCard } from './service.js';
export { ProgramCardItem, ages, scheduleText } from './views.js';
export type { PublicGroup } from './views.js';
