// The reference module's surface: other modules and the composition root import only from here.
import { referenceApi } from './api.js';
import { contactsRoutes } from './contacts.js';
import { routeModules, type RouteModule } from '../../platform/http/app.js';
export { DIRECTIONS, MUNICIPALITIES, REGION, specializationId } from './data.js';
export type { MunicipalitySeed } from './data.js';
export { municipalityField, municipalityName } from './fields.js';
export { directions, municipalities, specializations } from './schema.js';
export { createReferenceService, ensureDemoOffices, ensureReferenceData } from './service.js';
export type { Direction, Municipality, ReferenceService, RegionalOffice, Specialization } from './service.js';
export { MunicipalOffice } from './views.js';
export {
  FINANCING_LABELS,
  financingOf,
  FORMAT_LABELS,
  LEVEL_LABELS,
  OVZ_CATEGORIES,
  OVZ_LABELS,
  REGISTRIES,
  REGISTRY_HINTS,
  REGISTRY_LABELS,
} from './labels.js';
export type { Financing, OvzCategory, Registry } from './labels.js';

/** Every page and API route of the module, for the composition root. */
export function referenceWeb(deps: Parameters<typeof referenceApi>[0]): RouteModule {
  return routeModules(referenceApi(deps), contactsRoutes(deps));
}
