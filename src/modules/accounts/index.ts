// The accounts module's surface: other modules and the composition root import only from here.
export { accountsApi } from './api.js';
export { accountJobs } from './jobs.js';
export { accountsRoutes, emailNotConfirmedPage, sessionResolver } from './routes.js';
export { DEMO_STAFF, createAccountsService, createStaffAccount, ensureDemoParent } from './service.js';
export type { AccountsService } from './service.js';
export { accountPolicy, staffAccountPolicy } from './policy.js';
export type { StaffAccount, StaffAccountAction } from './policy.js';
export type { InvitationResult, StaffInvitation, StaffMember } from './service.js';
