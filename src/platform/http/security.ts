import type { FastifyReply, FastifyRequest } from 'fastify';
import { hmac, randomToken, safeEqual } from '../security/tokens.js';

const CSRF_COOKIE = 'csrf';
const FLASH_COOKIE = 'flash';

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
 * CSRF protection for guests and users alike: each browser gets a random cookie, and every form carries
 * an HMAC of it. Another site can neither read the cookie nor compute the HMAC.
 */
export function ensureCsrfToken(
  request: FastifyRequest,
  reply: FastifyReply,
  settings: CookieSettings,
): string {
  let secret = request.cookies[CSRF_COOKIE];
  if (!secret || secret.length < 32) {
    secret = randomToken();
    reply.setCookie(CSRF_COOKIE, secret, cookieOptions(settings, 365 * 24 * 3600));
  }
  return hmac(settings.secret, secret);
}

export function isValidCsrf(request: FastifyRequest): boolean {
  // Another site cannot send a JSON body or a DELETE/PATCH without a CORS preflight, which this app
  // never grants; so API calls of that kind need no token. API form posts still do.
  if (request.url.startsWith('/api/')) {
    const json = String(request.headers['content-type'] ?? '').startsWith('application/json');
    if (json || (request.method !== 'POST' && request.method !== 'GET')) return true;
  }
  const body = request.body as Record<string, unknown> | undefined;
  const sent = typeof body?._csrf === 'string' ? body._csrf : request.headers['x-csrf-token'];
  return typeof sent === 'string' && request.csrfToken !== '' && safeEqual(sent, request.csrfToken);
}

/** A confirmation for the page after a redirect (post/redirect/get). */
export function setFlash(
  reply: FastifyReply,
  message: string,
  settings: Pick<CookieSettings, 'secure'>,
): void {
  reply.setCookie(FLASH_COOKIE, encodeURIComponent(message), cookieOptions(settings, 60));
}

export function takeFlash(request: FastifyRequest, reply: FastifyReply): string | null {
  const value = request.cookies[FLASH_COOKIE];
  if (!value) return null;
  reply.clearCookie(FLASH_COOKIE, { path: '/' });
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
