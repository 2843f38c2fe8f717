// The organizations module's surface: other modules and the composition root import only from here.
export { organizationsApi } from './api.js';
export { organizationPublicSchema } from './api-schemas.js';
export { organizationPolicy } from './policy.js';
export type { OrganizationAction, OrganizationFacts } from './policy.js';
export { organizationsRoutes } from './routes.js';
export { organizations } from './schema.js';
export { organizationSchema } from './schemas.js';
export type { OrganizationInput } from './schemas.js';
export { createOrganizationsService, insertOrganizations } from './service.js';
export type { NewOrganization, Organization, OrganizationProfile, OrganizationsService } from './service.js';
