import path from 'node:path';
import nodemailer from 'nodemailer';
import { SMTP_CONNECTIONS, smtpConnectionsOf, type Config } from '../config.js';
import { DevMailbox } from './dev-mailbox.js';
import type { MailMessage } from './message.js';

/** Delivers one letter now. Throws when delivery failed, so that the mail job is retried. */
export interface MailTransport {
  deliver(message: MailMessage, options: { from: string; id: string }): Promise<void>;
  /** How many letters it sends at once, each on a connection of its own: the mail job's batch (mailer.ts). */
  parallel: number;
  close(): void;
  /** Present when letters go to the development mailbox instead of an SMTP server. */
  devMailbox?: DevMailbox;
  /** SMTP only: connects (and logs in) without sending anything; throws what the server or the network said. */
  verify?(): Promise<void>;
}

export function createMailTransport(
  config: Pick<Config, 'smtpUrl' | 'dataDir' | 'isProduction'>,
): MailTransport {
  if (config.smtpUrl) return smtpTransport(config.smtpUrl);
  if (config.isProduction) throw new Error('SMTP_URL is required in production');
  return devMailboxTransport(new DevMailbox(path.join(config.dataDir, 'mail')));
}

export function smtpTransport(smtpUrl: string): MailTransport {
  const url = new URL(smtpUrl);
  // Fail fast when the server is down or stalls: the job queue retries with backoff. Together these stay within
  // the mail job's expiry (mailer.ts), so an attempt is over before pg-boss would start another one.
  url.searchParams.set('connectionTimeout', url.searchParams.get('connectionTimeout') ?? '5000');
  url.searchParams.set('greetingTimeout', url.searchParams.get('greetingTimeout') ?? '5000');
  url.searchParams.set('socketTimeout', url.searchParams.get('socketTimeout') ?? '10000');
  // Reuse connections: a letter then costs one SMTP transaction, not a new TCP and TLS handshake. The mail job sends
  // as many at once as there are connections (ADR 0052).
  url.searchParams.set('pool', url.searchParams.get('pool') ?? 'true');
  const parallel = smtpConnectionsOf(smtpUrl);
  // The configuration refuses such a URL at start (config.ts); this message never shows the URL's password.
  if (parallel === null)
    throw new Error('SMTP_URL may set maxConnections only to a whole number from 1 to 100');
  url.searchParams.set('maxConnections', String(parallel));
  const transporter = nodemailer.createTransport(url.toString());
  return {
    parallel,
    async deliver(message, { from, id }) {
      await transporter.sendMail({ ...message, from, messageId: messageId(id), headers: { 'X-Job-Id': id } });
    },
    close: () => transporter.close(),
    async verify() {
      await transporter.verify();
    },
  };
}

function devMailboxTransport(mailbox: DevMailbox): MailTransport {
  const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    parallel: SMTP_CONNECTIONS,
    async deliver(message, { from, id }) {
      const info = await transporter.sendMail({ ...message, from, messageId: messageId(id) });
      await mailbox.store(id, info.message as Buffer);
    },
    close: () => transporter.close(),
    devMailbox: mailbox,
  };
}

// The same job always produces the same Message-ID, so a letter re-sent after a crash is recognisable.
function messageId(jobId: string): string {
  return `<${jobId}@navigator.mail>`;
}
