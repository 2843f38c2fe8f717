import type { FastifyReply, FastifyRequest } from 'fastify';
import { h, type VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { PageContext } from './context.js';

/**
 * Renders a page on the server (text is escaped by preact) and sends it as HTML. The current user,
 * the CSRF token and the flash message reach the layout and forms through PageContext.
 */
export function sendPage(reply: FastifyReply, page: VNode, status = 200): FastifyReply {
  return sendHtml(reply, renderPage(reply.request, page), status);
}

/**
 * The whole document for this request (its user, CSRF token and flash message), as text. A page that shows
 * an error summary gets «Ошибка: » before its title, so a screen reader says at once that the form failed.
 */
export function renderPage(request: FastifyRequest, page: VNode, options: { path?: string } = {}): string {
  const { user, csrfToken, flash, lowVision } = request;
  const facts = request.pageFacts ?? undefined;
  const found = { formErrors: false };
  // `path` (where the low-vision switch comes back to): the page's own address when one page is kept for many
  // addresses (a guest's program page, ADR 0010), so that no guest's query string reaches another guest.
  const value = { user, csrfToken, flash, lowVision, path: options.path ?? request.url, found, facts };
  const html = renderToString(h(PageContext.Provider, { value }, page));
  return '<!doctype html>' + (found.formErrors ? html.replace('<title>', '<title>Ошибка: ') : html);
}

export function sendHtml(reply: FastifyReply, html: string, status = 200): FastifyReply {
  return reply.status(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
}
