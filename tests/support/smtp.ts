import net from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/**
 * A real SMTP server on loopback that keeps what it receives, parsed. Tests read letters back
 * from it exactly as a recipient's server would have them.
 */
export class SmtpSink {
  readonly received: ParsedMail[] = [];
  /** The SMTP envelope of each letter in `received` (MAIL FROM and RCPT TO), in the same order. */
  readonly envelopes: { from: string; to: string[] }[] = [];
  /** When the first letter to each address was accepted (ms since epoch), for latency figures. */
  readonly arrivals = new Map<string, number>();
  /** Recipients the server refuses, with its answer (e.g. «550 5.1.1 Mailbox unavailable»), as a real one would. */
  readonly refused = new Map<string, string>();
  /** Recipients whose RCPT TO the server never answers, as a hung relay would (until it stops). */
  readonly stalled = new Set<string>();
  private server: SMTPServer | undefined;
  private waiters: (() => void)[] = [];

  constructor(readonly port: number) {}

  static async start(): Promise<SmtpSink> {
    const sink = new SmtpSink(await freePort());
    await sink.listen();
    return sink;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  async listen(): Promise<void> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      // stop() ends the app's pooled connections after half a second instead of waiting 30 s for them.
      closeTimeout: 500,
      onRcptTo: (address, _session, callback) => {
        if (this.stalled.has(address.address.toLowerCase())) return;
        const answer = this.refused.get(address.address.toLowerCase());
        if (!answer) return callback();
        const [code, ...text] = answer.split(' ');
        callback(Object.assign(new Error(text.join(' ')), { responseCode: Number(code) }));
      },
      onData: (stream, session, callback) => {
        simpleParser(stream)
          .then((mail) => {
            // A letter finished while the server is stopping is refused (the sender retries), never kept
            // without its acceptance reaching the sender.
            if (this.server !== server) {
              callback(Object.assign(new Error('Shutting down, try again later'), { responseCode: 421 }));
              return;
            }
            const at = Date.now();
            for (const address of addressesOf(mail))
              if (!this.arrivals.has(address)) this.arrivals.set(address, at);
            this.received.push(mail);
            const { mailFrom, rcptTo } = session.envelope;
            this.envelopes.push({
              from: mailFrom ? mailFrom.address : '',
              to: rcptTo.map((recipient) => recipient.address),
            });
            this.waiters.splice(0).forEach((wake) => wake());
            callback();
          })
          .catch(callback);
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    // A sender killed mid-connection (the crash tests) resets its sockets; smtp-server reports each reset as an
    // 'error' event, which must not become an uncaught exception of the test run.
    server.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') throw error;
    });
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Waits until a letter to `to` (whose subject contains `subject`, if given) has arrived, for at most `timeoutMs`. */
  async waitFor(to: string, timeoutMs = 15_000, subject = ''): Promise<ParsedMail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.find(
        (mail) => addressesOf(mail).includes(to) && (mail.subject ?? '').includes(subject),
      );
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`No letter to ${to} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}

export function addressesOf(mail: ParsedMail): string[] {
  const to = Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : [];
  return to.flatMap((group) => group.value.map((address) => address.address ?? ''));
}

/** A port that nothing listens on right now (used to test a server that is down). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Polls `check` until it returns a value, for at most `timeoutMs`. */
export async function eventually<T>(
  check: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
