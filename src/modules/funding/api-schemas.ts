import { z } from 'zod';
import { isoDate, isoDateTime } from '../../platform/http/openapi.js';

/** What /api/v1 shows a parent of their certificate's money and contracts: allow-lists, amounts in kopecks. */

const kopecks = z.number().int().describe('Копейки');

export const periodBalanceSchema = z.object({
  period: z.object({ startsOn: isoDate, endsOn: isoDate, name: z.string() }),
  status: z
    .enum(['no_certificate', 'not_confirmed', 'closed', 'no_category', 'can_request', 'queued', 'funded'])
    .describe(
      'funded — сертификат финансирования; queued — в очереди; closed — муниципалитет не финансирует',
    ),
  message: z.string().describe('То же, что в карточке ребёнка'),
  category: z.string().nullable(),
  nominalKopecks: kopecks.nullable().describe('Номинал периода (для can_request — какой будет начислен)'),
  reservedKopecks: kopecks.nullable().describe('Зарезервировано на оплату договоров'),
  spentKopecks: kopecks.nullable().describe('Оплачено'),
  balanceKopecks: kopecks.nullable().describe('Осталось'),
  queuePosition: z.number().int().nullable(),
});

export const fundingAnswerSchema = z.object({
  childId: z.uuid(),
  current: periodBalanceSchema,
  next: periodBalanceSchema.nullable().describe('Следующий учебный год, когда он уже известен'),
});

const contractStatus = z.enum(['created', 'confirmed', 'active', 'declined', 'terminated']);

export const contractItemSchema = z.object({
  id: z.uuid(),
  number: z.string(),
  status: contractStatus,
  statusText: z.string(),
  startsOn: isoDate,
  endsOn: isoDate,
  certificateKopecks: kopecks.describe('Оплачивает сертификат за весь срок'),
  familyKopecks: kopecks.describe('Доплата семьи за весь срок'),
  offerExpiresAt: isoDateTime.nullable(),
  childName: z.string(),
  programName: z.string(),
  organizationName: z.string(),
});

export const contractsAnswerSchema = z.object({ contracts: z.array(contractItemSchema) });

export const contractAnswerSchema = contractItemSchema.extend({
  childId: z.uuid(),
  programId: z.uuid(),
  groupId: z.uuid(),
  organizationId: z.uuid(),
  priceKopecks: kopecks.describe('Цена месяца'),
  normativeKopecks: kopecks.nullable().describe('Нормативная стоимость месяца'),
  months: z.array(z.object({ month: isoDate, certificateKopecks: kopecks, familyKopecks: kopecks })),
  acceptedAt: isoDateTime.nullable(),
  closedAt: isoDateTime.nullable(),
  closeReason: z.string().nullable(),
  group: z.object({ name: z.string(), address: z.string(), teacher: z.string() }),
  municipality: z.string().describe('Плательщик'),
  accruals: z
    .array(
      z.object({
        month: isoDate.describe('Первое число месяца'),
        advanceKopecks: kopecks.describe('Аванс'),
        invoicedKopecks: kopecks.nullable().describe('Начислено по счёту (null — счёт ещё не сформирован)'),
        completenessPercent: z.number().int().nullable().describe('Полнота оказания услуг по счёту, %'),
        returnedKopecks: kopecks.nullable().describe('Возвращено на сертификат по счёту'),
        familyKopecks: kopecks.describe('Доплата семьи за месяц'),
      }),
    )
    .describe('Начисления по месяцам, в которых были аванс или счёт'),
});
