import path from 'node:path';
import type { Config } from './platform/config.js';
import type { Database, DatabaseTarget } from './platform/db/client.js';
import { runMigrations } from './platform/db/migrate.js';
import { buildHttpApp, type RouteModule } from './platform/http/app.js';
import { createJobQueue, type JobQueue } from './platform/jobs/queue.js';
import type { Logger } from './platform/logger.js';
import { devMailRoutes } from './platform/mail/dev-routes.js';
import { createMailer, createMailJob, type Mailer } from './platform/mail/mailer.js';
import { createMailTransport, type MailTransport } from './platform/mail/transport.js';
import {
  accountJobs,
  accountsWeb,
  createAccountsService,
  createStaffAccount,
  DEMO_STAFF,
  emailNotConfirmedPage,
  ensureDemoParent,
  sessionResolver,
} from './modules/accounts/index.js';
import { adminWeb } from './modules/admin/index.js';
import {
  applicationJobs,
  applicationsWeb,
  createApplicationQueries,
  childHasApplications,
  createApplicationsService,
  createNoticesService,
} from './modules/applications/index.js';
import { catalogWeb, createCatalogService, createSynonymsService } from './modules/catalog/index.js';
import { createCertificatesService, ensureCertificateNumberKey } from './modules/certificates/index.js';
import { childrenWeb, createChildrenService, createConfirmationService } from './modules/children/index.js';
import { createFundingService, fundingLine, fundingWeb } from './modules/funding/index.js';
import { homeWeb } from './modules/home/index.js';
import { workspaceWeb } from './modules/workspace/index.js';
import {
  createOrganizationsService,
  organizations,
  organizationsWeb,
  type StaffDirectory,
} from './modules/organizations/index.js';
import {
  createProviderService,
  generateDemoCatalog,
  insertCatalog,
  programsWeb,
} from './modules/programs/index.js';
import {
  createReferenceService,
  ensureDemoOffices,
  ensureReferenceData,
  referenceWeb,
} from './modules/reference/index.js';
import { createApiRegistry } from './platform/http/openapi.js';
import { createPageCache } from './platform/http/page-cache.js';
import { eq } from 'drizzle-orm';
import { createRateLimiter } from './platform/security/rate-limit.js';

/** Where the data lives: a PostgreSQL server when DATABASE_URL is set, else embedded PGlite in DATA_DIR. */
export function databaseTarget(
  config: Pick<Config, 'databaseUrl' | 'dataDir' | 'databasePoolSize'>,
): DatabaseTarget {
  return config.databaseUrl
    ? { kind: 'postgres', url: config.databaseUrl, poolSize: config.databasePoolSize }
    : { kind: 'pglite', dataDir: path.join(config.dataDir, 'pglite') };
}

/** Migrations, the region's reference data, and (in development) the demo catalog on an empty database. */
export async function prepareDatabase(database: Database, config: Pick<Config, 'demoData'>, logger: Logger) {
  await runMigrations(database);
  await ensureReferenceData(database.db);
  await ensureCertificateNumberKey(database.db);
  if (config.demoData && (await createCatalogService(database.db).isEmpty())) {
    const totals = await database.transaction((tx) => insertCatalog(tx.db, generateDemoCatalog()));
    await ensureDemoParent(database.db);
    await ensureDemoOffices(database.db);
    const [organization] = await database.db
      .select()
      .from(organizations)
      .where(eq(organizations.municipalityId, 1))
      .limit(1);
    for (const staff of DEMO_STAFF) {
      await createStaffAccount(database, {
        ...staff,
        organizationId: staff.role === 'org_staff' ? organization?.id : undefined,
      });
    }
    logger.info(totals, 'demo catalog, demo parent and demo staff created');
  }
}

export function createServices(
  database: Database,
  background: Pick<Background, 'mailer' | 'queue'>,
  config: Pick<Config, 'baseUrl' | 'catalogCacheSeconds' | 'certificateNumberKey'>,
) {
  const { mailer, queue } = background;
  const reference = createReferenceService(database.db);
  const catalog = createCatalogService(database.db);
  const rateLimiter = createRateLimiter(database.sql);
  const catalogPages = createPageCache({ ttlSeconds: config.catalogCacheSeconds });
  // The related words change what every search finds: guests' pages are forgotten at once (ADR 0010).
  const synonyms = createSynonymsService({ db: database.db, onChange: () => catalogPages.clear() });
  const organizations = createOrganizationsService({
    database,
    programs: catalog,
    onPublicChange: () => catalogPages.clear(),
  });
  const accounts = createAccountsService({
    database,
    mailer,
    queue,
    rateLimiter,
    organizations,
    baseUrl: config.baseUrl,
  });
  const certificates = createCertificatesService({ database, numberKey: config.certificateNumberKey });
  const children = createChildrenService({
    database,
    certificates,
    hasApplications: (childId) => childHasApplications(database.db, childId),
  });
  const confirmation = createConfirmationService({
    database,
    mailer,
    accounts,
    certificates,
    baseUrl: config.baseUrl,
  });
  const applications = createApplicationsService({ database, queue, rateLimiter, confirmation });
  const provider = createProviderService({
    database,
    mailer,
    accounts,
    places: applications.places,
    baseUrl: config.baseUrl,
    onPublicChange: () => catalogPages.clear(),
  });
  const applicationQueries = createApplicationQueries(database.db);
  const funding = createFundingService({
    database,
    children,
    certificates,
    accounts,
    mailer,
    baseUrl: config.baseUrl,
  });
  const notices = createNoticesService(database.db);
  return {
    funding,
    reference,
    catalog,
    applications,
    applicationQueries,
    notices,
    catalogPages,
    synonyms,
    accounts,
    organizations,
    children,
    certificates,
    confirmation,
    provider,
  };
}

