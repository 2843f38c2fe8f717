import type { SqlExecutor } from '../db/client.js';
import { defineCronJob, type JobDefinition } from '../jobs/queue.js';

/**
 * How long a letter's hand-over row is kept. It serves the retry of its mail job (which pg-boss forgets within
 * about two weeks: archived after 12 hours or, failed, after 7 days, then kept 7 days in the archive) and the
 * support desk's history of the same jobs; past that nothing reads it.
 */
export const DELIVERY_RETENTION = '30 days';

/** Deletes hand-over rows older than DELIVERY_RETENTION, at most `limit` (oldest first). Returns how many went. */
export async function deleteOldDeliveries(executor: SqlExecutor, limit = 10_000): Promise<number> {
  const { rows } = await executor.executeSql(
    `delete from mail_deliveries
      where job_id in (select job_id from mail_deliveries
                        where handed_over_at < now() - $1::interval
                        order by handed_over_at limit $2)
      returning job_id`,
    [DELIVERY_RETENTION, limit],
  );
  return rows.length;
}

/**
 * Every hour the hand-over rows past their 30 days go, a bounded batch at a time, so that the table stays as
 * large as a month of letters and `navigator_letters_sent` moves smoothly.
 */
export function mailDeliveriesCleanupJob(executor: SqlExecutor): JobDefinition {
  return defineCronJob({
    name: 'mail-deliveries-cleanup',
    cron: '17 * * * *',
    async handle(_payload, { logger }) {
      let deleted = 0;
      for (let batch; (batch = await deleteOldDeliveries(executor)) > 0;) deleted += batch;
      logger.info({ deleted }, 'old letter hand-overs deleted');
    },
  });
}
