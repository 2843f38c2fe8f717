import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineCronJob, sameQueuePolicy } from './queue.js';

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
