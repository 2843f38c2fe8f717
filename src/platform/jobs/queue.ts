import { createHash, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import PgBoss from 'pg-boss';
import { z } from 'zod';
import { isConnectionError, runPrepared, type Database, type SqlExecutor } from '../db/client.js';
import type { Logger } from '../logger.js';
import { REGION } from '../region.js';

/**
 * A kind of background job: a name, a payload schema, a retry policy and a handler.
 * Handlers must be idempotent: a job may run again after a crash between its work and its completion.
 */
export interface JobDefinition<Schema extends z.ZodType = z.ZodType> {
  name: string;
  payload: Schema;
  /** Attempts after the first one. */
  retryLimit: number;
  /** Seconds before the first retry; each next retry waits about twice as long. */
  retryDelaySeconds: number;
  /** Jobs of this kind handled at once by one process (default 1). */
  concurrency?: number;
  /**
   * How long one attempt may take before it counts as failed and is retried (default 15 minutes). Also how long
   * a job stays stuck after the process handling it was killed, so keep it short for quick jobs.
   */
  expireInSeconds?: number;
  /**
   * A recurring job: a cron expression in the region's time zone (e.g. '30 3 * * *'). The supervising process
   * keeps the schedule in pg-boss, which sends one job per tick however many processes run; its payload is `{}`.
   */
  cron?: string;
  handle(payload: z.infer<Schema>, context: JobContext): Promise<void>;
  /**
   * Several jobs of this kind at once (up to `batchSize` of those waiting): one fetch, and the handler can read
   * and write them in one statement and one transaction. Jobs it answers as failed are retried one by one by
   * their retry policy; the others are completed. If it throws, every job of the batch is retried. Without it,
   * `handle` takes one job at a time.
   */
  handleBatch?(jobs: BatchJob<z.infer<Schema>>[], context: BatchContext): Promise<BatchOutcome | void>;
  /** Jobs handed to `handleBatch` at once (default 20). */
  batchSize?: number;
}

export interface BatchJob<Payload> {
  jobId: string;
  payload: Payload;
}

/** What `handleBatch` reports: the jobs of the batch that failed (the rest succeeded). */
export interface BatchOutcome {
  failed: { jobId: string; error: unknown }[];
}

export type BatchContext = Omit<JobContext, 'jobId'>;

/** What a handler gets besides its payload; `queue` lets a job enqueue follow-up jobs in its own transaction. */
export interface JobContext {
  jobId: string;
  logger: Logger;
  queue: JobQueue;
}

/** What enqueuing needs of a job: its name and payload schema (the handler may live elsewhere). */
export type JobKind<Schema extends z.ZodType = z.ZodType> = Pick<JobDefinition<Schema>, 'name' | 'payload'>;

export interface EnqueueOptions {
  /** Not before this moment (e.g. an offer's deadline). */
  startAfter?: Date;
}

export function defineJob<Schema extends z.ZodType>(
  definition: JobDefinition<Schema>,
): JobDefinition<Schema> {
  return definition;
}

const emptyPayload = z.object({}).passthrough();

/** What a recurring job states: its name, cron and handler; payload and retry policy when not the usual. */
export type CronJobDefinition<Schema extends z.ZodType> = Omit<
  JobDefinition<Schema>,
  'cron' | 'payload' | 'retryLimit' | 'retryDelaySeconds'
> & { cron: string } & Partial<Pick<JobDefinition<Schema>, 'payload' | 'retryLimit' | 'retryDelaySeconds'>>;

/**
 * A recurring job (see `cron`): the payload its ticks send is `{}`, so by default it takes an open empty object
 * (a job enqueued by hand may add fields its own schema names); by default 3 retries a minute apart, 10 minutes
 * an attempt. The time zone is the region's for every schedule (`startWorker`).
 */
export function defineCronJob<Schema extends z.ZodType = typeof emptyPayload>(
  definition: CronJobDefinition<Schema>,
): JobDefinition<Schema> {
  return {
    payload: emptyPayload as unknown as Schema,
    retryLimit: 3,
    retryDelaySeconds: 60,
    expireInSeconds: 600,
    ...definition,
  };
}

/**
 * An outbox (ADR 0051): rows that a module writes in the transaction of the change itself, and that workers then
 * handle in batches. A change of the hot path costs no job of its own (no insert, fetch and completion per row,
 * and no transaction around a single statement). `relayDue` handles up to `limit` due rows, each once (in its
 * own transaction, taking them `for update skip locked`, so that processes share the work), keeps its own retry
 * policy for rows that fail, and answers how many it took: after a full batch the next one follows at once,
 * otherwise the worker looks again after the polling interval.
 */
export interface OutboxRelay {
  name: string;
  batchSize: number;
  relayDue(limit: number, context: BatchContext): Promise<number>;
  /** The rows due now and how long the oldest has waited, for /metrics (as a queue's waiting jobs). */
  backlog(): Promise<{ waiting: number; oldestSeconds: number }>;
}

export interface JobInfo {
  id: string;
  name: string;
  state: 'created' | 'retry' | 'active' | 'completed' | 'cancelled' | 'failed';
  retryCount: number;
  createdOn: Date;
  completedOn: Date | null;
  output: unknown;
}

export interface JobQueue {
  /**
   * Adds a job on the given connection: pass the `sql` of the caller's transaction so that the job
   * commits (or rolls back) together with the change that caused it.
   */
  enqueue<Schema extends z.ZodType>(
    executor: SqlExecutor,
    job: JobKind<Schema>,
    payload: z.infer<Schema>,
    options?: EnqueueOptions,
  ): Promise<string>;
  /** Adds several jobs of one kind in one statement, on the caller's connection (as `enqueue`). */
  enqueueMany<Schema extends z.ZodType>(
    executor: SqlExecutor,
    job: JobKind<Schema>,
    payloads: z.infer<Schema>[],
  ): Promise<string[]>;
  /** Starts handling the registered jobs in this process (once), with the supervision of `supervise`. */
  startWorker(): Promise<void>;
  getJob(name: string, id: string): Promise<JobInfo | null>;
  /** Jobs that used up their retries, newest first: what an operator must look at. */
  listFailed(limit?: number): Promise<JobInfo[]>;
  /** Puts a failed job back in the queue, e.g. after an operator fixed the SMTP settings. */
  retry(name: string, id: string): Promise<void>;
  stop(): Promise<void>;
}

export interface JobQueueOptions {
  /**
   * The worker (`startWorker`) also runs maintenance (expiry, archiving) and turns the schedules into jobs; on in
   * the process that runs the worker.
   */
  supervise: boolean;
  /** How often an idle worker looks for new jobs (pg-boss allows 0.5 s at least), and for due outbox rows. */
  pollingIntervalSeconds?: number;
  /** The outboxes this process's worker relays (`startWorker`). */
  relays?: OutboxRelay[];
}

const SCHEMA = 'pgboss';

// pg-boss 10 completes or fails a handled job without awaiting the statement (manager.js, `work`): if the
// connection is lost at that moment, the rejection is unhandled and Node ends the process. These two statements
// are recognised by their text and their failure only logged: the job stays active, expires and is retried, and
// handlers are idempotent.
const plans = createRequire(import.meta.url)('pg-boss/src/plans.js') as {
  completeJobs(schema: string): string;
  failJobsById(schema: string): string;
};
const UNAWAITED = new Set([plans.completeJobs(SCHEMA), plans.failJobsById(SCHEMA)]);

/**
 * pg-boss's statements with parameters are a fixed set of texts (its plans, with this schema): each is prepared on
 * a server connection under a name made from its text, so PostgreSQL parses and plans it once per connection, not
 * at every job sent, fetched or completed (that was most of the database's time per application in the rush).
 * Texts without parameters (pg-boss' scripts, which may hold several commands) run as they are.
 */
const preparedNames = new Map<string, string>();
export function runBossSql(executor: SqlExecutor, text: string, values?: unknown[]) {
  if (!values?.length) return executor.executeSql(text, values);
  let name = preparedNames.get(text);
  if (!name) {
    name = `boss_${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
    if (preparedNames.size < 1000) preparedNames.set(text, name);
  }
  return runPrepared(executor, { name, text }, values);
}

/** The executor of a caller's transaction (a job sent with the change that causes it), through runBossSql. */
function bossDb(executor: SqlExecutor): SqlExecutor {
  return { executeSql: (text, values) => runBossSql(executor, text, values) };
}

function bossExecutor(executor: SqlExecutor, logger: Logger): SqlExecutor {
  return {
    executeSql(text, values) {
      const result = runBossSql(executor, text, values);
      if (!UNAWAITED.has(text)) return result;
      return result.catch((error: unknown) => {
        logger.warn({ err: error }, 'a job outcome was not recorded; the job is retried after its expiry');
        return { rows: [{ count: 0 }] };
      });
    },
  };
}

/** Whether a stored queue already has the policy of its job definition (what `updateQueue` would write). */
export function sameQueuePolicy(
  stored: Pick<PgBoss.QueueResult, 'retryLimit' | 'retryDelay' | 'retryBackoff' | 'expireInSeconds'>,
  wanted: { retryLimit: number; retryDelay: number; retryBackoff: boolean; expireInSeconds?: number },
): boolean {
  return (
    stored.retryLimit === wanted.retryLimit &&
    stored.retryDelay === wanted.retryDelay &&
    stored.retryBackoff === wanted.retryBackoff &&
    (wanted.expireInSeconds === undefined || stored.expireInSeconds === wanted.expireInSeconds)
  );
}

/**
 * pg-boss fetches the oldest waiting jobs of a queue (`order by priority desc, created_on, id limit n`), but its
 * index is on `(name, start_after)`: every fetch read and sorted the whole backlog, so in a rush each fetch cost
 * more the further the letters fell behind (6–8 ms at 2,000 waiting). An index in the fetch's own order lets it
 * stop after n rows (ADR 0048). Made on the parent table, it is on every queue's partition, also those made later.
 */
export const FETCH_INDEX = 'job_fetch_in_order';
async function ensureFetchIndex(database: Database) {
  const { rows } = await database.sql.executeSql(
    `select 1 from pg_indexes where schemaname = '${SCHEMA}' and indexname = '${FETCH_INDEX}'`,
  );
  if (rows.length > 0) return;
  await database.transaction(async (tx) => {
    // Processes starting together: one makes it, the others wait and find it made.
    await tx.sql.executeSql(`select pg_advisory_xact_lock(hashtextextended('${FETCH_INDEX}', 0))`);
    await tx.sql.executeSql(
      `create index if not exists ${FETCH_INDEX} on ${SCHEMA}.job (name, priority desc, created_on, id)
        where state < 'active'`,
    );
  });
}

/**
 * Processes starting together on a new database (two web processes and a worker) make the same queues at once.
 * pg-boss's `create_queue` then deadlocks, and PostgreSQL ends one of the transactions. By then the other has made
 * the queue, and a retry finds it and does nothing.
 */
const QUEUE_RACE_CODES = new Set(['40P01', '23505', '42P07']);
async function createQueueOnce(boss: PgBoss, name: string, queueOptions: PgBoss.Queue) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await boss.createQueue(name, queueOptions);
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (attempt >= 5 || !code || !QUEUE_RACE_CODES.has(code)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt + Math.random() * 50));
    }
  }
}

export async function createJobQueue(
  database: Database,
  definitions: JobDefinition[],
  logger: Logger,
  options: JobQueueOptions,
): Promise<JobQueue> {
  // While the database is away every worker loop fails each poll: one line per 10 s says so, not dozens a second.
  let quietUntil = 0;
  const onError = (error: unknown) => {
    if (!isConnectionError(error)) return logger.error({ err: error }, 'job queue error');
    if (Date.now() < quietUntil) return;
    quietUntil = Date.now() + 10_000;
    logger.warn({ err: error }, 'job queue cannot reach the database; it keeps trying');
  };
  const newBoss = (supervise: boolean) => {
    const created = new PgBoss({
      db: bossExecutor(database.sql, logger),
      schema: SCHEMA,
      supervise,
      // Only the supervising process turns schedules into jobs (pg-boss sends one per tick across processes).
      schedule: supervise && definitions.some((job) => job.cron),
      migrate: true,
      // Failed jobs stay in the job table for a week, then a week more in the archive.
      archiveFailedAfterSeconds: 7 * 24 * 3600,
      // Also how often attempts that outlived their expiry (e.g. in a killed process) are found and retried:
      // with expiries of 15–20 s, such a job runs again within a minute.
      maintenanceIntervalSeconds: 5,
    });
    created.on('error', onError);
    return created;
  };
  // Two pg-boss instances on the same connections: this one creates the schema and the queues, sends jobs and
  // reads them, and starts nothing in the background; the worker's (`startWorker`) fetches, supervises and keeps
  // the schedules. So a server can listen before any job machinery runs (ADR 0041).
  const boss = newBoss(false);
  await boss.start();
  // Queue policy lives with the job definition and existing queues are kept in step with the code. One read of
  // every queue, and a write only where one differs: a restart usually writes nothing (ADR 0041).
  const queues = new Map((await boss.getQueues()).map((stored) => [stored.name, stored]));
  for (const job of definitions) {
    const queueOptions = {
      name: job.name,
      retryLimit: job.retryLimit,
      retryDelay: job.retryDelaySeconds,
      retryBackoff: true,
      ...(job.expireInSeconds ? { expireInSeconds: job.expireInSeconds } : {}),
    };
    const stored = queues.get(job.name);
    if (!stored) await createQueueOnce(boss, job.name, queueOptions);
    else if (!sameQueuePolicy(stored, queueOptions)) await boss.updateQueue(job.name, queueOptions);
  }
  await ensureFetchIndex(database);
  let workerBoss: PgBoss | null = null;
  const relayLoops: Promise<void>[] = [];
  const stopping = new AbortController();

  /**
   * One outbox's loop: full batches back to back, else a pause of the polling interval; after an error (the
   * database away) a pause that doubles up to a minute, logged as the job queue's errors are.
   */
  async function runRelay(relay: OutboxRelay) {
    const relayLogger = logger.child({ relay: relay.name });
    const idleMs = (options.pollingIntervalSeconds ?? 0.5) * 1000;
    let failures = 0;
    while (!stopping.signal.aborted) {
      let pauseMs = idleMs;
      try {
        const taken = await relay.relayDue(relay.batchSize, { logger: relayLogger, queue });
        failures = 0;
        if (taken >= relay.batchSize) continue;
      } catch (error) {
        failures++;
        onError(error);
        pauseMs = Math.min(60_000, idleMs * 2 ** failures);
      }
      await sleep(pauseMs, undefined, { signal: stopping.signal }).catch(() => undefined);
    }
  }

  const toInfo = (row: Record<string, unknown>): JobInfo => ({
    id: String(row.id),
    name: String(row.name),
    state: row.state as JobInfo['state'],
    retryCount: Number(row.retry_count),
    createdOn: new Date(row.created_on as Date | string),
    completedOn: row.completed_on ? new Date(row.completed_on as Date | string) : null,
    output: row.output,
  });

  async function handleOne(job: JobDefinition, received: PgBoss.Job<object>) {
    const jobLogger = logger.child({ job: job.name, jobId: received.id });
    try {
      await job.handle(job.payload.parse(received.data), { jobId: received.id, logger: jobLogger, queue });
      jobLogger.info('job done');
    } catch (error) {
      jobLogger.warn({ err: error }, 'job attempt failed; it is retried until its retry limit');
      throw error;
    }
  }

  /**
   * A batch: jobs with a payload that does not parse and the ones the handler reports are failed here, each on
   * its own (so each keeps its own retry count); pg-boss then completes the rest (it completes active jobs only).
   */
  async function handleBatch(job: JobDefinition, received: PgBoss.Job<object>[]) {
    const batchLogger = logger.child({ job: job.name, jobs: received.length });
    const failed: BatchOutcome['failed'] = [];
    const jobs: BatchJob<unknown>[] = [];
    for (const item of received) {
      const parsed = job.payload.safeParse(item.data);
      if (parsed.success) jobs.push({ jobId: item.id, payload: parsed.data });
      else failed.push({ jobId: item.id, error: parsed.error });
    }
    try {
      if (jobs.length > 0) {
        const outcome = await job.handleBatch!(jobs, { logger: batchLogger, queue });
        failed.push(...(outcome?.failed ?? []));
      }
    } catch (error) {
      batchLogger.warn({ err: error }, 'job batch failed; its jobs are retried until their retry limit');
      throw error;
    }
    for (const { jobId, error } of failed) {
      logger.warn(
        { job: job.name, jobId, err: error },
        'job attempt failed; it is retried until its retry limit',
      );
      const message = error instanceof Error ? error.message : String(error);
      await boss.fail(job.name, jobId, { message });
    }
    batchLogger.info({ failed: failed.length }, 'job batch done');
  }

  const queue: JobQueue = {
    async enqueue(executor, job, payload, enqueueOptions = {}) {
      const data = job.payload.parse(payload) as object;
      const id = await boss.send(job.name, data, {
        db: bossDb(executor),
        ...(enqueueOptions.startAfter ? { startAfter: enqueueOptions.startAfter } : {}),
      });
      if (!id) throw new Error(`Job ${job.name} was not created`);
      return id;
    },

    async enqueueMany(executor, job, payloads) {
      if (payloads.length === 0) return [];
      const jobs = payloads.map((payload) => ({
        id: randomUUID(),
        name: job.name,
        data: job.payload.parse(payload) as object,
      }));
      await boss.insert(jobs, { db: bossDb(executor) });
      return jobs.map((created) => created.id);
    },

    async startWorker() {
      if (workerBoss) return;
      const worker = newBoss(options.supervise);
      workerBoss = worker;
      await worker.start();
      if (options.supervise) {
        // The stored row also has the time zone (`timezone`), which pg-boss' type leaves out.
        const schedules = new Map<string, { cron: string; timezone?: string }>(
          (await worker.getSchedules()).map((stored) => [stored.name, stored]),
        );
        for (const job of definitions) {
          const schedule = schedules.get(job.name);
          if (job.cron && (schedule?.cron !== job.cron || schedule.timezone !== REGION.timeZone))
            await worker.schedule(job.name, job.cron, {}, { tz: REGION.timeZone });
        }
      }
      for (const job of definitions) {
        for (let slot = 0; slot < (job.concurrency ?? 1); slot++) {
          // Known once pg-boss has started the worker; its first fetch may come before that.
          const slotWorker: { id?: string } = {};
          const batchSize = job.handleBatch ? (job.batchSize ?? 20) : 1;
          const handle = async (received: PgBoss.Job<object>[]) => {
            if (received.length === 0) return;
            try {
              if (job.handleBatch) await handleBatch(job, received);
              else await handleOne(job, received[0]!);
            } finally {
              // pg-boss waits a polling interval after every fetch. A worker whose batch was full looks again at
              // once, so a backlog drains at full speed; one that found fewer waits, so that in a rush the next
              // fetch takes a full batch instead of the one or two jobs that came meanwhile (ADR 0049).
              if (slotWorker.id && received.length >= batchSize) worker.notifyWorker(slotWorker.id);
            }
          };
          slotWorker.id = await worker.work(
            job.name,
            { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 0.5, batchSize },
            handle,
          );
        }
      }
      for (const relay of options.relays ?? []) relayLoops.push(runRelay(relay));
    },

    async getJob(name, id) {
      const { rows } = await database.sql.executeSql(
        `select id, name, state, retry_count, created_on, completed_on, output
           from ${SCHEMA}.job where name = $1 and id = $2`,
        [name, id],
      );
      return rows[0] ? toInfo(rows[0]) : null;
    },

    async listFailed(limit = 50) {
      // pg-boss moves finished jobs to its archive after a while; failed ones are looked for in both.
      const { rows } = await database.sql.executeSql(
        `select id, name, state, retry_count, created_on, completed_on, output from ${SCHEMA}.job
          where state = 'failed'
         union all
         select id, name, state, retry_count, created_on, completed_on, output from ${SCHEMA}.archive
          where state = 'failed'
         order by completed_on desc limit $1`,
        [limit],
      );
      return rows.map(toInfo);
    },

    async retry(name, id) {
      await boss.retry(name, id);
    },

    async stop() {
      // A relay's batch under way ends (commits or rolls back) before the connections close.
      stopping.abort();
      await Promise.all(relayLoops);
      await workerBoss?.stop({ graceful: true, wait: true, timeout: 10_000 });
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
    },
  };
  return queue;
}
