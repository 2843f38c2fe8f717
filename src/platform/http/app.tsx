import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import helmet from 'helmet';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import { AccessDenied } from '../access/policy.js';
import type { Config } from '../config.js';
import { isConnectionError, type Database } from '../db/client.js';
import type { Logger } from '../logger.js';
import { publicFolder, vendorFolders } from '../views/assets.js';
import { LOW_VISION_COOKIE, readLowVision } from '../views/low-vision.js';
import {
  AccessDeniedPage,
  BadRequestPage,
  ExpiredFormPage,
  NotFoundPage,
  ServerErrorPage,
  UnavailablePage,
} from '../views/error-pages.js';
import { access, enforceAccess, type AccessOptions, type RouteAccess } from './access.js';
import { apiError } from './errors.js';
import type { CurrentUser } from './request-context.js';
import { ensureCsrfToken, isValidCsrf, proxyTrust, takeFlash } from './security.js';
import type { PageFacts, PageFactsProvider } from '../views/context.js';
import { sendPage } from '../views/render.js';
import type { OutboxRelay } from '../jobs/queue.js';

export type RouteModule = (app: FastifyInstance) => void | Promise<void>;

/** A module's pages, staff pages and API as the one route module its index.ts gives the composition root. */
export function routeModules(...modules: RouteModule[]): RouteModule {
  return async (app) => {
    for (const module of modules) await module(app);
  };
}

export interface HttpOptions {
  config: Config;
  database: Database;
  logger: Logger;
  /** Each module's routes, registered in order. */
  modules: RouteModule[];
  /** Finds the signed-in user of a request (the accounts module's sessions). */
  resolveUser?: (request: FastifyRequest, reply: FastifyReply) => Promise<CurrentUser | null>;
  /** How routes' access rules answer a person they do not let in (see access.tsx). */
  access?: AccessOptions;
  /** How long a client may take to send its whole request, headers and body (default 30 s). */
  requestTimeoutMs?: number;
  /** The outboxes whose backlog /metrics shows beside the job queues (ADR 0051). */
  outboxes?: Pick<OutboxRelay, 'name' | 'backlog'>[];
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every registered route with its access rule: the source of the authorization matrix. */
    routeAccess: RouteAccess[];
    /** A module's facts for the layout of every page of a signed-in person (one cheap query each). */
    addPageFacts(provider: PageFactsProvider): void;
  }
}

const defaultAccessOptions: AccessOptions = {
  emailNotConfirmedPage: () => (
    <AccessDeniedPage text="Подтвердите адрес электронной почты: ссылка — в письме." />
  ),
};

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/**
 * Fastify's schema compilers (ajv, fast-json-stringify: some 150 modules) loaded when a route first declares a
 * schema, not when Fastify is made: routes validate with zod and declare none, so a start never loads them (ADR 0041).
 */
const fastifyRequire = createRequire(createRequire(import.meta.url).resolve('fastify'));
function onFirstSchema(compiler: string) {
  let factory: ((...args: unknown[]) => unknown) | undefined;
  return (...args: unknown[]) => {
    factory ??= (fastifyRequire(compiler) as () => (...args: unknown[]) => unknown)();
    return factory(...args);
  };
}

