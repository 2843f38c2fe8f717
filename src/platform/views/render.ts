import type { FastifyReply } from 'fastify';
import { h, type VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { PageContext } from './context.js';

/**
 * Renders a page on the server (text is escaped by preact) and sends it as HTML. The current user,
 * the CSRF token and the flash message reach the layout and forms through PageContext.
 */
export function sendPage(reply: FastifyReply, page: VNode, status = 200): FastifyReply {
  const { user, csrfToken, flash } = reply.request;
  const html = renderToString(h(PageContext.Provider, { value: { user, csrfToken, flash } }, page));
  return reply
    .status(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send('<!doctype html>' + html);
}
