import { z } from 'zod';
import type { Database } from '../../platform/db/client.js';
import { defineCronJob, type JobDefinition, type JobQueue } from '../../platform/jobs/queue.js';
import { createMailer } from '../../platform/mail/mailer.js';
import type { mailMessageSchema } from '../../platform/mail/message.js';
import { regionToday } from '../../platform/views/format.js';
import { createCertificatesService } from '../certificates/index.js';
import { createAccountingService, MONTH_CLOSE_JOB, parseMonth } from './accounting.js';
import { createContractsService, EXPIRE_CONTRACTS_JOB } from './contracts.js';
import { createRolloverService, periodCloseJob, periodToClose } from './rollover.js';

export interface FundingJobDeps {
  database: Database;
  mailJob: JobDefinition<typeof mailMessageSchema>;
  baseUrl: string;
}

/** The funding module's recurring jobs; each run builds its services on the job's queue, for the letters it sends. */
export function fundingJobs({ database, mailJob, baseUrl }: FundingJobDeps): JobDefinition[] {
  const servicesOn = (queue: JobQueue) => {
    const mailer = createMailer(queue, mailJob);
    const contracts = createContractsService({ database, mailer, baseUrl });
    return {
      mailer,
      contracts,
      accounting: createAccountingService({ database, mailer, baseUrl, contracts }),
    };
  };
  return [
    // Withdraws expired offers and closes contracts past their end, every 15 minutes.
    defineCronJob({
      name: EXPIRE_CONTRACTS_JOB,
      cron: '*/15 * * * *',
      async handle(_payload, { logger, queue }) {
        logger.info(await servicesOn(queue).contracts.expire(), 'contracts expired and ended');
      },
    }),
    // Closes the month on the 1st at 01:00 region time (after midnight's other jobs): the advances of the new
    // month, the invoices of the one before, the end of contracts that ended. A rerun (a retry, a second worker)
    // writes nothing more.
    defineCronJob({
      name: MONTH_CLOSE_JOB,
      payload: z.object({ month: z.string().optional() }).passthrough(),
      cron: '0 1 1 * *',
      retryLimit: 5,
      retryDelaySeconds: 300,
      expireInSeconds: 3600,
      async handle(payload, { logger, queue }) {
        const month = (payload.month && parseMonth(payload.month)) ?? `${regionToday().slice(0, 7)}-01`;
        logger.info(await servicesOn(queue).accounting.closeMonth(month), 'month closed');
      },
    }),
    // Closes the education year just ended, every night at 01:30 region time (after the month close of the 1st):
    // on 1 September it closes the year; on the other nights it finds nothing to do unless the next period has
    // opened since, when it funds there the certificates not carried yet. Opening a period enqueues it too.
    defineCronJob({
      ...periodCloseJob,
      cron: '30 1 * * *',
      retryLimit: 5,
      retryDelaySeconds: 300,
      expireInSeconds: 3600,
      async handle(payload, { logger, queue }) {
        const { mailer, accounting } = servicesOn(queue);
        const certificates = createCertificatesService({ database });
        const rollover = createRolloverService({ database, mailer, baseUrl, accounting, certificates });
        logger.info(await rollover.closePeriod(periodToClose(payload.startsOn)), 'funding period closed');
      },
    }),
  ];
}
