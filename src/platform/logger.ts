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

export function createLogger(
  config: Pick<Config, 'logLevel' | 'env'>,
  destination: pino.DestinationStream = pino.destination(1),
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
