import type { SqlExecutor } from '../db/client.js';
import { defineJob, type JobContext, type JobDefinition, type JobQueue } from '../jobs/queue.js';
import { mailMessageSchema, type MailMessage } from './message.js';
import type { MailTransport } from './transport.js';

export const MAIL_JOB_NAME = 'mail.send';

export interface MailJobOptions {
  from: string;
  /** Attempts after the first; with the defaults the retries spread over about a day. */
  retryLimit?: number;
  retryDelaySeconds?: number;
}

// Each retry waits about twice as long as the one before: 5–10 s, 10–20 s, … about a day in all.
const RETRY_LIMIT = 13;
const RETRY_DELAY_SECONDS = 5;

/**
 * The job that delivers a letter. Never send mail inside a request: enqueue it with `Mailer.send`.
 *
 * A letter is handed to SMTP at least once, and once in all but one case (ADR 0016). Before sending, the job
 * looks for its row in `mail_deliveries`; after the server accepted the letter it writes that row, and only
 * then does pg-boss complete the job. A process killed between the server's acceptance and that write leaves
 * no row, so the retry sends the letter again, with the same Message-ID (many mail systems fold such copies
 * into one). The other choice, writing the row before sending, would lose the letter instead when the process
 * dies during the SMTP exchange — a confirmation link or an offered place a parent never hears about. A copy
 * is the lesser harm.
 */
export function createMailJob(
  transport: MailTransport,
  database: SqlExecutor,
  options: MailJobOptions,
): JobDefinition<typeof mailMessageSchema> {
  return defineJob({
    name: MAIL_JOB_NAME,
    payload: mailMessageSchema,
    retryLimit: options.retryLimit ?? RETRY_LIMIT,
    retryDelaySeconds: options.retryDelaySeconds ?? RETRY_DELAY_SECONDS,
    // Several letters at once: an SMTP round trip is mostly waiting.
    concurrency: 5,
    // Longer than one SMTP attempt may take (transport.ts); a letter whose worker died is retried within a
    // minute: expiry, then maintenance (every 5 s), then the first retry delay.
    expireInSeconds: 20,
    async handle(message, { jobId, logger }) {
      const { rows } = await database.executeSql('select 1 from mail_deliveries where job_id = $1', [jobId]);
      if (rows.length > 0) {
        logger.info('letter already handed over; not sent again');
        return;
      }
      await transport.deliver(message, { from: options.from, id: jobId });
      await recordHandOver(database, jobId, logger);
    },
  });
}

/**
 * The letter is with the SMTP server now: if the row cannot be written (the database is away for a moment),
 * a few more tries are much better than failing the job, whose retry would send the letter again.
 */
async function recordHandOver(database: SqlExecutor, jobId: string, logger: JobContext['logger']) {
  for (let attempt = 1; ; attempt++) {
    try {
      await database.executeSql('insert into mail_deliveries (job_id) values ($1) on conflict do nothing', [
        jobId,
      ]);
      return;
    } catch (error) {
      if (attempt === 5) throw error;
      logger.warn({ err: error }, 'letter handed over, not yet recorded; trying again');
      await new Promise((resolve) => setTimeout(resolve, attempt * 500));
    }
  }
}

export interface Mailer {
  /** Queues a letter on the caller's connection: it is sent only if the caller's transaction commits. */
  send(executor: SqlExecutor, message: MailMessage): Promise<string>;
}

export function createMailer(queue: JobQueue, mailJob: JobDefinition<typeof mailMessageSchema>): Mailer {
  return { send: (executor, message) => queue.enqueue(executor, mailJob, message) };
}
