import type { SqlExecutor } from '../db/client.js';
import { MAIL_JOB_NAME } from './mailer.js';

/** What became of one letter, read from its mail job (pg-boss) and its hand-over row (`mail_deliveries`). */
export type LetterState =
  | { state: 'queued' }
  | { state: 'sending' }
  | { state: 'sent'; at: Date }
  | { state: 'retrying'; attempts: number; nextAt: Date; answer: string | null }
  | { state: 'failed'; attempts: number; answer: string | null }
  | { state: 'cancelled' };

export interface Letter {
  jobId: string;
  to: string;
  subject: string;
  queuedAt: Date;
  status: LetterState;
}

/** How many letters the history shows at most (the newest). */
export const LETTER_HISTORY_LIMIT = 50;

/**
 * The letters queued to these addresses, newest first, with their state: queued, being sent, handed over to SMTP
 * at …, retrying with the server's last answer, failed with it. Read from pg-boss's job table and its archive —
 * so as far back as pg-boss keeps jobs: completed ones move to the archive after 12 hours, failed ones after
 * 7 days, and the archive keeps them 7 days more. The letter's text is not read: it carries one-time links.
 */
export async function lettersTo(executor: SqlExecutor, addresses: readonly string[]): Promise<Letter[]> {
  if (addresses.length === 0) return [];
  const { rows } = await executor.executeSql(
    `select j.id, j.data->>'to' as "to", j.data->>'subject' as subject, j.state, j.retry_count,
            j.created_on, j.start_after, j.completed_on, j.output, d.handed_over_at
       from (select id, data, state, retry_count, created_on, start_after, completed_on, output
               from pgboss.job where name = $1 and data->>'to' = any($2::text[])
             union all
             select id, data, state, retry_count, created_on, start_after, completed_on, output
               from pgboss.archive where name = $1 and data->>'to' = any($2::text[])) j
       left join mail_deliveries d on d.job_id = j.id
      order by j.created_on desc
      limit ${LETTER_HISTORY_LIMIT}`,
    [MAIL_JOB_NAME, [...addresses]],
  );
  return rows.map((row) => ({
    jobId: String(row.id),
    to: String(row.to),
    subject: typeof row.subject === 'string' ? row.subject : '',
    queuedAt: new Date(row.created_on as string),
    status: stateOf(row),
  }));
}

function stateOf(row: Record<string, unknown>): LetterState {
  const date = (value: unknown) => new Date(value as string);
  // A row in mail_deliveries is the SMTP server's acceptance, whatever pg-boss recorded after it (ADR 0016).
  if (row.handed_over_at) return { state: 'sent', at: date(row.handed_over_at) };
  // pg-boss counts the retries it started; the attempt that failed last is one more.
  const attempts = Number(row.retry_count) + 1;
  switch (row.state) {
    case 'created':
      return { state: 'queued' };
    case 'active':
      return { state: 'sending' };
    case 'retry':
      return {
        state: 'retrying',
        attempts,
        nextAt: date(row.start_after),
        answer: answerOf(row.output),
      };
    case 'completed':
      return { state: 'sent', at: date(row.completed_on) };
    case 'failed':
      return { state: 'failed', attempts, answer: answerOf(row.output) };
    default:
      return { state: 'cancelled' };
  }
}

/**
 * What the mail server or the network said, from the error pg-boss kept of the last attempt: nodemailer's SMTP
 * `response` («550 5.1.1 <…>: Recipient address rejected»), else the error's message. Cut to 500 characters.
 */
export function answerOf(output: unknown): string | null {
  const parsed = typeof output === 'string' ? safeJson(output) : output;
  if (!parsed || typeof parsed !== 'object') return null;
  const error = parsed as { response?: unknown; message?: unknown; value?: unknown };
  const text = [error.response, error.message, error.value].find(
    (value): value is string => typeof value === 'string' && value.trim() !== '',
  );
  return text ? text.trim().slice(0, 500) : null;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
