import { createRequire } from 'node:module';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTestDatabase, testDatabaseKind } from '../../../tests/support/database.js';
import { eventually } from '../../../tests/support/smtp.js';
import { municipalities } from '../../modules/reference/schema.js';
import type { Database } from '../db/client.js';
import { createLogger } from '../logger.js';
import { createJobQueue, defineJob, FETCH_INDEX, type JobQueue, type OutboxRelay } from './queue.js';

const handled: string[] = [];
let failuresLeft = 0;

const noteJob = defineJob({
  name: 'test.note',
  payload: z.object({ note: z.string() }),
  retryLimit: 2,
  retryDelaySeconds: 1,
  async handle({ note }) {
    if (note.startsWith('flaky') && failuresLeft-- > 0) throw new Error('temporary failure');
    if (note.startsWith('broken')) throw new Error('permanent failure');
    handled.push(note);
    await Promise.resolve();
  },
});

let database: Database;
let queue: JobQueue;
beforeAll(async () => {
  database = await createTestDatabase();
  queue = await createJobQueue(database, [noteJob], createLogger({ logLevel: 'silent', env: 'test' }), {
    supervise: false,
    pollingIntervalSeconds: 0.5,
  });
  await queue.startWorker();
});
afterAll(async () => {
  await queue.stop();
  await database.close();
});

