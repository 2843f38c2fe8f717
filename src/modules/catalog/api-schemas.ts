import { z } from 'zod';
import { isoDate, isoDateTime } from '../../platform/http/openapi.js';
import { organizationPublicSchema } from '../organizations/index.js';

/** What /api/v1 shows of the public catalog: allow-lists, so an internal column never leaks by default. */

const financing = z.enum(['free', 'certificate', 'paid']).describe('Следует из реестра программы');
const registry = z
  .enum(['certified', 'significant', 'preprofessional', 'other', 'paid'])
  .describe('Реестр программы: сертифицированные, значимые, предпрофессиональные, иные, платные');
const format = z.enum(['in_person', 'remote', 'blended']);

export const programCardSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  ageFrom: z.number().int(),
  ageTo: z.number().int(),
  financing,
  registry,
  format,
  ovzAdapted: z.boolean(),
  organizationId: z.uuid(),
  organization: z.string(),
  municipality: z.string(),
  direction: z.string(),
  groups: z.number().int(),
  freePlaces: z.number().int(),
  enrolmentOpen: z.boolean(),
  nextStart: isoDate.nullable(),
  minMonthlyCost: z.number().int().nullable().describe('Наименьшая стоимость в месяц, ₽; null — бесплатно'),
});

export const searchAnswerSchema = z.object({
  items: z.array(programCardSchema),
  total: z.number().int(),
  totalCapped: z.boolean().describe('Найдено больше, чем total'),
  page: z.number().int().describe('Запрошенная страница; если она больше pageCount, items пуст'),
  pageCount: z.number().int(),
  correctedQuery: z.string().nullable(),
  partialMatch: z.boolean(),
  municipality: z.string().describe('Код муниципалитета или all'),
  age: z.number().int().nullable(),
});

const groupSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  teacher: z.string(),
  address: z.string(),
  schedule: z.array(
    z.object({
      weekday: z.number().int().describe('1 — понедельник … 7 — воскресенье'),
      start: z.string(),
      end: z.string(),
    }),
  ),
  lessonMinutes: z.number().int(),
  ageFrom: z.number().int(),
  ageTo: z.number().int(),
  capacity: z.number().int(),
  freePlaces: z.number().int(),
  enrolment: z.object({ from: isoDate, to: isoDate }),
  study: z.object({ from: isoDate, to: isoDate }),
  monthlyCostCertificate: z.number().int().nullable(),
  monthlyCostOwn: z.number().int().nullable(),
});

export const programAnswerSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  description: z.string(),
  goals: z.string(),
  expectedResults: z.string(),
  direction: z.string(),
  directionCode: z.string(),
  specialization: z.string().nullable(),
  municipality: z.string(),
  ageFrom: z.number().int(),
  ageTo: z.number().int(),
  level: z.string(),
  durationMonths: z.number().int(),
  hoursTotal: z.number().int(),
  format,
  ovzAdapted: z.boolean(),
  ovzCategories: z.array(z.string()),
  financing,
  registry,
  registries: z.array(registry).describe('Устарело: всегда один элемент, registry'),
  minMonthlyCost: z.number().int().nullable(),
  publishedAt: isoDateTime.nullable(),
  organization: organizationPublicSchema,
  groups: z.array(groupSchema),
});

/** The organizations of a search's results with coordinates, for the map (public/map.js draws these). */
export const placesAnswerSchema = z.object({
  total: z.number().int().describe('Сколько организаций с координатами у всех результатов поиска'),
  places: z
    .array(
      z.object({
        organizationId: z.uuid(),
        name: z.string(),
        address: z.string(),
        latitude: z.number(),
        longitude: z.number(),
        programs: z.number().int().describe('Сколько найденных программ этой организации'),
        href: z.string().describe('Страница организации'),
        note: z.string().describe('Подпись на карте, например «3 программы из найденных»'),
      }),
    )
    .describe('До 200 организаций с наибольшим числом найденных программ'),
});
