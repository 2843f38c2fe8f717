// The children module's surface: other modules and the composition root import only from here.
export { childrenApi } from './api.js';
export { createConfirmationService } from './confirmation.js';
export { childrenRoutes } from './routes.js';
export { createChildrenService } from './service.js';
export type { Child, ChildrenService } from './service.js';
export { staffRoutes } from './staff-routes.js';
export { certificateSearchSchema, confirmSchema } from './staff-schemas.js';
export type { ConfirmationService } from './confirmation.js';
