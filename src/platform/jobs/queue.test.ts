import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { PreparedSql } from '../db/client.js';
import { defineCronJob, runBossSql, sameQueuePolicy } from './queue.js';

describe('a queue kept in step with its job definition (ADR 0041)', () => {
  const stored = { retryLimit: 5, retryDelay: 30, retryBackoff: true, expireInSeconds: 900 };

  it('writes nothing when the stored policy is the definition', () => {
    expect(sameQueuePolicy(stored, { retryLimit: 5, retryDelay: 30, retryBackoff: true })).toBe(true);
    expect(
      sameQueuePolicy(stored, { retryLimit: 5, retryDelay: 30, retryBackoff: true, expireInSeconds: 900 }),
    ).toBe(true);
  });

  it('updates when any field the definition sets differs', () => {
    expect(sameQueuePolicy(stored, { retryLimit: 6, retryDelay: 30, retryBackoff: true })).toBe(false);
    expect(sameQueuePolicy(stored, { retryLimit: 5, retryDelay: 60, retryBackoff: true })).toBe(false);
    expect(sameQueuePolicy(stored, { retryLimit: 5, retryDelay: 30, retryBackoff: false })).toBe(false);
    expect(
      sameQueuePolicy(stored, { retryLimit: 5, retryDelay: 30, retryBackoff: true, expireInSeconds: 20 }),
    ).toBe(false);
  });
});

describe('defineCronJob', () => {
  const handle = () => Promise.resolve();

  it('gives a recurring job an open empty payload and the usual retries', () => {
    const job = defineCronJob({ name: 'nightly', cron: '30 3 * * *', handle });
    expect(job).toMatchObject({ name: 'nightly', cron: '30 3 * * *', retryLimit: 3, retryDelaySeconds: 60 });
    expect(job.expireInSeconds).toBe(600);
    expect(job.payload.parse({ extra: 1 })).toEqual({ extra: 1 });
  });

  it('keeps what the job states itself', () => {
    const payload = z.object({ month: z.string().optional() }).passthrough();
    const job = defineCronJob({
      name: 'monthly',
      cron: '0 1 1 * *',
      payload,
      retryLimit: 5,
      expireInSeconds: 3600,
      handle,
    });
    expect(job).toMatchObject({ retryLimit: 5, retryDelaySeconds: 60, expireInSeconds: 3600 });
    expect(job.payload).toBe(payload);
  });
});

describe("pg-boss's statements", () => {
  it('are prepared under a name made from the text when they have parameters; scripts run as they are', async () => {
    const calls: { kind: string; name?: string; text: string }[] = [];
    const executor = {
      executeSql: (text: string) => (calls.push({ kind: 'plain', text }), Promise.resolve({ rows: [] })),
      executePrepared: (statement: PreparedSql) => (
        calls.push({ kind: 'prepared', ...statement }),
        Promise.resolve({ rows: [] })
      ),
    };
    const fetch = 'select id from pgboss.job where name = $1';
    await runBossSql(executor, fetch, ['mail.send']);
    await runBossSql(executor, `${fetch} `.trim(), ['notify']); // the same text built again
    await runBossSql(executor, 'select id from pgboss.job where name = $1 limit 1', ['mail.send']);
    await runBossSql(executor, 'begin; select 1; commit;');
    await runBossSql(executor, 'select 2', []);
    expect(calls.map((call) => call.kind)).toEqual(['prepared', 'prepared', 'prepared', 'plain', 'plain']);
    expect(calls[0]!.name).toMatch(/^boss_[0-9a-f]{16}$/);
    expect(calls[1]!.name).toBe(calls[0]!.name);
    expect(calls[2]!.name).not.toBe(calls[0]!.name);
  });
});
