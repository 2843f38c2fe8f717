import { z } from 'zod';
import { isoDate, isoDateTime } from '../../platform/http/openapi.js';
import { APPLICATION_STATUSES } from './places.js';

/** What /api/v1 shows of applications: allow-lists, with every status also as people read it. */

const status = z.enum(APPLICATION_STATUSES);

export const applicationAnswerSchema = z.object({
  id: z.uuid(),
  status,
  statusLabel: z.string().describe('Статус по-русски: «Новая», «В очереди», …'),
  channel: z.enum(['online', 'in_person']),
  reason: z.string().nullable(),
  offerExpiresAt: isoDateTime.nullable().describe('До какого момента можно подтвердить предложенное место'),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  queuePlace: z.number().int().nullable().describe('Место в очереди: 1 — первый'),
  childId: z.uuid(),
  childName: z.string(),
  childBirthDate: isoDate,
  groupId: z.uuid(),
  groupName: z.string(),
  groupAddress: z.string(),
  studyStart: isoDate,
  programId: z.uuid(),
  programName: z.string(),
  organizationName: z.string(),
  certificateNumber: z.string().nullable(),
  certificateConfirmed: z.boolean(),
});

export const applicationListSchema = z.object({ items: z.array(applicationAnswerSchema) });

export const applicationWithHistorySchema = applicationAnswerSchema.extend({
  history: z.array(
    z.object({
      fromStatus: status.nullable(),
      toStatus: status,
      reason: z.string().nullable(),
      actor: z.string().nullable().describe('Кто изменил; null — автоматически'),
      createdAt: isoDateTime,
    }),
  ),
});

export const filedAnswerSchema = z.object({
  id: z.uuid(),
  status,
  statusLabel: z.string(),
  queuePlace: z.number().int().nullable(),
});

/** One notice of «Уведомления»: the short line, the whole text of the letter, whether it was read. */
export const noticeAnswerSchema = z.object({
  id: z.uuid(),
  applicationId: z.uuid(),
  status: status.describe('Статус, в который перешла заявка'),
  summary: z.string().describe('Одна строка: что произошло, программа, ребёнок'),
  text: z.string().describe('Полный текст, как в письме'),
  createdAt: isoDateTime,
  read: z.boolean(),
});

export const noticeListSchema = z.object({
  items: z.array(noticeAnswerSchema).describe('Новые сверху'),
  page: z.number().int(),
  pageCount: z.number().int(),
  total: z.number().int(),
  unread: z.number().int().describe('Сколько всего непрочитанных'),
});

export const noticeReadSchema = z.object({
  unread: z.number().int().describe('Сколько непрочитанных осталось (не более 100)'),
});
