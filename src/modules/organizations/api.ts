import type { FastifyInstance } from 'fastify';
import { access } from '../../platform/http/access.js';
import { notFound } from '../../platform/http/api.js';
import { present, type ApiRegistry } from '../../platform/http/openapi.js';
import { idParams } from '../../platform/validation/fields.js';
import { organizationAnswerSchema, organizationListAnswerSchema } from './api-schemas.js';
import { listFilters, organizationQuerySchema } from './schemas.js';
import type { OrganizationsService } from './service.js';

/** An organization's public profile in /api/v1, the same as its page. */
export function organizationsApi({
  organizations,
  registry,
}: {
  organizations: OrganizationsService;
  registry: ApiRegistry;
}) {
  registry.add({
    method: 'get',
    path: '/api/v1/organizations',
    summary:
      'Организации: поиск по названию (q), фильтры municipality (код муниципалитета) и category (тип); неизвестное значение фильтра не применяется. Страница за последней (page > pageCount) — пустой список items с верными total и pageCount',
    tag: 'Каталог',
    query: organizationQuerySchema,
    responses: { 200: 'Страница списка (до 20 организаций)' },
    result: organizationListAnswerSchema,
  });
  registry.add({
    method: 'get',
    path: '/api/v1/organizations/{id}',
    summary: 'Организация и её опубликованные программы',
    tag: 'Каталог',
    responses: { 200: 'Организация', 404: 'Не найдена' },
    result: organizationAnswerSchema,
  });

  return (app: FastifyInstance) => {
    app.get('/api/v1/organizations', access('public'), async (request) => {
      const { filters } = listFilters(organizationQuerySchema.parse(request.query ?? {}));
      return present(organizationListAnswerSchema, await organizations.list(request.user, filters));
    });

    app.get('/api/v1/organizations/:id', access('public'), async (request, reply) => {
      const params = idParams.safeParse(request.params);
      const details = params.success ? await organizations.publicProfile(request.user, params.data.id) : null;
      if (!details) return notFound(reply);
      return present(organizationAnswerSchema, details);
    });
  };
}
