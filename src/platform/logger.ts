import { createRequire } from 'node:module';
import pino, { type Logger } from 'pino';
import type { Config } from './config.js';

export type { Logger };

/**
 * Field names that may carry personal data. They are censored wherever they appear in a log object,
 * as a safety net: code logs ids, never people.
 */
const PERSONAL_FIELDS = [
  'email',
  'phone',
  'name',
  'firstName',
  'lastName',
  'middleName',
  'password',
  'to',
  'snils',
  'address',
  'birthDate',
];

/** `destination` defaults to standard output; tests pass a stream to read the lines back. */
/**
 * Errors without the values they carry: a failed query's message lists its parameters (names, e-mails),
 * and PostgreSQL's `detail` repeats the row. Only the SQL text, the codes and the stack frames are kept.
 */
export function safeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const withQuery = error as Error & { query?: string; code?: string; cause?: unknown };
  const cause = withQuery.cause instanceof Error ? (withQuery.cause as Error & { code?: string }) : undefined;
  const message = withQuery.query !== undefined ? `Failed query: ${withQuery.query}` : error.message;
  const frames = (error.stack ?? '').split('\n').filter((line) => line.trimStart().startsWith('at '));
  return {
    type: error.name,
    message,
    code: withQuery.code ?? cause?.code,
    cause: cause ? { type: cause.name, message: cause.message, code: cause.code } : undefined,
    stack: frames.join('\n'),
  };
}

/**
 * Where the lines go: JSON to standard output in production and tests (for machines), readable lines through
 * pino-pretty in development (for people). pino-pretty is a development dependency: where it is not installed
 * (a production image), JSON it is.
 */
export function defaultDestination(
  env: Config['env'],
  output: NodeJS.WritableStream = process.stdout,
): pino.DestinationStream {
  if (env === 'development') {
    try {
      const pretty = createRequire(import.meta.url)('pino-pretty') as (
        options: object,
      ) => pino.DestinationStream;
      return pretty({
        destination: output,
        colorize: output === process.stdout && process.stdout.isTTY,
        translateTime: 'SYS:HH:MM:ss',
        ignore: 'pid,hostname,service',
      });
    } catch {
      // not installed: fall through to JSON
    }
  }
  return output === process.stdout ? pino.destination(1) : output;
}

export function createLogger(
  config: Pick<Config, 'logLevel' | 'env'>,
  destination: pino.DestinationStream = defaultDestination(config.env),
): Logger {
  return pino(
    {
      level: config.env === 'test' && config.logLevel === 'info' ? 'silent' : config.logLevel,
      base: { service: 'navigator' },
      timestamp: pino.stdTimeFunctions.isoTime,
      serializers: {
        // The query string may hold search terms or one-time codes: only the path is logged.
        req: (req: { id?: string; method?: string; url?: string }) => ({
          id: req.id,
          method: req.method,
          path: req.url?.split('?')[0],
        }),
        res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
        err: safeError,
      },
      redact: {
        paths: [...PERSONAL_FIELDS, ...PERSONAL_FIELDS.map((field) => `*.${field}`), 'req.headers.cookie'],
        censor: '[скрыто]',
      },
    },
    destination,
  );
}
