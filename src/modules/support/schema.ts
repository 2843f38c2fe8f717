import { index, pgEnum, pgTable, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from '../accounts/schema.js';
import { municipalities } from '../reference/schema.js';

/** «Новое / В работе / Отвечено / Закрыто». */
export const supportRequestStatus = pgEnum('support_request_status', [
  'new',
  'in_progress',
  'answered',
  'closed',
]);

/**
 * A question asked with «Задать вопрос»: routed to the municipal administrators of its municipality (the asker's
 * profile's when signed in, the one chosen by a guest), answered by e-mail from the support desk.
 */
export const supportRequests = pgTable(
  'support_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    municipalityId: smallint('municipality_id')
      .notNull()
      .references(() => municipalities.id),
    /** The signed-in asker; null for a guest (or once the account is deleted). */
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    email: text('email').notNull(),
    topic: text('topic').notNull(),
    text: text('text').notNull(),
    status: supportRequestStatus('status').notNull().default('new'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('support_requests_queue_idx').on(table.municipalityId, table.status, table.createdAt)],
);

/** The answers sent by e-mail, each by an operator. */
export const supportReplies = pgTable(
  'support_replies',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    requestId: uuid('request_id')
      .notNull()
      .references(() => supportRequests.id, { onDelete: 'cascade' }),
    authorUserId: uuid('author_user_id').references(() => users.id, { onDelete: 'set null' }),
    text: text('text').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('support_replies_request_idx').on(table.requestId, table.createdAt)],
);
