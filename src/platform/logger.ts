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
        err: pino.stdSerializers.err,
      },
      redact: {
        paths: [...PERSONAL_FIELDS, ...PERSONAL_FIELDS.map((field) => `*.${field}`), 'req.headers.cookie'],
        censor: '[скрыто]',
      },
    },
    destination,
  );
}