describe('job queue', () => {
  it('commits a job together with the change that caused it', async () => {
    const jobId = await database.transaction(async (tx) => {
      await tx.db.update(municipalities).set({ kind: 'городской округ' }).where(eq(municipalities.id, 1));
      return queue.enqueue(tx.sql, noteJob, { note: 'committed' });
    });
    await eventually(async () => (await queue.getJob(noteJob.name, jobId))?.state === 'completed');
    expect(handled).toContain('committed');
  });

  it('drops the job when the transaction rolls back', async () => {
    let jobId = '';
    await expect(
      database.transaction(async (tx) => {
        jobId = await queue.enqueue(tx.sql, noteJob, { note: 'rolled back' });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(jobId).not.toBe('');
    expect(await queue.getJob(noteJob.name, jobId)).toBeNull();
  });

  it('refuses a payload that does not match the job schema', async () => {
    await expect(queue.enqueue(database.sql, noteJob, { note: 42 } as never)).rejects.toThrow();
  });

  it('retries a failing job with backoff until it succeeds', async () => {
    failuresLeft = 1;
    const jobId = await queue.enqueue(database.sql, noteJob, { note: 'flaky' });
    const job = await eventually(async () => {
      const info = await queue.getJob(noteJob.name, jobId);
      return info?.state === 'completed' ? info : null;
    });
    expect(job.retryCount).toBe(1);
    expect(handled).toContain('flaky');
  });

  it('shows a job that used up its retries as failed', async () => {
    const jobId = await queue.enqueue(database.sql, noteJob, { note: 'broken' });
    await eventually(async () => (await queue.getJob(noteJob.name, jobId))?.state === 'failed', 20_000);
    const failed = await queue.listFailed();
    expect(failed.map((job) => job.id)).toContain(jobId);
    expect(failed.find((job) => job.id === jobId)?.retryCount).toBe(2);
  });

  it('fetches the oldest waiting jobs without sorting the backlog, also in a queue made later', async () => {
    const backlogJob = defineJob({
      name: 'test.backlog',
      payload: z.object({ n: z.number() }),
      retryLimit: 0,
      retryDelaySeconds: 1,
      handle: () => Promise.resolve(),
    });
    // Its partition is made after the index exists on the parent table: it gets the index too.
    const later = await createJobQueue(
      database,
      [backlogJob],
      createLogger({ logLevel: 'silent', env: 'test' }),
      { supervise: false },
    );
    const { rows: indexes } = await database.sql.executeSql(
      `select count(*)::int as n from pg_inherits i join pg_index x on x.indrelid = i.inhrelid
         join pg_class c on c.oid = x.indexrelid
        where i.inhparent = 'pgboss.job'::regclass and x.indisvalid
          and c.oid in (select inhrelid from pg_inherits where inhparent = $1::regclass)`,
      [`pgboss.${FETCH_INDEX}`],
    );
    const { rows: partitions } = await database.sql.executeSql(
      `select count(*)::int as n from pg_inherits where inhparent = 'pgboss.job'::regclass`,
    );
    expect(Number(indexes[0]!.n)).toBe(Number(partitions[0]!.n));

    // A backlog of 500: pg-boss's own fetch (its text, as its workers send it) reads them in order and stops.
    await later.enqueueMany(
      database.sql,
      backlogJob,
      Array.from({ length: 500 }, (_, n) => ({ n })),
    );
    await database.sql.executeSql(`analyze pgboss.job`);
    const fetch = (
      createRequire(import.meta.url)('pg-boss/src/plans.js') as {
        fetchNextJob(schema: string): (options: object) => string;
      }
    ).fetchNextJob('pgboss')({});
    const { rows: plan } = await database.sql.executeSql(`explain (format json) ${fetch}`, [
      backlogJob.name,
      20,
    ]);
    // The part that picks the jobs (its CTE `next`): an index scan in order, no sort of every waiting job.
    type PlanNode = { 'Subplan Name'?: string; Plans?: PlanNode[] };
    const nodes = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodes)];
    const root = (plan[0]!['QUERY PLAN'] as { Plan: PlanNode }[])[0]!.Plan;
    const pick = JSON.stringify(nodes(root).find((node) => node['Subplan Name'] === 'CTE next'));
    expect(pick).toContain('name_priority_created_on_id_idx');
    expect(pick).not.toContain('"Node Type":"Sort"');
    await later.stop();
  });

  // Several processes share only a server; the embedded database belongs to one process (ADR 0003).
  it.skipIf(testDatabaseKind() === 'pglite')(
    'starts in several processes at once on a new database: each makes or finds every queue',
    async () => {
      // A web process and a worker starting together used to make the same queue at once, and PostgreSQL ended one
      // of them as a deadlock.
      const fresh = await createTestDatabase();
      const jobs = Array.from({ length: 8 }, (_, i) =>
        defineJob({
          name: `test.together.${i}`,
          payload: z.object({}),
          retryLimit: 0,
          retryDelaySeconds: 1,
          handle: () => Promise.resolve(),
        }),
      );
      const logger = createLogger({ logLevel: 'silent', env: 'test' });
      const queues = await Promise.all(
        Array.from({ length: 3 }, () => createJobQueue(fresh, jobs, logger, { supervise: false })),
      );
      const { rows } = await fresh.sql.executeSql(
        `select count(*)::int as n from pgboss.queue where name like 'test.together.%'`,
      );
      expect(Number(rows[0]!.n)).toBe(8);
      for (const queue of queues) await queue.stop();
      await fresh.close();
    },
  );
});

describe('outbox relays', () => {
  it('take full batches back to back, pause when short, go on after an error, and stop between batches', async () => {
    const calls: { at: number; limit: number }[] = [];
    let rows = 7; // due rows; the relay takes up to 3 at once
    let failOnce = true;
    let inBatch = false;
    const relay: OutboxRelay = {
      name: 'test.outbox',
      batchSize: 3,
      backlog: () => Promise.resolve({ waiting: rows, oldestSeconds: 0 }),
      async relayDue(limit) {
        calls.push({ at: Date.now(), limit });
        if (failOnce && calls.length === 2) {
          failOnce = false;
          throw new Error('the database is away');
        }
        inBatch = true;
        await new Promise((resolve) => setTimeout(resolve, 20));
        inBatch = false;
        const taken = Math.min(limit, rows);
        rows -= taken;
        return taken;
      },
    };
    const relaying = await createJobQueue(database, [], createLogger({ logLevel: 'silent', env: 'test' }), {
      supervise: false,
      pollingIntervalSeconds: 1,
      relays: [relay],
    });
    await relaying.startWorker();
    // 3, error (pause 2 s), 3, 1 (short: pause 1 s), 0 …
    await eventually(() => rows === 0 && calls.length >= 5);
    await relaying.stop();
    const stoppedAt = calls.length;
    expect(inBatch).toBe(false);
    expect(calls.every((call) => call.limit === 3)).toBe(true);
    const gap = (i: number) => calls[i]!.at - calls[i - 1]!.at;
    expect(gap(1)).toBeLessThan(700); // after a full batch: at once
    expect(gap(2)).toBeGreaterThanOrEqual(1_900); // after the error: twice the polling interval
    expect(gap(3)).toBeLessThan(700); // full again
    expect(gap(4)).toBeGreaterThanOrEqual(950); // after a short batch: the polling interval
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(calls.length).toBe(stoppedAt);
  });
});
