// The programs module's surface: the provider's programs and groups, moderation and the XLSX import; it owns the
// programs, program_groups and search_terms tables and keeps the catalog's search index fresh as it writes them.
// Other modules and the composition root import only from here.
export { generateDemoCatalog, generateSyntheticCatalog, insertCatalog } from './generator.js';
export { groupPolicy, programPolicy } from './policy.js';
export type { GroupAction, GroupFacts, ProgramAction, ProgramFacts } from './policy.js';
export { providerRoutes } from './routes.js';
export { programGroups, programs, searchTerms } from './schema.js';
export type { ProgramContent, ScheduleSlot } from './schema.js';
export { createProviderService } from './service.js';
export type { ProviderService } from './service.js';
