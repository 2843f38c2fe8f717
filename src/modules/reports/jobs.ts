import { z } from 'zod';
import type { Database } from '../../platform/db/client.js';
import { defineJob, type JobDefinition } from '../../platform/jobs/queue.js';
import { createReportQueries } from './queries.js';
import { PROGRAMS_REFRESH_MINUTES } from './service.js';

/** Every few minutes the programs report's figures are gathered anew (ADR 0045); a rerun only gathers them again. */
export function reportJobs({ database }: { database: Database }): JobDefinition[] {
  const queries = createReportQueries(database);
  return [
    defineJob({
      name: 'reports-programs-refresh',
      payload: z.object({}).passthrough(),
      cron: `*/${PROGRAMS_REFRESH_MINUTES} * * * *`,
      retryLimit: 1,
      retryDelaySeconds: 30,
      expireInSeconds: 300,
      async handle(_payload, { logger }) {
        const started = performance.now();
        const gatheredAt = await queries.refreshPrograms();
        logger.info(
          { gatheredAt, ms: Math.round(performance.now() - started) },
          'programs report figures gathered',
        );
      },
    }),
  ];
}
