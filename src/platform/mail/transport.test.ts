import { describe, expect, it } from 'vitest';
import type { SqlExecutor } from '../db/client.js';
import { createMailJob } from './mailer.js';
import { smtpTransport } from './transport.js';

describe('the SMTP transport', () => {
  it('sends 20 letters at once unless SMTP_URL allows fewer connections, and the mail job follows it', () => {
    const cases: [string, number][] = [
      ['smtp://127.0.0.1:2525', 20],
      ['smtps://user:secret@smtp.example.ru:465?maxConnections=5', 5],
    ];
    for (const [url, parallel] of cases) {
      const transport = smtpTransport(url);
      expect(transport.parallel, url).toBe(parallel);
      const job = createMailJob(transport, {} as SqlExecutor, { from: 'noreply@navigator.test' });
      expect(job.batchSize, url).toBe(parallel);
      transport.close();
    }
  });

  it('refuses a connection count the configuration would refuse, without showing the password', () => {
    expect(() => smtpTransport('smtps://user:secret@smtp.example.ru?maxConnections=0')).toThrow(
      /^SMTP_URL may set maxConnections only to a whole number from 1 to 100$/,
    );
  });
});
