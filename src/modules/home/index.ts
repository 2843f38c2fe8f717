// The home module's surface: other modules and the composition root import only from here.
export { homeRoutes } from './routes.js';
