import { bigserial, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Who did what to whom, for security events and for staff access to children's data.
 * `details` holds ids and codes, never personal data itself.
 */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actorUserId: uuid('actor_user_id'),
    action: text('action').notNull(),
    subjectType: text('subject_type'),
    subjectId: text('subject_id'),
    details: jsonb('details').$type<Record<string, unknown>>(),
    /** The request that caused the row (the `x-request-id` of its answer) and where it came from. */
    requestId: text('request_id'),
    clientAddress: text('client_address'),
  },
  (table) => [
    index('audit_events_actor_idx').on(table.actorUserId, table.at),
    index('audit_events_subject_idx').on(table.subjectType, table.subjectId),
  ],
);
