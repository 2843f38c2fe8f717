import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { notFound, parseBody } from '../../platform/http/api.js';
import { apiError } from '../../platform/http/errors.js';
import { auditContextOf } from '../../platform/http/audit-context.js';
import { present, type ApiOperation, type ApiRegistry } from '../../platform/http/openapi.js';
import {
  certificateAnswerSchema,
  childAnswerSchema,
  childrenAnswerSchema,
  decisionAnswerSchema,
  staffChildAnswerSchema,
  staffSearchAnswerSchema,
} from './api-schemas.js';
import { certificateForParent, type CertificatesService } from '../certificates/index.js';
import type { ConfirmationService } from './confirmation.js';
import { childSchema } from './schemas.js';
import type { Child, ChildrenService } from './service.js';
import { certificateSearchSchema, confirmSchema, personSearchSchema, rejectSchema } from './staff-schemas.js';
import { access, operatorOf, userOf } from '../../platform/http/access.js';

const idParams = z.object({ id: z.uuid() });
const searchSchema = z.discriminatedUnion('by', [
  certificateSearchSchema.extend({ by: z.literal('certificate') }),
  personSearchSchema.extend({ by: z.literal('person') }),
]);

/** What the API shows of a child: the allow-list of childAnswerSchema. */
const publicChild = (child: Child) => present(childAnswerSchema, child);

/**
 * What the parent sees is the same allow-list: it has no `possibleDuplicate`, so nothing tells whether another
 * family registered the same child.
 */
const parentChild = publicChild;

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
      result: childrenAnswerSchema,
    },
    {
      method: 'post',
      path: '/api/v1/children',
      summary: 'Добавить ребёнка',
      tag: parents,
      body: childSchema,
      responses: { 201: 'Сохранено', 400: 'Ошибки в полях' },
      result: childAnswerSchema,
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
      result: childAnswerSchema,
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
      result: certificateAnswerSchema,
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
      result: staffSearchAnswerSchema,
    },
    {
      method: 'get',
      path: '/api/v1/staff/children/{id}',
      summary: 'Данные ребёнка (просмотр записывается в журнал)',
      tag: operators,
      responses: { 200: 'Данные', 404: 'Не найдено или вне полномочий' },
      result: staffChildAnswerSchema,
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
      result: decisionAnswerSchema,
    },
    {
      method: 'post',
      path: '/api/v1/staff/children/{id}/reject',
      summary: 'Отклонить данные с причиной',
      tag: operators,
      body: rejectSchema,
      responses: { 200: 'Отклонено', 400: 'Ошибки в полях', 404: 'Не найдено или вне полномочий' },
      result: decisionAnswerSchema,
    },
  ];
  for (const op of operations) registry.add(op);

  return (app: FastifyInstance) => {
    app.get('/api/v1/children', access('user'), async (request) => {
      const user = userOf(request);
      const list = await children.listOf(user);
      const issued = await certificates.forChildren(
        user,
        list.map((child) => child.id),
      );
      return present(childrenAnswerSchema, {
        children: list.map((child) => {
          const certificate = issued.get(child.id);
          return { ...child, certificate: certificate ? certificateForParent(certificate, child) : null };
        }),
      });
    });

    app.post('/api/v1/children', access('user'), async (request, reply) => {
      const user = userOf(request);
      const input = parseBody(childSchema, request, reply);
      if (!input) return reply;
      const result = await children.add(user, input, auditContextOf(request));
      if (!result.ok)
        return reply
          .status(400)
          .send({ error: 'validation', message: 'Исправьте ошибки', errors: result.errors });
      return reply.status(201).send(parentChild(result.child));
    });

    app.patch('/api/v1/children/:id', access('user'), async (request, reply) => {
      const user = userOf(request);
      const params = idParams.safeParse(request.params);
      const owned = params.success ? await children.getOwned(user, params.data.id) : null;
      if (!params.success || !owned) return notFound(reply);
      const input = parseBody(childSchema, request, reply);
      if (!input) return reply;
      const result = await children.update(user, params.data.id, input, auditContextOf(request));
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

    app.delete('/api/v1/children/:id', access('user'), async (request, reply) => {
      const user = userOf(request);
      const params = idParams.safeParse(request.params);
      const result = params.success
        ? await children.remove(user, params.data.id, auditContextOf(request))
        : 'not_found';
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

    app.post('/api/v1/children/:id/certificate', access('confirmed'), async (request, reply) => {
      const user = userOf(request);
      const params = idParams.safeParse(request.params);
      const issued = params.success ? await children.getCertificate(user, params.data.id) : null;
      if (!issued) return notFound(reply);
      return present(certificateAnswerSchema, certificateForParent(issued.certificate, issued.child));
    });

    app.post('/api/v1/staff/search', access('municipal_admin'), async (request, reply) => {
      const staff = operatorOf(request);
      const input = parseBody(searchSchema, request, reply);
      if (!input) return reply;
      const results = await confirmation.search(staff, input, auditContextOf(request));
      return present(staffSearchAnswerSchema, {
        results: results.map(({ child, certificate }) => ({ child, certificate: certificate ?? null })),
      });
    });

    app.get('/api/v1/staff/children/:id', access('municipal_admin'), async (request, reply) => {
      const staff = operatorOf(request);
      const params = idParams.safeParse(request.params);
      const view = params.success
        ? await confirmation.open(staff, params.data.id, auditContextOf(request))
        : null;
      if (!view) return notFound(reply);
      return present(staffChildAnswerSchema, {
        ...view,
        certificate: view.certificate ?? null,
        parentEmail: view.parent?.email ?? null,
      });
    });

    app.post('/api/v1/staff/children/:id/confirm', access('municipal_admin'), async (request, reply) => {
      const staff = operatorOf(request);
      const params = idParams.safeParse(request.params);
      if (
        !params.success ||
        !(await confirmation.reachable(staff, params.data.id, auditContextOf(request), 'confirm'))
      )
        return notFound(reply);
      const input = parseBody(confirmSchema, request, reply);
      if (!input) return reply;
      const result = await confirmation.confirm(
        staff,
        params.data.id,
        input.document,
        auditContextOf(request),
      );
      if (result === 'not_found') return notFound(reply);
      if (result === 'identity_taken') return apiError(reply, 'identity_taken');
      return present(decisionAnswerSchema, { status: result });
    });

    app.post('/api/v1/staff/children/:id/reject', access('municipal_admin'), async (request, reply) => {
      const staff = operatorOf(request);
      const params = idParams.safeParse(request.params);
      if (
        !params.success ||
        !(await confirmation.reachable(staff, params.data.id, auditContextOf(request), 'confirm'))
      )
        return notFound(reply);
      const input = parseBody(rejectSchema, request, reply);
      if (!input) return reply;
      const result = await confirmation.reject(staff, params.data.id, input.reason, auditContextOf(request));
      if (result === 'not_found') return notFound(reply);
      return present(decisionAnswerSchema, { status: result });
    });
  };
}
