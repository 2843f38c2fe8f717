// The whole database schema, gathered from the modules that own each table.
// drizzle-kit reads this file to generate migrations (drizzle.config.ts).
export * from './modules/reference/schema.js';
export * from './modules/organizations/schema.js';
export * from './modules/programs/schema.js';
export * from './modules/catalog/schema.js';
export * from './modules/accounts/schema.js';
export * from './platform/audit/schema.js';
export * from './platform/security/schema.js';
export * from './modules/children/schema.js';
export * from './modules/certificates/schema.js';
export * from './modules/applications/schema.js';
export * from './platform/mail/schema.js';
export * from './modules/funding/schema.js';
export * from './modules/reports/schema.js';
export * from './modules/support/schema.js';
