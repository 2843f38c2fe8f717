import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { access, userOf } from '../../platform/http/access.js';
import { notFound } from '../../platform/http/api.js';
import { present, type ApiRegistry } from '../../platform/http/openapi.js';
import { inputFields } from '../../platform/validation/input.js';
import { NotFoundPage } from '../../platform/views/error-pages.js';
import { sendPage } from '../../platform/views/render.js';
import { noticeListSchema, noticeReadSchema } from './api-schemas.js';
import { NoticesTab } from './notice-views.js';
import type { NoticesService } from './notices.js';

const idParams = z.object({ id: z.uuid() });
/** A page number from a query or a form; anything else is the first page, never an error. */
const pageField = z.object({
  page: z.coerce.number().int().min(1).max(100_000).catch(1).describe('Страница, с 1; по 20 уведомлений'),
});

const pageUrl = (page: number) => (page > 1 ? `/cabinet/notices?page=${page}` : '/cabinet/notices');

/**
 * «Уведомления» in the cabinet and /api/v1/notices: each person's own notices about their applications. Reading
 * the list marks nothing; a notice is marked read only by a POST. Also gives the layout its unread counter.
 */
export function noticesRoutes({ notices, registry }: { notices: NoticesService; registry: ApiRegistry }) {
  const tag = 'Уведомления';
  registry.add({
    method: 'get',
    path: '/api/v1/notices',
    summary: 'Мои уведомления об изменениях заявок, новые сверху (по 20 на странице, параметр page)',
    tag,
    query: pageField,
    responses: { 200: 'Страница уведомлений и число непрочитанных', 401: 'Не выполнен вход' },
    result: noticeListSchema,
  });
  registry.add({
    method: 'post',
    path: '/api/v1/notices/{id}/read',
    summary: 'Отметить уведомление прочитанным',
    tag,
    responses: {
      200: 'Отмечено: число оставшихся непрочитанных',
      401: 'Не выполнен вход',
      404: 'Не найдено',
    },
    result: noticeReadSchema,
  });
  registry.add({
    method: 'post',
    path: '/api/v1/notices/read-all',
    summary: 'Отметить все уведомления прочитанными',
    tag,
    responses: { 200: 'Отмечено', 401: 'Не выполнен вход' },
    result: noticeReadSchema,
  });

  return (app: FastifyInstance) => {
    // One bounded count on a partial index, for the header of every page of a signed-in person.
    app.addPageFacts(async (user) => ({ unreadNotices: await notices.unreadCount(user) }));

    app.get('/cabinet/notices', access('user'), async (request, reply) => {
      const { page } = pageField.parse(inputFields(request.query));
      return sendPage(reply, <NoticesTab notices={await notices.page(userOf(request), page)} />);
    });

    app.post('/cabinet/notices/read-all', access('user'), async (request, reply) => {
      await notices.markAllRead(userOf(request));
      return reply.redirect('/cabinet/notices', 303);
    });

    app.post('/cabinet/notices/:id/read', access('user'), async (request, reply) => {
      const params = idParams.safeParse(request.params);
      if (!params.success) return sendPage(reply, <NotFoundPage />, 404);
      await notices.markRead(userOf(request), params.data.id);
      const { page } = pageField.parse(inputFields(request.body));
      return reply.redirect(pageUrl(page), 303);
    });

    app.get('/api/v1/notices', access('user'), async (request) => {
      const { page } = pageField.parse(inputFields(request.query));
      return present(noticeListSchema, await notices.page(userOf(request), page));
    });

    app.post('/api/v1/notices/read-all', access('user'), async (request) => {
      const user = userOf(request);
      await notices.markAllRead(user);
      return present(noticeReadSchema, { unread: await notices.unreadCount(user) });
    });

    app.post('/api/v1/notices/:id/read', access('user'), async (request, reply) => {
      const user = userOf(request);
      const params = idParams.safeParse(request.params);
      if (!params.success) return notFound(reply);
      await notices.markRead(user, params.data.id);
      return present(noticeReadSchema, { unread: await notices.unreadCount(user) });
    });
  };
}
