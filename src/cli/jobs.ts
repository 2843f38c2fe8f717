import { databaseTarget } from '../app.js';
import { createJobQueue } from '../platform/jobs/queue.js';
import { loadConfigOrExit } from '../platform/config.js';
import { openDatabaseOrExit } from '../platform/db/client.js';
import { createLogger } from '../platform/logger.js';

// npm run jobs -- failed           — jobs that used up their retries (e.g. letters that could not be sent)
// npm run jobs -- retry NAME ID    — put a failed job back in the queue
const [command, name, id] = process.argv.slice(2);
const config = loadConfigOrExit();
const database = await openDatabaseOrExit(databaseTarget(config));
const queue = await createJobQueue(database, [], createLogger({ ...config, logLevel: 'warn' }), {
  supervise: false,
});

if (command === 'failed') {
  const failed = await queue.listFailed(100);
  if (failed.length === 0) console.log('No failed jobs.');
  for (const job of failed) {
    const reason = (job.output as { message?: string } | null)?.message ?? '';
    console.log(
      `${job.completedOn?.toISOString() ?? ''}  ${job.name}  ${job.id}  attempts: ${job.retryCount + 1}  ${reason}`,
    );
  }
} else if (command === 'retry' && name && id) {
  await queue.retry(name, id);
  console.log(`Job ${id} is queued again.`);
} else {
  console.error('Usage: npm run jobs -- failed | npm run jobs -- retry NAME ID');
  process.exitCode = 1;
}
await queue.stop();
await database.close();
