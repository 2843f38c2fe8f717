// The reference module's surface: other modules and the composition root import only from here.
export { referenceApi } from './api.js';
export { DIRECTIONS, MUNICIPALITIES, REGION, specializationId } from './data.js';
export type { MunicipalitySeed } from './data.js';
export { municipalityField, municipalityName } from './fields.js';
export { directions, municipalities, specializations } from './schema.js';
export { createReferenceService, ensureDemoOffices, ensureReferenceData } from './service.js';
export type { Direction, Municipality, ReferenceService, Specialization } from './service.js';
export { MunicipalOffice } from './views.js';
export {
  FINANCING_LABELS,
  FORMAT_LABELS,
  LEVEL_LABELS,
  OVZ_CATEGORIES,
  OVZ_LABELS,
  REGISTRIES,
  REGISTRY_LABELS,
} from './labels.js';
export type { OvzCategory, Registry } from './labels.js';
export { municipalityPolicy } from './policy.js';
export type { MunicipalityAction, MunicipalityResource } from './policy.js';
