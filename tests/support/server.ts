import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../src/platform/db/client.js';
import { hashToken, randomToken } from '../../src/platform/security/tokens.js';
import { createFamily, type Family } from './enrolment.js';
import { eventually } from './smtp.js';

/** Fault tests: the real server process (`src/server.ts`), which a test can kill, and HTTP calls to it. */

export function spawnServer(port: number, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      BASE_URL: 'https://navigator.test',
      SESSION_SECRET: 'fault-test-secret-fault-test-secret-00',
      LOG_LEVEL: process.env.FAULT_LOG ?? 'fatal',
      PORT: String(port),
      HOST: '127.0.0.1',
      DEMO_DATA: 'false',
      ...env,
    },
    stdio: ['ignore', process.env.FAULT_LOG ? 'inherit' : 'ignore', 'inherit'],
  });
}

export async function waitReady(port: number, timeoutMs = 60_000): Promise<void> {
  await eventually(async () => (await call(port, 'GET', '/readyz')).status === 200, timeoutMs);
}

export interface Answer {
  /** 0: no answer (connection refused or reset). */
  status: number;
  body: Record<string, unknown>;
  /** The body as it came (an HTML page, say). */
  text: string;
}

/**
 * One JSON request. `from` picks the loopback address the request comes from (127.0.0.x), so that a burst is not
 * stopped by the per-address rate limits whatever proxy trust the app is configured with.
 */
export function call(
  port: number,
  method: string,
  path: string,
  options: { body?: unknown; cookie?: string; from?: string } = {},
): Promise<Answer> {
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        localAddress: options.from,
        agent: false,
        headers: {
          ...(payload ? { 'content-type': 'application/json' } : {}),
          ...(options.cookie ? { cookie: options.cookie } : {}),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: Record<string, unknown> = {};
          try {
            body = JSON.parse(text) as Record<string, unknown>;
          } catch {
            // Not JSON: an HTML page.
          }
          resolve({ status: response.statusCode ?? 0, body, text });
        });
        response.on('error', () => resolve({ status: 0, body: {}, text: '' }));
      },
    );
    request.on('error', () => resolve({ status: 0, body: {}, text: '' }));
    request.end(payload);
  });
}

/** A parent registers through the API; the answer is 202 whatever the address. */
export function register(port: number, email: string, from: string): Promise<Answer> {
  return call(port, 'POST', '/api/v1/accounts', {
    from,
    body: {
      municipalityId: '1',
      lastName: 'Петрова',
      firstName: 'Ольга',
      phone: '+7 900 123-45-67',
      email,
      password: 'Пятнистый-жираф-на-Днепре-7',
      passwordRepeat: 'Пятнистый-жираф-на-Днепре-7',
      applicantKind: 'parent',
      consent: true,
    },
  });
}

export type SignedInFamily = Family & { email: string; cookie: string };

/** Parents with a child and a certificate each, signed in (a session row and its cookie). */
export async function signedInFamilies(db: Db, prefix: string, count: number): Promise<SignedInFamily[]> {
  const families: SignedInFamily[] = [];
  for (let i = 0; i < count; i++) {
    const email = `${prefix}${i}@example.ru`;
    const family = await createFamily(db, { email });
    const token = randomToken();
    await queryRows(
      db,
      sql`insert into sessions (token_hash, user_id, expires_at)
          values (${hashToken(token)}, ${family.userId}, now() + interval '1 hour')`,
    );
    families.push({ ...family, email, cookie: `__Host-sid=${token}` });
  }
  return families;
}

export function apply(port: number, family: SignedInFamily, groupId: string): Promise<Answer> {
  return call(port, 'POST', '/api/v1/applications', {
    cookie: family.cookie,
    body: { childId: family.childId, groupId },
  });
}

/** The loopback address for the n-th request of a burst: at most `perAddress` requests from each. */
export function loopback(n: number, perAddress = 10): string {
  return `127.0.0.${2 + Math.floor(n / perAddress)}`;
}
