import type { Config } from './platform/config.js';
import type { Database } from './platform/db/client.js';
import { runMigrations } from './platform/db/migrate.js';
import { buildHttpApp, type RouteModule } from './platform/http/app.js';
import { createJobQueue, type JobQueue, type OutboxRelay } from './platform/jobs/queue.js';
import type { Logger } from './platform/logger.js';
import { devMailRoutes } from './platform/mail/dev-routes.js';
import { createMailer, createMailJob, type Mailer } from './platform/mail/mailer.js';
import { mailDeliveriesCleanupJob } from './platform/mail/retention.js';
import { createMailTransport, type MailTransport } from './platform/mail/transport.js';
import {
  accountJobs,
  accountsWeb,
  createAccountSupport,
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
import {
  createRolloverService,
  createAccountingService,
  createRegistersService,
  createContractsService,
  createFundingQuotes,
  createFundingService,
  fundingJobs,
  fundingSummaryOf,
  fundingWeb,
  splitLine,
} from './modules/funding/index.js';
import { homeWeb } from './modules/home/index.js';
import { createReportsService, reportJobs, reportsWeb } from './modules/reports/index.js';
import { createSupportRequests, supportWeb } from './modules/support/index.js';
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

// Where the data lives (the entry points import it from here).
export { databaseTarget } from './platform/db/client.js';

/**
 * Migrations, the region's reference data, and (in development) the demo catalog on an empty database.
 * `numberKey: false` leaves out the certificate number key (an image copied into many data directories, ADR 0031).
 */
export async function prepareDatabase(
  database: Database,
  config: Pick<Config, 'demoData'>,
  logger: Logger,
  { numberKey = true }: { numberKey?: boolean } = {},
) {
  await runMigrations(database);
  await ensureReferenceData(database.db);
  if (numberKey) await ensureCertificateNumberKey(database.db);
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
  const catalog = createCatalogService(database.db, { cacheSeconds: config.catalogCacheSeconds });
  const rateLimiter = createRateLimiter(database.sql);
  const catalogPages = createPageCache({ ttlSeconds: config.catalogCacheSeconds });
  // What the catalog shows changed: guests' pages and everyone's answers are forgotten at once (ADR 0010, 0031).
  const forgetCatalog = () => {
    catalogPages.clear();
    catalog.forgetAnswers();
  };
  // The related words change what every search finds.
  const synonyms = createSynonymsService({ db: database.db, onChange: forgetCatalog });
  const organizations = createOrganizationsService({
    database,
    programs: catalog,
    onPublicChange: forgetCatalog,
  });
  const accounts = createAccountsService({
    database,
    mailer,
    queue,
    rateLimiter,
    organizations,
    baseUrl: config.baseUrl,
  });
  const accountSupport = createAccountSupport({ database, mailer, rateLimiter, baseUrl: config.baseUrl });
  const supportRequests = createSupportRequests({ database, mailer, rateLimiter, baseUrl: config.baseUrl });
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
  // Accepting an application to a certified program makes the contract and its reserve (ADR 0034).
  const contracts = createContractsService({ database, mailer, baseUrl: config.baseUrl });
  // The month close: advances, invoices by completeness, registers (ADR 0035).
  const accounting = createAccountingService({ database, mailer, baseUrl: config.baseUrl, contracts });
  const registers = createRegistersService({ database });
  // The period close: what is left expires, the next period funds the certificates again (ADR 0039).
  const rollover = createRolloverService({
    database,
    mailer,
    baseUrl: config.baseUrl,
    accounting,
    certificates,
  });
  // Funded certificates for certified programs, through the applications module's port (funding is built below).
  const applications = createApplicationsService({
    database,
    queue,
    rateLimiter,
    confirmation,
    acceptance: contracts,
    funding: {
      quote: (input) => fundingQuotes.quote(input),
      autoFund: (parent, childId) => fundingQuotes.autoFund(parent, childId),
      freePrograms: (municipalityId, today) => funding.freeProgramsOf(municipalityId, today),
    },
  });
  const provider = createProviderService({
    database,
    mailer,
    accounts,
    places: applications.places,
    baseUrl: config.baseUrl,
    onPublicChange: forgetCatalog,
  });
  const applicationQueries = createApplicationQueries(database.db);
  const funding = createFundingService({
    database,
    children,
    certificates,
    accounts,
    mailer,
    baseUrl: config.baseUrl,
    queue,
  });
  const fundingQuotes = createFundingQuotes({ database, funding });
  const notices = createNoticesService(database.db);
  const reports = createReportsService({ database });
  return {
    funding,
    reports,
    contracts,
    accounting,
    rollover,
    registers,
    fundingQuotes,
    reference,
    catalog,
    applications,
    applicationQueries,
    notices,
    catalogPages,
    synonyms,
    accounts,
    accountSupport,
    supportRequests,
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
  /**
   * Leave the worker to `startWorker()`: the server listens first and then starts handling jobs, so that job
   * fetches do not queue up before the first request on PGlite's one connection (ADR 0041).
   */
  deferWorker?: boolean;
  /** Tests pass their own transport and faster retries. */
  mailTransport?: MailTransport;
  mailRetryDelaySeconds?: number;
  pollingIntervalSeconds?: number;
  /** How long a client may take to send a whole request (tests shorten it). */
  requestTimeoutMs?: number;
}

export interface Background {
  queue: JobQueue;
  /** The outboxes the worker relays (ADR 0051); /metrics shows their backlog. */
  relays: OutboxRelay[];
  mailer: Mailer;
  transport: MailTransport;
  /** Starts handling jobs, once, when this process runs the worker and `deferWorker` left it for later. */
  startWorker(): Promise<void>;
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
  const applicationWork = applicationJobs({ database, mailJob, baseUrl: config.baseUrl });
  const jobs = [
    mailJob,
    ...applicationWork.jobs,
    ...accountJobs({ database, mailJob, baseUrl: config.baseUrl }),
    ...fundingJobs({ database, mailJob, baseUrl: config.baseUrl }),
    ...reportJobs({ database }),
    mailDeliveriesCleanupJob(database.sql),
  ];
  const queue = await createJobQueue(database, jobs, logger, {
    supervise: options.runWorker,
    relays: applicationWork.relays,
    ...(options.pollingIntervalSeconds ? { pollingIntervalSeconds: options.pollingIntervalSeconds } : {}),
  });
  let working = false;
  const startWorker = async () => {
    if (!options.runWorker || working) return;
    working = true;
    await queue.startWorker();
  };
  if (!options.deferWorker) await startWorker();
  return {
    queue,
    relays: applicationWork.relays,
    mailer: createMailer(queue, mailJob),
    transport,
    startWorker,
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
      const periods = await services.funding.periodsOf(actor, childId);
      return periods && fundingSummaryOf(periods);
    },
    // The program page's «Сертификат покроет …» for each funded child of a signed-in parent (ADR 0033).
    certificateSplits: async (
      user: Parameters<Services['children']['listOf']>[0],
      programId: string,
      groups: { id: string; monthlyCostCertificate: number | null; studyStart: string; studyEnd: string }[],
    ) => {
      const splits = new Map<string, string[]>();
      const own = await services.children.listOf(user);
      for (const group of groups)
        for (const child of own) {
          const quote = await services.fundingQuotes.quote({
            childId: child.id,
            programId,
            priceRoubles: group.monthlyCostCertificate,
            studyStart: group.studyStart,
            studyEnd: group.studyEnd,
          });
          if (quote?.ok && quote.fundedNow)
            splits.set(group.id, [
              ...(splits.get(group.id) ?? []),
              `${child.firstName}: ${splitLine(quote.firstMonth)}`,
            ]);
        }
      return splits;
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
    reportsWeb(web),
    supportWeb(web),
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
    outboxes: background.relays,
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
