import { describe, expect, it } from 'vitest';
import type { Database } from '../../platform/db/client.js';
import type { JobDefinition } from '../../platform/jobs/queue.js';
import type { mailMessageSchema } from '../../platform/mail/message.js';
import { fundingJobs } from './jobs.js';

describe('the funding module’s recurring jobs', () => {
  it('keep their names, schedules and retry policies', () => {
    const jobs = fundingJobs({
      database: {} as Database,
      mailJob: {} as JobDefinition<typeof mailMessageSchema>,
      baseUrl: 'http://localhost',
    });
    expect(
      jobs.map(({ name, cron, retryLimit, retryDelaySeconds, expireInSeconds }) => ({
        name,
        cron,
        retryLimit,
        retryDelaySeconds,
        expireInSeconds,
      })),
    ).toEqual([
      {
        name: 'funding-contracts-expire',
        cron: '*/15 * * * *',
        retryLimit: 3,
        retryDelaySeconds: 60,
        expireInSeconds: 600,
      },
      {
        name: 'funding-month-close',
        cron: '0 1 1 * *',
        retryLimit: 5,
        retryDelaySeconds: 300,
        expireInSeconds: 3600,
      },
      {
        name: 'funding-period-close',
        cron: '30 1 * * *',
        retryLimit: 5,
        retryDelaySeconds: 300,
        expireInSeconds: 3600,
      },
    ]);
    expect(jobs[1]!.payload.parse({ month: '2027-01' })).toEqual({ month: '2027-01' });
    expect(jobs[2]!.payload.parse({ startsOn: '2026-09-01' })).toEqual({ startsOn: '2026-09-01' });
  });
});
