// The organizations module's surface: other modules and the composition root import only from here.
export { organizations } from './schema.js';
export { createOrganizationsService } from './service.js';
export type { Organization, OrganizationsService } from './service.js';
