import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { VNode } from 'preact';
import { isCoordinator, municipalityOf, organizationOf } from '../access/policy.js';
import { AccessDeniedPage } from '../views/error-pages.js';
import { sendPage } from '../views/render.js';
import { apiError } from './errors.js';
import type { CurrentUser, Operator } from './request-context.js';

/**
 * Who may open a route at all, declared where the route is registered (`app.get(url, access('user'), …)`).
 * Rules about one object (this child, that application) are the services' policies; this is the door.
 */
export const ACCESS_RULES = {
  /** Anyone, signed in or not. */
  public: 'Все',
  /** A signed-in person. */
  user: 'Вошедший пользователь',
  /** A signed-in person whose e-mail address is confirmed («для получения полных прав»). */
  confirmed: 'Пользователь с подтверждённым адресом',
  /** Any operator: organization staff, municipal administrators, the coordinator. */
  staff: 'Сотрудник',
  /** Staff of an organization (the provider's cabinet). */
  org_staff: 'Сотрудник организации',
  /** Municipal administrators and the regional coordinator (moderation, confirmation, operators). */
  municipal_admin: 'Муниципальный администратор или координатор',
  /** The regional coordinator only. */
  coordinator: 'Региональный координатор',
} as const;

export type AccessRule = keyof typeof ACCESS_RULES;

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: AccessRule;
  }
}

/** Route options that declare the access rule: `app.get('/children', access('confirmed'), handler)`. */
export function access(rule: AccessRule) {
  return { config: { access: rule } };
}

export type Denial = 'signed_out' | 'email_not_confirmed' | 'forbidden';

/** Why `user` may not pass `rule`, or null when they may. */
export function denialFor(rule: AccessRule, user: CurrentUser | null): Denial | null {
  if (rule === 'public') return null;
  if (!user) return 'signed_out';
  switch (rule) {
    case 'user':
      return null;
    case 'confirmed':
      return user.emailVerified ? null : 'email_not_confirmed';
    case 'staff':
      return user.staff ? null : 'forbidden';
    case 'org_staff':
      return organizationOf(user) ? null : 'forbidden';
    case 'municipal_admin':
      return municipalityOf(user) !== null || isCoordinator(user) ? null : 'forbidden';
    case 'coordinator':
      return isCoordinator(user) ? null : 'forbidden';
  }
}

const FORBIDDEN_TEXT: Record<AccessRule, string> = {
  public: '',
  user: '',
  confirmed: '',
  staff:
    'Этот раздел — для сотрудников организаций, муниципальных администраторов и регионального координатора.',
  org_staff: 'Кабинет организации доступен сотрудникам организаций.',
  municipal_admin: 'Этот раздел ведут муниципальные администраторы и региональный координатор.',
  coordinator: 'Этот раздел ведёт региональный координатор.',
};

export interface RouteAccess {
  method: string;
  url: string;
  access: AccessRule;
}

export interface AccessOptions {
  /** The page for a signed-in person whose address is not confirmed (the accounts module offers the letter again). */
  emailNotConfirmedPage: (user: CurrentUser) => VNode;
}

/**
 * Makes every route declare its rule (a route without one stops the app at start) and enforces the rules before
 * the body is read. Returns the route table, from which the authorization matrix is generated and tested.
 */
export function enforceAccess(app: FastifyInstance, options: AccessOptions): RouteAccess[] {
  const table: RouteAccess[] = [];
  app.addHook('onRoute', (route: RouteOptions) => {
    const rule = route.config?.access;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (!rule || !(rule in ACCESS_RULES)) {
      throw new Error(
        `Route ${methods.join(',')} ${route.url} declares no access rule: register it with access('…')`,
      );
    }
    for (const method of methods) {
      if (method !== 'HEAD') table.push({ method, url: route.url, access: rule });
    }
  });

  app.addHook('onRequest', async (request, reply) => {
    const rule = request.routeOptions.config.access;
    // No rule: the request matched no route and goes to the 404 handler.
    if (!rule) return;
    const denial = denialFor(rule, request.user);
    if (denial) return deny(request, reply, rule, denial, options);
  });
  return table;
}

function deny(
  request: FastifyRequest,
  reply: FastifyReply,
  rule: AccessRule,
  denial: Denial,
  options: AccessOptions,
) {
  const api = request.url.startsWith('/api/');
  request.log.info({ rule, denial }, 'access denied');
  if (denial === 'signed_out') {
    if (api) return apiError(reply, 'unauthenticated');
    return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 303);
  }
  if (denial === 'email_not_confirmed') {
    if (api) return apiError(reply, 'email_not_confirmed');
    return sendPage(reply, options.emailNotConfirmedPage(request.user!), 403);
  }
  if (api) return apiError(reply, 'forbidden', FORBIDDEN_TEXT[rule]);
  return sendPage(reply, <AccessDeniedPage text={FORBIDDEN_TEXT[rule]} staff={!!request.user?.staff} />, 403);
}

/** The signed-in person of a route declared `user` or stricter (the access hook has let them in). */
export function userOf(request: FastifyRequest): CurrentUser {
  if (!request.user) throw new Error('userOf() on a route that lets guests in');
  return request.user;
}

/** The operator of a route declared `staff` or stricter. */
export function operatorOf(request: FastifyRequest): Operator {
  const user = userOf(request);
  if (!user.staff) throw new Error('operatorOf() on a route that lets non-staff in');
  return user as Operator;
}
