// The admin module's surface: other modules and the composition root import only from here.
export { municipalitiesRoutes } from './municipalities.js';
export { adminRoutes } from './routes.js';
