import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { notFound, parseBody, unauthorized } from '../../platform/http/api.js';
import type { ApiOperation, ApiRegistry } from '../../platform/http/openapi.js';
import {
  certificateForParent,
  publicCertificate,
  type CertificatesService,
} from '../certificates/service.js';
import type { ConfirmationService, Operator } from './confirmation.js';
import { childSchema } from './schemas.js';
import type { Child, ChildrenService } from './service.js';
import { certificateSearchSchema, confirmSchema, personSearchSchema, rejectSchema } from './staff-schemas.js';

const idParams = z.object({ id: z.uuid() });
const searchSchema = z.discriminatedUnion('by', [
  certificateSearchSchema.extend({ by: z.literal('certificate') }),
  personSearchSchema.extend({ by: z.literal('person') }),
]);

/** What the API shows of a child: the record without internal keys. */
function publicChild(child: Child) {
  const { identityKey: _key, ownerUserId: _owner, ...visible } = child;
  return visible;
}

/** What the parent sees: nothing that tells whether another family registered the same child. */
function parentChild(child: Child) {
  const { possibleDuplicate: _flag, ...visible } = publicChild(child);
  return visible;
}

/** Children, certificates and operators' confirmation in /api/v1: the same services and schemas as the pages. */
export function childrenApi({
  children,
  certificates,
  confirmation,
  registry,
}: {
  children: ChildrenService;
  certificates: CertificatesService;
  confirmation: ConfirmationService;
  registry: ApiRegistry;
}) {
  const parents = 'Дети и сертификаты';
  const operators = 'Подтверждение данных (сотрудники)';
  const operations: ApiOperation[] = [
    {
      method: 'get',
      path: '/api/v1/children',
      summary: 'Дети и их сертификаты',
      tag: parents,
      responses: { 200: 'Список', 401: 'Не выполнен вход' },
    },
    {
      method: 'post',
      path: '/api/v1/children',
      summary: 'Добавить ребёнка',
      tag: parents,
      body: childSchema,
      responses: { 201: 'Сохранено', 400: 'Ошибки в полях' },
    },
    {
      method: 'patch',
      path: '/api/v1/children/{id}',
      summary: 'Изменить данные ребёнка (до подтверждения)',
      tag: parents,
      body: childSchema,
      responses: {
        200: 'Сохранено',
        400: 'Ошибки в полях',
        404: 'Не найдено',
        409: 'Данные уже подтверждены',
      },
    },
    {
      method: 'delete',
      path: '/api/v1/children/{id}',
      summary: 'Удалить данные ребёнка (до подтверждения)',
      tag: parents,
      responses: { 204: 'Удалено', 404: 'Не найдено', 409: 'Данные уже подтверждены' },
    },
    {
      method: 'post',
      path: '/api/v1/children/{id}/certificate',
      summary: 'Получить сертификат',
      tag: parents,
      responses: {
        200: 'Сертификат (выданный сейчас или раньше)',
        403: 'Адрес электронной почты не подтверждён',
        404: 'Не найдено',
      },
    },
    {
      method: 'post',
      path: '/api/v1/staff/search',
      summary: 'Найти ребёнка по номеру сертификата или ФИО и дате рождения',
      tag: operators,
      body: searchSchema,
      responses: {
        200: 'Найденные дети в пределах полномочий',
        400: 'Ошибки в полях',
        403: 'Только для сотрудников',
      },
    },
    {
      method: 'get',
      path: '/api/v1/staff/children/{id}',
      summary: 'Данные ребёнка (просмотр записывается в журнал)',
      tag: operators,
      responses: { 200: 'Данные', 404: 'Не найдено или вне полномочий' },
    },
    {
      method: 'post',
      path: '/api/v1/staff/children/{id}/confirm',
      summary: 'Подтвердить данные',
      tag: operators,
      body: confirmSchema,
      responses: {
        200: 'Подтверждено',
        400: 'Ошибки в полях',
        404: 'Не найдено или вне полномочий',
        409: 'На этого ребёнка уже действует подтверждённый сертификат в другом кабинете',
      },
    },
    {
      method: 'post',
      path: '/api/v1/staff/children/{id}/reject',
      summary: 'Отклонить данные с причиной',
      tag: operators,
      body: rejectSchema,
      responses: { 200: 'Отклонено', 400: 'Ошибки в полях', 404: 'Не найдено или вне полномочий' },
    },
  ];
  for (const op of operations) registry.add(op);

  return (app: FastifyInstance) => {
    app.get('/api/v1/children', async (request, reply) => {
      if (!request.user) return unauthorized(reply);
      const list = await children.listOf(request.user.id);
      const issued = await certificates.forChildren(list.map((child) => child.id));
      return {
        children: list.map((child) => {
          const certificate = issued.get(child.id);
          return {
            ...parentChild(child),
            certificate: certificate ? certificateForParent(certificate, child) : null,
          };
        }),
      };
    });

    app.post('/api/v1/children', async (request, reply) => {
      if (!request.user) return unauthorized(reply);
      const input = parseBody(childSchema, request, reply);
      if (!input) return reply;
      const result = await children.add(request.user.id, input);
      if (!result.ok)
        return reply
          .status(400)
          .send({ error: 'validation', message: 'Исправьте ошибки', errors: result.errors });
      return reply.status(201).send(parentChild(result.child));
    });

    app.patch('/api/v1/children/:id', async (request, reply) => {
      if (!request.user) return unauthorized(reply);
      const params = idParams.safeParse(request.params);
      if (!params.success) return notFound(reply);
      const input = parseBody(childSchema, request, reply);
      if (!input) return reply;
      const result = await children.update(request.user.id, params.data.id, input);
      if (result === 'not_found') return notFound(reply);
      if (result === 'confirmed')
        return reply
          .status(409)
          .send({ error: 'confirmed', message: 'Подтверждённые данные изменить нельзя' });
      if (!result.ok)
        return reply
          .status(400)
          .send({ error: 'validation', message: 'Исправьте ошибки', errors: result.errors });
      return parentChild(result.child);
    });

    app.delete('/api/v1/children/:id', async (request, reply) => {
      if (!request.user) return unauthorized(reply);
      const params = idParams.safeParse(request.params);
      const result = params.success ? await children.remove(request.user.id, params.data.id) : 'not_found';
      if (result === 'not_found') return notFound(reply);
      if (result === 'confirmed')
        return reply
          .status(409)
          .send({ error: 'confirmed', message: 'Подтверждённые данные удалить нельзя' });
      if (result === 'has_applications')
        return reply
          .status(409)
          .send({ error: 'has_applications', message: 'У ребёнка есть заявки в группы: удалить нельзя' });
      return reply.status(204).send();
    });

    app.post('/api/v1/children/:id/certificate', async (request, reply) => {
      const user = request.user;
      if (!user) return unauthorized(reply);
      if (!user.emailVerified) {
        return reply
          .status(403)
          .send({ error: 'email_not_confirmed', message: 'Подтвердите адрес электронной почты' });
      }
      const params = idParams.safeParse(request.params);
      const issued = params.success ? await children.getCertificate(user.id, params.data.id) : null;
      if (!issued) return notFound(reply);
      return certificateForParent(issued.certificate, issued.child);
    });

    /** Operators only: 401 for a guest, 403 for anyone else signed in. */
    const requireOperator = (request: FastifyRequest, reply: FastifyReply): Operator | null => {
      if (request.user?.staff) return request.user as Operator;
      void reply
        .status(request.user ? 403 : 401)
        .send({ error: 'forbidden', message: 'Только для сотрудников' });
      return null;
    };

    app.post('/api/v1/staff/search', async (request, reply) => {
      const staff = requireOperator(request, reply);
      if (!staff) return reply;
      const input = parseBody(searchSchema, request, reply);
      if (!input) return reply;
      const results = await confirmation.search(staff, input);
      return {
        results: results.map(({ child, certificate }) => ({
          child: publicChild(child),
          certificate: certificate ? publicCertificate(certificate) : null,
        })),
      };
    });

    app.get('/api/v1/staff/children/:id', async (request, reply) => {
      const staff = requireOperator(request, reply);
      if (!staff) return reply;
      const params = idParams.safeParse(request.params);
      const view = params.success ? await confirmation.open(staff, params.data.id) : null;
      if (!view) return notFound(reply);
      return {
        child: publicChild(view.child),
        certificate: view.certificate ? publicCertificate(view.certificate) : null,
        parentEmail: view.parentEmail,
      };
    });

    app.post('/api/v1/staff/children/:id/confirm', async (request, reply) => {
      const staff = requireOperator(request, reply);
      if (!staff) return reply;
      const params = idParams.safeParse(request.params);
      if (!params.success) return notFound(reply);
      const input = parseBody(confirmSchema, request, reply);
      if (!input) return reply;
      const result = await confirmation.confirm(staff, params.data.id, input.document);
      if (result === 'not_found') return notFound(reply);
      if (result === 'identity_taken')
        return reply.status(409).send({
          error: 'identity_taken',
          message: 'На этого ребёнка уже действует подтверждённый сертификат в другом личном кабинете',
        });
      return { status: result };
    });

    app.post('/api/v1/staff/children/:id/reject', async (request, reply) => {
      const staff = requireOperator(request, reply);
      if (!staff) return reply;
      const params = idParams.safeParse(request.params);
      if (!params.success) return notFound(reply);
      const input = parseBody(rejectSchema, request, reply);
      if (!input) return reply;
      const result = await confirmation.reject(staff, params.data.id, input.reason);
      if (result === 'not_found') return notFound(reply);
      return { status: result };
    });
  };
}
