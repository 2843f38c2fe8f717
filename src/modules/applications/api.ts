import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { notFound, parseBody } from '../../platform/http/api.js';
import { apiError } from '../../platform/http/errors.js';
import { present, type ApiOperation, type ApiRegistry } from '../../platform/http/openapi.js';
import {
  applicationAnswerSchema,
  applicationListSchema,
  applicationWithHistorySchema,
  filedAnswerSchema,
} from './api-schemas.js';
import { STATUS_LABELS } from './labels.js';
import type { ApplicationView } from './queries.js';
import type { ActionResult, ApplicationsService } from './service.js';
import { access, userOf } from '../../platform/http/access.js';
import type { CurrentUser } from '../../platform/http/request-context.js';

const idParams = z.object({ id: z.uuid() });
export const applySchema = z.object({
  childId: z.uuid({ message: 'Выберите ребёнка' }),
  groupId: z.uuid({ message: 'Выберите группу' }),
});

/** What the API shows of an application: the view plus the status as people read it. */
function publicApplication(application: ApplicationView) {
  return present(applicationAnswerSchema, { ...application, statusLabel: STATUS_LABELS[application.status] });
}

/** Applying and following applications in /api/v1: the same service as the pages. */
export function applicationsApi({
  applications,
  registry,
}: {
  applications: ApplicationsService;
  registry: ApiRegistry;
}) {
  const tag = 'Заявки';
  const operations: ApiOperation[] = [
    {
      method: 'get',
      path: '/api/v1/applications',
      summary: 'Мои заявки со статусами, местом в очереди и сроком подтверждения места',
      tag,
      responses: { 200: 'Список', 401: 'Не выполнен вход' },
      result: applicationListSchema,
    },
    {
      method: 'post',
      path: '/api/v1/applications',
      summary: 'Записаться: подать заявку ребёнка в группу',
      tag,
      body: applySchema,
      responses: {
        201: 'Заявка подана: «Новая» (место сохранено), «Принята» или «В очереди» с местом',
        400: 'Ошибки в полях',
        401: 'Не выполнен вход',
        403: 'Адрес электронной почты не подтверждён',
        404: 'Группа или ребёнок не найдены',
        409: 'У ребёнка уже есть заявка в эту группу',
        422: 'Запись невозможна: причина в message (приём закрыт, возраст, сертификат, лимит)',
      },
      result: filedAnswerSchema,
    },
    {
      method: 'get',
      path: '/api/v1/applications/{id}',
      summary: 'Заявка и её история',
      tag,
      responses: { 200: 'Заявка', 404: 'Не найдено' },
      result: applicationWithHistorySchema,
    },
    ...(
      [
        ['cancel', 'Отменить заявку («Новая», «В очереди») или отказаться от предложенного места'],
        ['take-offer', 'Подтвердить предложенное место до срока'],
        ['leave', 'Заявление на отчисление'],
      ] as const
    ).map(([action, summary]): ApiOperation => ({
      method: 'post',
      path: `/api/v1/applications/{id}/${action}`,
      summary,
      tag,
      responses: {
        200: 'Сделано: заявка в новом статусе',
        404: 'Не найдено',
        409: 'Статус заявки уже изменился',
      },
      result: applicationAnswerSchema,
    })),
  ];
  operations.forEach((operation) => registry.add(operation));

  async function answer(reply: FastifyReply, user: CurrentUser, id: string, result: ActionResult) {
    if (result === 'not_found') return notFound(reply);
    if (result === 'conflict') return apiError(reply, 'conflict', 'Статус заявки уже изменился');
    if (typeof result === 'object') return apiError(reply, 'conflict', result.refused);
    const found = await applications.openForApplicant(user, id);
    return publicApplication(found!.application);
  }

  return (app: FastifyInstance) => {
    app.get('/api/v1/applications', access('user'), async (request) => {
      const user = userOf(request);
      const list = await applications.listForApplicant(user);
      return present(applicationListSchema, { items: list.map(publicApplication) });
    });

    app.post('/api/v1/applications', access('confirmed'), async (request, reply) => {
      const user = userOf(request);
      const input = parseBody(applySchema, request, reply);
      if (!input) return reply;
      const result = await applications.apply({
        actorUserId: user.id,
        ownerUserId: user.id,
        channel: 'online',
        ...input,
      });
      if (!result.ok) {
        return apiError(reply, result.code, result.message);
      }
      return reply
        .status(201)
        .send(present(filedAnswerSchema, { ...result, statusLabel: STATUS_LABELS[result.status] }));
    });

    app.get('/api/v1/applications/:id', access('user'), async (request, reply) => {
      const user = userOf(request);
      const params = idParams.safeParse(request.params);
      const found = params.success ? await applications.openForApplicant(user, params.data.id) : null;
      if (!found) return notFound(reply);
      return present(applicationWithHistorySchema, {
        ...publicApplication(found.application),
        history: found.events,
      });
    });

    const actions = {
      cancel: applications.cancel,
      'take-offer': applications.takeOffer,
      leave: applications.leave,
    };
    app.post('/api/v1/applications/:id/:action', access('user'), async (request, reply) => {
      const user = userOf(request);
      const params = z
        .object({ id: z.uuid(), action: z.enum(['cancel', 'take-offer', 'leave']) })
        .safeParse(request.params);
      if (!params.success) return notFound(reply);
      const { id, action } = params.data;
      return answer(reply, user, id, await actions[action](user, id));
    });
  };
}