export type Services = ReturnType<typeof createServices>;

export interface BackgroundOptions {
  config: Config;
  database: Database;
  logger: Logger;
  /** Handle background jobs in this process (the web process does by default). */
  runWorker: boolean;
  /** Tests pass their own transport and faster retries. */
  mailTransport?: MailTransport;
  mailRetryDelaySeconds?: number;
  pollingIntervalSeconds?: number;
  /** How long a client may take to send a whole request (tests shorten it). */
  requestTimeoutMs?: number;
}

export interface Background {
  queue: JobQueue;
  mailer: Mailer;
  transport: MailTransport;
  close(): Promise<void>;
}

/** The job queue with every job of the app registered, and the mailer that enqueues letters. */
export async function createBackground(options: BackgroundOptions): Promise<Background> {
  const { config, database, logger } = options;
  const transport = options.mailTransport ?? createMailTransport(config);
  const mailJob = createMailJob(transport, database.sql, {
    from: config.mailFrom,
    ...(options.mailRetryDelaySeconds ? { retryDelaySeconds: options.mailRetryDelaySeconds } : {}),
  });
  const jobs = [
    mailJob,
    ...applicationJobs({ database, mailJob, baseUrl: config.baseUrl }),
    ...accountJobs({ database, mailJob, baseUrl: config.baseUrl }),
  ];
  const queue = await createJobQueue(database, jobs, logger, {
    supervise: options.runWorker,
    ...(options.pollingIntervalSeconds ? { pollingIntervalSeconds: options.pollingIntervalSeconds } : {}),
  });
  if (options.runWorker) await queue.startWorker();
  return {
    queue,
    mailer: createMailer(queue, mailJob),
    transport,
    async close() {
      await queue.stop();
      transport.close();
    },
  };
}

export interface App extends Background {
  http: Awaited<ReturnType<typeof buildHttpApp>>;
  services: Services;
}

export async function createApp(options: BackgroundOptions): Promise<App> {
  const { config, database, logger } = options;
  const background = await createBackground(options);
  const services = createServices(database, background, config);
  const api = createApiRegistry();
  const web = {
    ...services,
    secureCookies: config.isProduction,
    registry: api,
    fundingSummary: async (actor: Parameters<typeof services.funding.stateOf>[0], childId: string) => {
      const state = await services.funding.stateOf(actor, childId);
      return state && fundingLine(state);
    },
    map: config.map,
    // The organizations module's card lists and invites staff through the accounts module (which reads it).
    staffDirectory: {
      staffOf: (actor, organizationId) => services.accounts.staffOfOrganization(actor, organizationId),
      invite: (actor, input) => services.accounts.inviteStaff(actor, input),
    } satisfies StaffDirectory,
    hasChildren: (actor: Parameters<Services['children']['hasAny']>[0]) => services.children.hasAny(actor),
  };
  const modules: RouteModule[] = [
    homeWeb(web),
    catalogWeb(web),
    organizationsWeb(web),
    accountsWeb(web),
    childrenWeb(web),
    fundingWeb(web),
    adminWeb(web),
    programsWeb(web),
    applicationsWeb(web),
    referenceWeb(web),
    workspaceWeb(web),
    api.routes(config.baseUrl),
  ];
  const devMailbox = background.transport.devMailbox;
  if (!config.isProduction && devMailbox) modules.push(devMailRoutes(devMailbox));
  const http = await buildHttpApp({
    config,
    database,
    logger,
    modules,
    resolveUser: sessionResolver(services.accounts, { secure: config.isProduction }),
    access: { emailNotConfirmedPage },
    requestTimeoutMs: options.requestTimeoutMs,
  });
  return {
    ...background,
    http,
    services,
    async close() {
      await http.close();
      await background.close();
    },
  };
}
