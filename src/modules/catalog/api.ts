import type { FastifyInstance } from 'fastify';
import { notFound } from '../../platform/http/api.js';
import type { PageCache } from '../../platform/http/page-cache.js';
import { present, type ApiOperation, type ApiRegistry } from '../../platform/http/openapi.js';
import { placesAnswerSchema, programAnswerSchema, searchAnswerSchema } from './api-schemas.js';
import { placeMarkers } from './map.js';
import { MAP_MARKER_LIMIT } from './search.js';
import type { ChildrenService } from '../children/index.js';
import type { ReferenceService } from '../reference/index.js';
import { filtersOfRequest } from './filters.js';
import { idParams } from '../../platform/validation/fields.js';
import { programQuerySchema } from './schemas.js';
import type { CatalogService } from './service.js';
import { access } from '../../platform/http/access.js';

/** The public catalog in /api/v1: the same search, filters and pages as /programs. */
export function catalogApi({
  catalog,
  reference,
  children,
  catalogPages,
  registry,
}: {
  catalog: CatalogService;
  reference: ReferenceService;
  children: ChildrenService;
  catalogPages: PageCache;
  registry: ApiRegistry;
}) {
  const tag = 'Каталог';
  const operations: ApiOperation[] = [
    {
      method: 'get',
      path: '/api/v1/programs',
      summary:
        'Поиск опубликованных программ: текст (морфология, опечатки) и фильтры; без municipality — муниципалитет вошедшего пользователя, municipality=all — вся область. Неизвестное значение фильтра (код, номер, чужой ребёнок) не применяется. Страница за последней (page > pageCount) — пустой список items с верными total и pageCount',
      tag,
      query: programQuerySchema,
      responses: { 200: 'Страница результатов (до 20 программ; за последней страницей — ни одной)' },
      result: searchAnswerSchema,
    },
    {
      method: 'get',
      path: '/api/v1/programs/places',
      summary: `Организации с координатами, где проходят найденные программы (все страницы результатов), для карты: те же параметры, что у /api/v1/programs; до ${MAP_MARKER_LIMIT} с наибольшим числом найденных программ`,
      tag,
      query: programQuerySchema,
      responses: { 200: 'Организации для карты' },
      result: placesAnswerSchema,
    },
    {
      method: 'get',
      path: '/api/v1/programs/{id}',
      summary: 'Опубликованная программа: все поля, организация, группы со свободными местами',
      tag,
      responses: { 200: 'Программа', 404: 'Не найдена или не опубликована' },
      result: programAnswerSchema,
    },
  ];
  operations.forEach((operation) => registry.add(operation));

  return (app: FastifyInstance) => {
    app.get('/api/v1/programs', access('public'), async (request, reply) => {
      const build = async () => {
        const { filters } = await filtersOfRequest(request.query, request.user, { reference, children });
        const result = await catalog.search(filters);
        return JSON.stringify(
          present(searchAnswerSchema, {
            ...result,
            municipality: filters.municipality ?? 'all',
            age: filters.age ?? null,
          }),
        );
      };
      const body = request.user ? await build() : await catalogPages.remember(`api:${request.url}`, build);
      return reply.type('application/json; charset=utf-8').send(body);
    });

    app.get('/api/v1/programs/places', access('public'), async (request, reply) => {
      const build = async () => {
        const { filters } = await filtersOfRequest(request.query, request.user, { reference, children });
        const { places } = await catalog.answer(filters, true);
        const found = places?.places ?? [];
        const markers = placeMarkers(found);
        return JSON.stringify(
          present(placesAnswerSchema, {
            total: places?.total ?? 0,
            places: found.map((place, index) => ({ ...place, ...markers[index]! })),
          }),
        );
      };
      const body = request.user ? await build() : await catalogPages.remember(`api:${request.url}`, build);
      return reply.type('application/json; charset=utf-8').send(body);
    });

    app.get('/api/v1/programs/:id', access('public'), async (request, reply) => {
      const params = idParams.safeParse(request.params);
      const details = params.success ? await catalog.getPublishedProgram(params.data.id) : null;
      if (!details) return notFound(reply);
      const { program, organization, groups, ...names } = details;
      return present(programAnswerSchema, {
        ...program,
        registries: [program.registry],
        ...names,
        organization,
        groups: groups.map((group) => ({
          ...group,
          freePlaces: group.capacity - group.seatsTaken,
          enrolment: { from: group.enrolmentFrom, to: group.enrolmentTo },
          study: { from: group.studyStart, to: group.studyEnd },
        })),
      });
    });
  };
}
