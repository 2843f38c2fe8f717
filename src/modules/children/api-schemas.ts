import { z } from 'zod';
import { isoDate, isoDateTime } from '../../platform/http/openapi.js';

/** What /api/v1 shows of children and certificates: allow-lists, so an internal column never leaks by default. */

export const certificateAnswerSchema = z.object({
  id: z.uuid(),
  number: z.string().describe('10 цифр: код региона, номер, контрольная цифра'),
  status: z.enum(['awaiting_confirmation', 'active', 'suspended', 'closed']),
  type: z.string(),
  nominal: z.number().int().nullable(),
  balance: z.number().int().nullable(),
  periodStart: isoDate.nullable(),
  periodEnd: isoDate.nullable(),
  issuedAt: isoDateTime,
  validUntil: isoDate,
});

export const childAnswerSchema = z.object({
  id: z.uuid(),
  isSelf: z.boolean().describe('Запись самого подростка (14+)'),
  lastName: z.string(),
  firstName: z.string(),
  middleName: z.string().nullable(),
  birthDate: isoDate,
  sex: z.enum(['male', 'female']),
  snils: z.string().nullable(),
  documentType: z.string(),
  documentSeries: z.string(),
  documentNumber: z.string(),
  documentIssuedAt: isoDate,
  documentIssuedBy: z.string(),
  municipalityId: z.number().int(),
  registrationAddress: z.string(),
  dataStatus: z.enum(['unconfirmed', 'confirmed', 'rejected']),
  rejectionReason: z.string().nullable(),
  confirmedAt: isoDateTime.nullable(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});

export const childWithCertificateSchema = childAnswerSchema.extend({
  certificate: certificateAnswerSchema.nullable(),
});

export const childrenAnswerSchema = z.object({ children: z.array(childWithCertificateSchema) });

export const staffSearchAnswerSchema = z.object({
  results: z.array(z.object({ child: childAnswerSchema, certificate: certificateAnswerSchema.nullable() })),
});

export const staffChildAnswerSchema = z.object({
  child: childAnswerSchema,
  certificate: certificateAnswerSchema.nullable(),
  parentEmail: z.string().nullable(),
});

export const decisionAnswerSchema = z.object({
  status: z.enum(['confirmed', 'rejected', 'already_confirmed']),
});