export async function buildHttpApp({
  config,
  database,
  logger,
  modules,
  resolveUser,
  access: accessOptions,
  requestTimeoutMs = 30_000,
  outboxes = [],
}: HttpOptions): Promise<FastifyInstance> {
  // The security headers (CSP, HSTS, …) are the same for every answer: helmet's middleware is built once here,
  // not for each request as @fastify/helmet does (it parsed the CSP for every answer: 8 % of a cached page's time).
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        // The map's tiles come from the tile server of MAP_TILES_URL, and from nowhere else.
        imgSrc: [
          "'self'",
          'data:',
          ...(config.map && config.map.imageSource !== "'self'" ? [config.map.imageSource] : []),
        ],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
        ...(config.isProduction ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    // HSTS only where the site is really served over HTTPS.
    strictTransportSecurity: config.isProduction ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
  });
  const app = Fastify({
    // Typed as Fastify's base logger so that route modules take a plain FastifyInstance.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
    loggerInstance: logger as FastifyBaseLogger,
    // Behind the region's proxy the client address and scheme come from X-Forwarded-* of the proxies named in
    // TRUST_PROXY only; off by default, so a forged header cannot dodge the rate limits.
    trustProxy: proxyTrust(config.trustProxy),
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    bodyLimit: 1024 * 1024,
    schemaController: {
      compilersFactory: {
        buildValidator: onFirstSchema('@fastify/ajv-compiler') as never,
        buildSerializer: onFirstSchema('@fastify/fast-json-stringify-compiler') as never,
      },
    },
    // A client that stops sending in the middle of its headers or body is answered 408 and cut off, instead
    // of holding a connection (and a multipart parser) for ever; Node checks the open requests this often.
    requestTimeout: requestTimeoutMs,
    http: {
      headersTimeout: Math.min(20_000, requestTimeoutMs),
      connectionsCheckingInterval: Math.min(5_000, requestTimeoutMs / 4),
    },
    // An address Fastify cannot route (a broken %-escape, a too long parameter) is answered before any hook:
    // with the protective headers and in Russian here, not Fastify's English JSON echoing the address.
    frameworkErrors: (error, request, reply) => {
      securityHeaders(request.raw, reply.raw, () => {
        request.log.info({ code: error.code }, 'request rejected');
        void reply.header('x-request-id', request.id);
        if (isApi(request)) return void apiError(reply, 'bad_request');
        void sendPage(reply, <BadRequestPage />, 400);
      });
    },
  });

  const cookieSettings = { secure: config.isProduction, secret: config.sessionSecret };
  await app.register(cookie);
  app.decorateRequest('user', null);
  // The CSRF token is made when a page or a check first reads it: a guest's cached catalog page has no form with
  // a token, and making one (a random secret, its cookie, an HMAC) was 7 % of such an answer's time.
  app.decorateRequest('csrfMaker', null);
  app.decorateRequest('csrfToken', {
    getter(this: FastifyRequest) {
      return this.csrfMaker ? this.csrfMaker() : '';
    },
  });
  app.decorateRequest('flash', null);
  app.decorateRequest('pageFacts', null);
  const pageFactsProviders: PageFactsProvider[] = [];
  app.decorate('addPageFacts', (provider: PageFactsProvider) => {
    pageFactsProviders.push(provider);
  });
  app.decorateRequest('lowVision', null);

  // The first onRequest hook: an answer that a later hook ends early (the session look-up failing with the
  // database, an access rule, a rate limit) carries the headers too.
  app.addHook('onRequest', (request, reply, done) => {
    securityHeaders(request.raw, reply.raw, (error?: unknown) => done(error as Error | undefined));
  });
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    if (request.url.startsWith('/static/')) return;
    request.user = resolveUser ? await resolveUser(request, reply) : null;
    const sessionTokenHash = request.user?.sessionTokenHash;
    let csrfToken: string | undefined;
    request.csrfMaker = () =>
      (csrfToken ??= ensureCsrfToken(request, reply, cookieSettings, sessionTokenHash));
    request.flash = takeFlash(request, reply, cookieSettings);
    request.lowVision = readLowVision(request.cookies[LOW_VISION_COOKIE]);
  });

  // Nothing personal is kept by a browser or a proxy: every API answer and every answer to a signed-in user
  // (pages already say so in sendPage; this covers JSON, downloads and redirects). Static assets are cached.
  app.addHook('onSend', (request, reply, payload, done) => {
    if (!request.url.startsWith('/static/') && (isApi(request) || request.user)) {
      reply.header('cache-control', 'no-store');
    }
    done(null, payload);
  });

  // Requests whose body is being read (multipart is read in a preValidation hook): a parser's error there,
  // such as a missing boundary or a truncated body, is the client's fault, not the server's.
  const readingBody = new WeakSet<FastifyRequest>();
  app.addHook('preValidation', (request, _reply, done) => {
    readingBody.add(request);
    done();
  });

  // Every state-changing request from a form must carry this browser's CSRF token.
  app.addHook('preHandler', async (request, reply) => {
    readingBody.delete(request);
    if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return;
    if (isValidCsrf(request)) return;
    request.log.info({ path: request.url.split('?')[0] }, 'csrf token missing or wrong');
    if (isApi(request)) {
      return apiError(reply, 'csrf');
    }
    return sendPage(reply, <ExpiredFormPage />, 403);
  });

  // The facts the layout shows a signed-in person (the unread notices): pages only, not the API or downloads.
  app.addHook('preHandler', async (request) => {
    if (!request.user || isApi(request) || request.url.startsWith('/static/')) return;
    const facts: PageFacts = {};
    for (const provider of pageFactsProviders) Object.assign(facts, await provider(request.user));
    request.pageFacts = facts;
  });

  await app.register(formbody);
  // An API action without parameters may be sent with an empty JSON body, as documented; anything else is JSON.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body.toString();
    if (text.trim() === '') return done(null, {});
    void parseJson(request, text, done);
  });
  await app.register(fastifyStatic, {
    root: publicFolder,
    prefix: '/static/',
    // URLs carry a content hash (assetUrl), so a year of caching is safe.
    maxAge: '365d',
    immutable: true,
    index: false,
  });
  // Browser libraries from npm (Leaflet), served from node_modules under /static/vendor/<name>/: no CDN.
  for (const [name, root] of Object.entries(vendorFolders)) {
    await app.register(fastifyStatic, {
      root,
      prefix: `/static/vendor/${name}/`,
      decorateReply: false,
      maxAge: '365d',
      immutable: true,
      index: false,
    });
  }

  // From here on every route must declare who may open it.
  const routeAccess = enforceAccess(app, accessOptions ?? defaultAccessOptions);
  // @fastify/static cannot carry route options; its files are public by nature.
  routeAccess.push({ method: 'GET', url: '/static/*', access: 'public' });
  app.decorate('routeAccess', routeAccess);

  app.get('/healthz', access('public'), () => ({ status: 'ok' }));
  app.get('/readyz', access('public'), readiness(database, logger));
  // Prometheus' scrape, only when an operator gave it a token (ADR 0030); otherwise /metrics is a 404.
  // prom-client is loaded only then: a start without METRICS_TOKEN does not pay for it (ADR 0041).
  if (config.metricsToken) {
    const { registerMetrics } = await import('./metrics.js');
    registerMetrics(app, { token: config.metricsToken, database, logger, outboxes });
  }

  app.setNotFoundHandler((request, reply) => {
    if (isApi(request)) return apiError(reply, 'not_found', 'Ресурс не найден');
    return sendPage(reply, <NotFoundPage />, 404);
  });

  app.setErrorHandler((error: { statusCode?: number; code?: string; message: string }, request, reply) => {
    if (isConnectionError(error)) return sendUnavailable(error, request, reply);
    if (error instanceof AccessDenied) {
      // The policy said no: answer as if the object did not exist.
      request.log.info({ code: 'access_denied', action: error.action }, 'request rejected');
      if (isApi(request)) return apiError(reply, 'not_found', 'Ресурс не найден');
      return sendPage(reply, <NotFoundPage />, 404);
    }
    const status =
      error.statusCode && error.statusCode >= 400 && error.statusCode < 500
        ? error.statusCode
        : readingBody.has(request) && error.statusCode === undefined
          ? 400
          : 500;
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: error.code, status }, 'request rejected');
    if (isApi(request)) {
      return reply
        .status(status)
        .send(
          status >= 500
            ? { error: 'internal', message: 'Внутренняя ошибка сервера', requestId: request.id }
            : { error: error.code ?? 'bad_request', message: 'Неверный запрос' },
        );
    }
    try {
      if (status === 404) return sendPage(reply, <NotFoundPage />, 404);
      if (status < 500) return sendPage(reply, <BadRequestPage />, status);
      return sendPage(reply, <ServerErrorPage requestId={request.id} />, 500);
    } catch (renderError) {
      // Even the error page failed to render: answer with plain text, still in Russian.
      request.log.error({ err: renderError }, 'error page failed');
      return reply
        .status(500)
        .type('text/plain; charset=utf-8')
        .send(`Ошибка на сервере. Попробуйте позже. Код обращения: ${request.id}`);
    }
  });

  // Registered after the handlers above, so that every module's routes inherit them.
  for (const register of modules) {
    await app.register(async (scope) => {
      await register(scope);
    });
  }

  return app;
}

