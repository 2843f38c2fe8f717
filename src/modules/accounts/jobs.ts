import type { Database } from '../../platform/db/client.js';
import { defineJob, type JobDefinition } from '../../platform/jobs/queue.js';
import { createMailer } from '../../platform/mail/mailer.js';
import type { mailMessageSchema } from '../../platform/mail/message.js';
import { createRateLimiter } from '../../platform/security/rate-limit.js';
import { passwordResetJob, sendPasswordResetLink } from './service.js';

/** The background jobs of accounts: the letter behind «Забыли пароль?». */
export function accountJobs({
  database,
  mailJob,
  baseUrl,
}: {
  database: Database;
  mailJob: JobDefinition<typeof mailMessageSchema>;
  baseUrl: string;
}): JobDefinition[] {
  return [
    defineJob({
      ...passwordResetJob,
      retryLimit: 5,
      retryDelaySeconds: 5,
      // A few queries: a job whose process died is picked up again within a minute.
      expireInSeconds: 30,
      async handle({ email }, { queue }) {
        await sendPasswordResetLink(
          {
            database,
            mailer: createMailer(queue, mailJob),
            rateLimiter: createRateLimiter(database.sql),
            baseUrl,
          },
          email,
        );
      },
    }),
  ];
}
