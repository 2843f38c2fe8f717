import type { FastifyReply, FastifyRequest } from 'fastify';
import { hmac, randomToken, safeEqual } from '../security/tokens.js';

const FLASH_COOKIE = 'flash';
const CSRF_MAX_AGE = 365 * 24 * 3600;

export interface CookieSettings {
  secure: boolean;
  secret: string;
}

export function cookieOptions(settings: Pick<CookieSettings, 'secure'>, maxAgeSeconds?: number) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: settings.secure,
    ...(maxAgeSeconds !== undefined ? { maxAge: maxAgeSeconds } : {}),
  };
}

/**
 * Over HTTPS the CSRF cookie is `__Host-csrf`: the browser keeps it only when Secure, Path=/ and without Domain,
 * so neither a subdomain nor a plain-HTTP page can plant one.
 */
export function csrfCookieName(settings: Pick<CookieSettings, 'secure'>): string {
  return settings.secure ? '__Host-csrf' : 'csrf';
}

/**
 * CSRF protection for guests and users alike: each browser gets a random cookie, and every form carries
 * an HMAC of it and of the session (`sessionTokenHash`, none for a guest). Another site can neither read the
 * cookie nor compute the HMAC, and a token from before a sign-in or sign-out does not pass after it.
 */
export function ensureCsrfToken(
  request: FastifyRequest,
  reply: FastifyReply,
  settings: CookieSettings,
  sessionTokenHash: string | null = null,
): string {
  const name = csrfCookieName(settings);
  let secret = request.cookies[name];
  if (!secret || secret.length < 32) {
    secret = randomToken();
    reply.setCookie(name, secret, cookieOptions(settings, CSRF_MAX_AGE));
  }
  return hmac(settings.secret, `${secret}:${sessionTokenHash ?? ''}`);
}

/** A new CSRF cookie at sign-in and sign-out, so that no page shown before it can post after it. */
export function rotateCsrfCookie(reply: FastifyReply, settings: Pick<CookieSettings, 'secure'>): void {
  reply.setCookie(csrfCookieName(settings), randomToken(), cookieOptions(settings, CSRF_MAX_AGE));
}

/**
 * A security event for the log (failed sign-ins, rate limits, slow-downs): the client address and, through the
 * request's logger, the request id; never an e-mail address or other personal data.
 */
export function logSecurityEvent(
  request: FastifyRequest,
  event: string,
  details: Record<string, string | number> = {},
): void {
  request.log.warn(
    {
      securityEvent: event,
      clientIp: request.ip,
      requestId: request.id,
      path: request.url.split('?')[0],
      ...details,
    },
    'security event',
  );
}

/**
 * Whether the browser says the request comes from another origin: `Sec-Fetch-Site` other than same-origin or
 * a typed address, or an `Origin` whose host is not this site's. A page on a sibling subdomain is «same-site»:
 * the browser sends it the SameSite=Lax session cookie, so SameSite alone does not keep it out.
 */
function fromAnotherOrigin(request: FastifyRequest): boolean {
  // A browser that sends Sec-Fetch-Site says it exactly; Origin is compared for the others only, since a proxy
  // may rewrite Host.
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined) return site !== 'same-origin' && site !== 'none';
  const origin = request.headers.origin;
  if (origin === undefined) return false;
  try {
    return new URL(origin).host !== request.host;
  } catch {
    // «Origin: null» (a sandboxed frame, a redirect across sites) or garbage.
    return true;
  }
}

export function isValidCsrf(request: FastifyRequest): boolean {
  // Another site cannot send a JSON body or a DELETE/PATCH without a CORS preflight, which this app
  // never grants; so API calls of that kind need no token. API form posts still do. A request the browser
  // marks as coming from another origin never skips the token.
  if (request.url.startsWith('/api/') && !fromAnotherOrigin(request)) {
    const json = String(request.headers['content-type'] ?? '').startsWith('application/json');
    if (json || (request.method !== 'POST' && request.method !== 'GET')) return true;
    // A POST with no body and no content type cannot come from a form, but a script may send one (fetch,
    // sendBeacon); from another site it gets no session cookie (SameSite=Lax), and from a sibling subdomain
    // (same site, another origin) the browser says so above. So API actions without parameters need no token.
    if (
      request.headers['content-type'] === undefined &&
      Number(request.headers['content-length'] ?? 0) === 0
    ) {
      return true;
    }
  }
  const body = request.body as Record<string, unknown> | undefined;
  const sent = typeof body?._csrf === 'string' ? body._csrf : request.headers['x-csrf-token'];
  return typeof sent === 'string' && request.csrfToken !== '' && safeEqual(sent, request.csrfToken);
}

/**
 * Fastify's `trustProxy` from TRUST_PROXY: proxy addresses as they are; a hop count as «the nearest N hops»
 * (Fastify itself trusts nothing for a bare number), which is safe only when the app is reachable through the
 * proxy alone.
 */
export function proxyTrust(setting: false | number | string[]) {
  if (typeof setting !== 'number') return setting;
  return (_address: string, hop: number) => hop < setting;
}

/**
 * Over HTTPS the flash cookie is `__Host-flash` too: a page on a sibling subdomain could otherwise plant a
 * `flash` cookie for the parent domain and have its text shown on this site as the site's own message.
 */
export function flashCookieName(settings: Pick<CookieSettings, 'secure'>): string {
  return settings.secure ? '__Host-flash' : FLASH_COOKIE;
}

/** A confirmation for the page after a redirect (post/redirect/get). */
export function setFlash(
  reply: FastifyReply,
  message: string,
  settings: Pick<CookieSettings, 'secure'>,
): void {
  reply.setCookie(flashCookieName(settings), encodeURIComponent(message), cookieOptions(settings, 60));
}

export function takeFlash(
  request: FastifyRequest,
  reply: FastifyReply,
  settings: Pick<CookieSettings, 'secure'>,
): string | null {
  const name = flashCookieName(settings);
  const value = request.cookies[name];
  if (!value) return null;
  reply.clearCookie(name, { path: '/', secure: settings.secure });
  try {
    return decodeURIComponent(value).slice(0, 300);
  } catch {
    return null;
  }
}

/**
 * Back to a known internal page after a form: `path` with the query the Referer had on it (a list's filter),
 * never the Referer's host or any other path.
 */
export function backTo(path: string, referer: unknown): string {
  if (typeof referer !== 'string') return path;
  try {
    const url = new URL(referer, 'http://internal.invalid');
    if (url.pathname !== path) return path;
    const query = new URLSearchParams(url.search).toString();
    return query ? `${path}?${query}` : path;
  } catch {
    return path;
  }
}