function isApi(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/');
}

/**
 * The database connection was lost or could not be made: the request did nothing wrong and may succeed in a
 * moment, so the answer is 503 with Retry-After, not the 500 page. The pool reconnects by itself.
 */
function sendUnavailable(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  request.log.warn({ err: error }, 'database unavailable');
  void reply.header('retry-after', '5');
  if (isApi(request)) {
    return reply.status(503).send({
      error: 'unavailable',
      code: 'unavailable',
      message: 'Сервис временно недоступен, повторите запрос через минуту',
      requestId: request.id,
    });
  }
  return sendPage(reply, <UnavailablePage requestId={request.id} />, 503);
}

/** `/readyz`: 503 while the database does not answer within 2 s; the outage and the recovery are logged. */
function readiness(database: Database, logger: Logger) {
  let downSince: number | null = null;
  return async (_request: FastifyRequest, reply: FastifyReply) => {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        database.sql.executeSql('select 1'),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('no answer from the database within 2 s')), 2000);
        }),
      ]);
      if (downSince !== null) {
        logger.info({ outageMs: Date.now() - downSince }, 'database available again');
        downSince = null;
      }
      return { status: 'ok' };
    } catch (error) {
      if (downSince === null) {
        downSince = Date.now();
        logger.warn({ err: error }, 'database unavailable');
      }
      return reply
        .status(503)
        .send({ status: 'unavailable', reason: 'database', since: new Date(downSince).toISOString() });
    } finally {
      clearTimeout(timer);
    }
  };
}
