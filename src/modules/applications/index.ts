// The applications module's surface: other modules and the composition root import only from here.
export { applicationsApi } from './api.js';
export { applicationJobs } from './jobs.js';
export { openPlaces, placesColumns } from './places.js';
export type { CapacityChange } from './places.js';
export { createApplicationQueries } from './queries.js';
export { applicationsRoutes } from './routes.js';
export { createApplicationsService } from './service.js';
export type { ApplicationsService } from './service.js';
export { staffApplicationsRoutes } from './staff-routes.js';
