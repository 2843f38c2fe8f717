// The programs module's surface: the provider's programs and groups, moderation and the XLSX import.
// Other modules and the composition root import only from here.
export { providerRoutes } from './routes.js';
export { createProviderService } from './service.js';
