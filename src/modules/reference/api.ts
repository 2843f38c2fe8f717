import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { access } from '../../platform/http/access.js';
import { present, type ApiRegistry } from '../../platform/http/openapi.js';
import type { ReferenceService } from './service.js';

const municipalitiesSchema = z.object({
  items: z.array(
    z.object({
      id: z.number().int().describe('municipalityId в регистрации и в данных ребёнка'),
      code: z.string().describe('Код для фильтра каталога (municipality=…)'),
      name: z.string(),
      kind: z.string(),
      office: z
        .object({
          name: z.string(),
          people: z.string().nullable().describe('ФИО муниципальных администраторов'),
          address: z.string().nullable(),
          phone: z.string().nullable(),
          email: z.string().nullable(),
          hours: z.string().nullable(),
        })
        .nullable()
        .describe('Муниципальный администратор: куда нести документы для подтверждения данных'),
    }),
  ),
});

/** The region's municipalities in /api/v1: registration and children need their ids. */
export function referenceApi({
  reference,
  registry,
}: {
  reference: ReferenceService;
  registry: ApiRegistry;
}) {
  registry.add({
    method: 'get',
    path: '/api/v1/municipalities',
    summary: 'Муниципальные образования области и их муниципальные администраторы',
    tag: 'Справочники',
    responses: { 200: 'Список в порядке, принятом в области' },
    result: municipalitiesSchema,
  });
  return (app: FastifyInstance) => {
    app.get('/api/v1/municipalities', access('public'), async () => {
      const list = await reference.listMunicipalities();
      return present(municipalitiesSchema, {
        items: list.map((municipality) => ({
          ...municipality,
          office: municipality.officeName
            ? {
                name: municipality.officeName,
                people: municipality.officePeople,
                address: municipality.officeAddress,
                phone: municipality.officePhone,
                email: municipality.officeEmail,
                hours: municipality.officeHours,
              }
            : null,
        })),
      });
    });
  };
}
