import { createBackground, databaseTarget } from '../app.js';
import { loadConfigOrExit } from '../platform/config.js';
import { openDatabaseOrExit } from '../platform/db/client.js';
import { createLogger } from '../platform/logger.js';
import { renderEmail } from '../platform/mail/template.js';

// npm run mail:test -- someone@example.org — queues a test letter, as an operator's check of SMTP settings.
// The running app's worker delivers it; `npm run jobs -- failed` shows it if delivery keeps failing.
const to = process.argv[2];
if (!to || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(to)) {
  console.error('Usage: npm run mail:test -- someone@example.org');
  process.exit(1);
}
const config = loadConfigOrExit();
const database = await openDatabaseOrExit(databaseTarget(config));
const background = await createBackground({
  config,
  database,
  logger: createLogger(config),
  runWorker: false,
});
const letter = renderEmail(
  to,
  {
    subject: 'Проверка почты Навигатора дополнительного образования',
    paragraphs: [
      'Это проверочное письмо. Если вы его получили, отправка почты из навигатора настроена верно.',
    ],
  },
  config.baseUrl,
);
const jobId = await database.transaction((tx) => background.mailer.send(tx.sql, letter));
console.log(`Test letter queued as job ${jobId}.`);
await background.close();
await database.close();
