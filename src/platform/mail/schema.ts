import { pgTable, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Letters handed over to the SMTP server, by the id of their mail job (which is also their Message-ID): a retry
 * of a job that was handed over but not completed (the process died in between) finds its row and sends nothing.
 */
export const mailDeliveries = pgTable('mail_deliveries', {
  jobId: uuid('job_id').primaryKey(),
  handedOverAt: timestamp('handed_over_at', { withTimezone: true }).notNull().defaultNow(),
});
