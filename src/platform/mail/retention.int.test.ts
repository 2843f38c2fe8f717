import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../tests/support/database.js';
import type { Database } from '../db/client.js';
import { deleteOldDeliveries, mailDeliveriesCleanupJob } from './retention.js';

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.close();
});

const handedOver = (daysAgo: number) =>
  database.sql.executeSql(
    `insert into mail_deliveries (job_id, handed_over_at) values ($1, now() - make_interval(days => $2)) returning job_id`,
    [randomUUID(), daysAgo],
  );

describe('keeping letters’ hand-overs 30 days', () => {
  it('deletes the older ones every hour in batches, keeps the rest, and a second run finds nothing', async () => {
    for (const days of [45, 31, 31]) await handedOver(days);
    const kept = [await handedOver(29), await handedOver(0)].map((result) => String(result.rows[0]!.job_id));
    const job = mailDeliveriesCleanupJob(database.sql);
    expect(job.cron).toBe('17 * * * *');
    // A batch takes the oldest first, as many as it is allowed.
    expect(await deleteOldDeliveries(database.sql, 1)).toBe(1);
    await job.handle(
      {},
      { jobId: 'test', logger: { info: () => undefined } as never, queue: undefined as never },
    );
    const { rows } = await database.sql.executeSql(
      'select job_id from mail_deliveries order by handed_over_at',
    );
    expect(rows.map((row) => String(row.job_id))).toEqual(kept);
    expect(await deleteOldDeliveries(database.sql)).toBe(0);
  });
});
