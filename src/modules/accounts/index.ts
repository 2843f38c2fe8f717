// The accounts module's surface: other modules and the composition root import only from here.
import { accountsRoutes } from './routes.js';
import { accountsApi } from './api.js';
import { routeModules, type RouteModule } from '../../platform/http/app.js';
export { accountJobs } from './jobs.js';
export { emailNotConfirmedPage, sessionResolver } from './routes.js';
export { DEMO_STAFF, createAccountsService, createStaffAccount, ensureDemoParent } from './service.js';
export type { AccountsService } from './service.js';

/** Every page and API route of the module, for the composition root. */
export function accountsWeb(
  deps: Parameters<typeof accountsRoutes>[0] & Parameters<typeof accountsApi>[0],
): RouteModule {
  return routeModules(accountsRoutes(deps), accountsApi(deps));
}
export { ACCOUNT_PAGE_SIZE, createAccountSupport, foldName } from './support.js';
export type { AccountQuery, AccountState, AccountSummary, AccountSupport } from './support.js';
