import type { SqlExecutor } from '../db/client.js';
import { defineJob, type JobDefinition, type JobQueue } from '../jobs/queue.js';
import { mailMessageSchema, type MailMessage } from './message.js';
import type { MailTransport } from './transport.js';

export const MAIL_JOB_NAME = 'mail.send';

export interface MailJobOptions {
  from: string;
  /** Attempts after the first; with the defaults the retries spread over about a day. */
  retryLimit?: number;
  retryDelaySeconds?: number;
}

/** The job that delivers a letter. Never send mail inside a request: enqueue it with `Mailer.send`. */
export function createMailJob(
  transport: MailTransport,
  options: MailJobOptions,
): JobDefinition<typeof mailMessageSchema> {
  return defineJob({
    name: MAIL_JOB_NAME,
    payload: mailMessageSchema,
    retryLimit: options.retryLimit ?? 12,
    retryDelaySeconds: options.retryDelaySeconds ?? 10,
    // Several letters at once: an SMTP round trip is mostly waiting.
    concurrency: 5,
    // An SMTP exchange takes seconds; a letter whose worker died is sent again within a few minutes.
    expireInSeconds: 180,
    async handle(message, { jobId }) {
      await transport.deliver(message, { from: options.from, id: jobId });
    },
  });
}

export interface Mailer {
  /** Queues a letter on the caller's connection: it is sent only if the caller's transaction commits. */
  send(executor: SqlExecutor, message: MailMessage): Promise<string>;
}

export function createMailer(queue: JobQueue, mailJob: JobDefinition<typeof mailMessageSchema>): Mailer {
  return { send: (executor, message) => queue.enqueue(executor, mailJob, message) };
}
