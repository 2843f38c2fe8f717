import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp, type App, type BackgroundOptions } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/platform/config.js';
import type { Database } from '../../src/platform/db/client.js';
import { createLogger } from '../../src/platform/logger.js';
import { smtpTransport } from '../../src/platform/mail/transport.js';
import { createTestDatabase } from './database.js';
import { SmtpSink } from './smtp.js';

/** A development-like configuration with its own data folder (dev mailbox) and no log output. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'navigator-data-'));
  return loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...overrides });
}

export async function createTestApp(
  database: Database,
  options: Partial<Omit<BackgroundOptions, 'database'>> = {},
): Promise<App> {
  const config = options.config ?? testConfig();
  return createApp({
    config,
    database,
    logger: options.logger ?? createLogger(config),
    runWorker: options.runWorker ?? false,
    pollingIntervalSeconds: 0.5,
    ...options,
  });
}

/** A test database, a real SMTP sink on loopback, and the app with its worker sending letters to the sink. */
export async function createMailingTestApp(baseUrl = 'http://navigator.test') {
  const database = await createTestDatabase();
  const sink = await SmtpSink.start();
  const app = await createTestApp(database, {
    config: testConfig({ SMTP_URL: sink.url, BASE_URL: baseUrl }),
    mailTransport: smtpTransport(sink.url),
    runWorker: true,
  });
  return {
    database,
    sink,
    app,
    async close() {
      await app.close();
      await sink.stop();
      await database.close();
    },
  };
}
