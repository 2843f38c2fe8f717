import type { SqlExecutor } from '../db/client.js';
import {
  defineJob,
  type BatchJob,
  type BatchOutcome,
  type JobContext,
  type JobDefinition,
  type JobQueue,
} from '../jobs/queue.js';
import { mailMessageSchema, type MailMessage } from './message.js';
import type { MailTransport } from './transport.js';

export const MAIL_JOB_NAME = 'mail.send';

export interface MailJobOptions {
  from: string;
  /** Attempts after the first; with the defaults the retries spread over about a day. */
  retryLimit?: number;
  retryDelaySeconds?: number;
  /** How long a batch waits for the SMTP server's answers (default 8 s); tests shorten it. */
  deliveryDeadlineMs?: number;
}

// Each retry waits about twice as long as the one before: 5–10 s, 10–20 s, … about a day in all.
const RETRY_LIMIT = 13;
const RETRY_DELAY_SECONDS = 5;

/**
 * A batch hands over what the server accepted within this time, and the letters still unanswered fail and are
 * retried. The SMTP timeouts alone do not bound a letter (each reply may take the socket timeout), and a batch
 * must end well within the job's expiry and the queue's 10 s graceful stop: else pg-boss would retry letters
 * still in flight and send the accepted ones of the batch again.
 */
const DELIVERY_DEADLINE_MS = 8_000;

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
    // Several letters at once: an SMTP round trip is mostly waiting. One worker keeps a batch in flight, one
    // letter per connection of the transport's pool (transport.ts), so no letter waits for another's timeout
    // within an attempt (ADR 0052).
    concurrency: 1,
    // Longer than a batch may take (its deadline and the record of its hand-over); a letter whose worker died is
    // retried within a minute: expiry, then maintenance (every 5 s), then the first retry delay.
    expireInSeconds: 20,
    async handle(message, { jobId, logger }) {
      const outcome = await deliverBatch([{ jobId, payload: message }], logger);
      if (outcome.failed[0]) throw outcome.failed[0].error;
    },
    // Letters of a rush go out many at a time (the transport's pool of SMTP connections) with one job fetch, one
    // lookup and one record of their hand-over for the batch, instead of those per letter.
    batchSize: transport.parallel,
    handleBatch: (jobs, { logger }) => deliverBatch(jobs, logger),
  });

  async function deliverBatch(
    jobs: BatchJob<MailMessage>[],
    logger: JobContext['logger'],
  ): Promise<BatchOutcome> {
    const ids = jobs.map((job) => job.jobId);
    const { rows } = await database.executeSql(
      'select job_id from mail_deliveries where job_id = any($1::uuid[])',
      [ids],
    );
    const handedOver = new Set(rows.map((row) => String(row.job_id)));
    if (handedOver.size > 0)
      logger.info({ letters: handedOver.size }, 'letters already handed over; not sent again');
    const due = jobs.filter((job) => !handedOver.has(job.jobId));
    // Each letter's answer as it comes: true when accepted, the error when refused, undefined while awaited.
    const answers: (true | { error: unknown } | undefined)[] = due.map(() => undefined);
    const sends = due.map((job, i) =>
      transport.deliver(job.payload, { from: options.from, id: job.jobId }).then(
        () => void (answers[i] = true),
        (error: unknown) => void (answers[i] = { error }),
      ),
    );
    let deadline: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(sends),
      new Promise(
        (resolve) => (deadline = setTimeout(resolve, options.deliveryDeadlineMs ?? DELIVERY_DEADLINE_MS)),
      ),
    ]);
    clearTimeout(deadline);
    // A letter the server accepts after the deadline is sent again by its retry: a copy, never a loss (ADR 0016).
    const delivered = due.filter((_, i) => answers[i] === true).map((job) => job.jobId);
    await recordHandOver(database, delivered, logger);
    return {
      failed: due.flatMap((job, i) => {
        const answer = answers[i];
        if (answer === true) return [];
        return [
          {
            jobId: job.jobId,
            error: answer ? answer.error : new Error('the SMTP server did not answer in time'),
          },
        ];
      }),
    };
  }
}

/**
 * The letters are with the SMTP server now: if the rows cannot be written (the database is away for a moment),
 * a few more tries are much better than failing the jobs, whose retries would send the letters again.
 */
async function recordHandOver(database: SqlExecutor, jobIds: string[], logger: JobContext['logger']) {
  if (jobIds.length === 0) return;
  for (let attempt = 1; ; attempt++) {
    try {
      await database.executeSql(
        'insert into mail_deliveries (job_id) select unnest($1::uuid[]) on conflict do nothing',
        [jobIds],
      );
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
  /** Queues several letters in one statement, as `send`. */
  sendMany(executor: SqlExecutor, messages: MailMessage[]): Promise<string[]>;
}

export function createMailer(queue: JobQueue, mailJob: JobDefinition<typeof mailMessageSchema>): Mailer {
  return {
    send: (executor, message) => queue.enqueue(executor, mailJob, message),
    sendMany: (executor, messages) => queue.enqueueMany(executor, mailJob, messages),
  };
}
