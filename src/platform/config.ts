import net from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { fixRegionToday } from './views/format.js';

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

// A value that passes the pattern but not the URL parser (a bad port, say) would otherwise fail later in pg or
// nodemailer, whose errors print the whole URL with its password.
const postgresUrl = z
  .string()
  .regex(/^postgres(ql)?:\/\/\S+$/, { message: 'must be a postgres:// or postgresql:// URL' })
  .refine((value) => URL.canParse(value), { message: 'is not a valid URL' });

/** Letters the mail job sends at once, each on an SMTP connection of its own, unless SMTP_URL says fewer. */
export const SMTP_CONNECTIONS = 20;

/**
 * The SMTP connections SMTP_URL asks for (`?maxConnections=N`, a whole number from 1 to 100), which is also how
 * many letters the mail job sends at once (ADR 0052); null when the value is not such a number.
 */
export function smtpConnectionsOf(url: string): number | null {
  const connections = new URL(url).searchParams.get('maxConnections');
  if (connections === null) return SMTP_CONNECTIONS;
  const value = Number(connections);
  return /^\d{1,3}$/.test(connections) && value >= 1 && value <= 100 ? value : null;
}

const smtpUrl = z
  .string()
  .regex(/^smtps?:\/\/\S+$/, { message: 'must be an smtp:// or smtps:// URL' })
  .refine((value) => URL.canParse(value), { message: 'is not a valid URL' })
  // Not parsable: said by the refinement above.
  .refine((value) => !URL.canParse(value) || smtpConnectionsOf(value) !== null, {
    message: 'may set maxConnections only to a whole number from 1 to 100',
  });

/** One proxy address: an IPv4/IPv6 address or CIDR range, or one of proxy-addr's names (loopback…). */
function isProxyAddress(value: string): boolean {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(value)) return true;
  const [address = '', prefix, ...rest] = value.split('/');
  const version = net.isIP(address);
  if (!version || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
}

/**
 * Which X-Forwarded-For hops to believe: a number of proxies in front of the app, or their addresses. Never
 * «every one»: then anyone could name their own address and slip past the rate limits.
 */
const trustProxy = z
  .string()
  .trim()
  .refine((value) => value !== 'true', {
    message: 'must be a hop count or proxy addresses, not "true" (that would trust any X-Forwarded-For)',
  })
  .refine(
    (value) =>
      value === 'false' ||
      /^\d{1,2}$/.test(value) ||
      value.split(',').every((item) => isProxyAddress(item.trim())),
    {
      message:
        'must be false, a hop count (e.g. 1) or a comma list of proxy addresses/CIDRs (e.g. 10.0.0.5,10.1.0.0/16)',
    },
  )
  .transform((value): false | number | string[] => {
    if (value === 'false') return false;
    if (/^\d+$/.test(value)) return Number(value) || false;
    return value.split(',').map((item) => item.trim());
  });

/**
 * A tile server's address template: an http(s) URL or a path on this site, with {z}, {x} and {y} (and {s} for
 * a subdomain, in the host only).
 */
const tilesUrl = z
  .string()
  .trim()
  .refine((value) => ['{z}', '{x}', '{y}'].every((part) => value.includes(part)), {
    message: 'must contain {z}, {x} and {y}',
  })
  .refine(
    (value) =>
      (value.startsWith('/') && !value.startsWith('//')) ||
      (/^https?:\/\/[^/?#]+\//.test(value) && URL.canParse(value.replaceAll('{s}', 'a'))),
    { message: 'must be an http(s) URL or a path starting with /' },
  );

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production'], {
      message: 'must be development, test or production',
    }),
    PORT: z.coerce
      .number({ message: 'must be a port number' })
      .int({ message: 'must be a whole number' })
      .min(0, { message: 'must be between 0 and 65535' })
      .max(65535, { message: 'must be between 0 and 65535' }),
    HOST: z.string().min(1, { message: 'must not be empty' }),
    BASE_URL: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).optional(),
    DATABASE_URL: postgresUrl.optional(),
    DATABASE_POOL_SIZE: z.coerce
      .number({ message: 'must be a whole number' })
      .int({ message: 'must be a whole number' })
      .min(1, { message: 'must be between 1 and 200' })
      .max(200, { message: 'must be between 1 and 200' }),
    DATA_DIR: z.string().min(1, { message: 'must not be empty' }),
    SMTP_URL: smtpUrl.optional(),
    MAIL_FROM: z.string().min(3, { message: 'must be an address like "Name <noreply@example.org>"' }),
    SESSION_SECRET: z.string().min(32, { message: 'must be at least 32 characters' }).optional(),
    CERTIFICATE_NUMBER_KEY: z.string().min(32, { message: 'must be at least 32 characters' }).optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      message: 'must be one of fatal, error, warn, info, debug, trace, silent',
    }),
    DEMO_DATA: booleanFlag.optional(),
    RUN_JOBS_IN_WEB: booleanFlag,
    TRUST_PROXY: trustProxy.optional(),
    CATALOG_CACHE_SECONDS: z.coerce
      .number({ message: 'must be a whole number of seconds' })
      .int({ message: 'must be a whole number of seconds' })
      .min(0, { message: 'must be 0 (off) or more' })
      .max(300, { message: 'must be at most 300' }),
    MAP_TILES_URL: tilesUrl,
    MAP_TILES_ATTRIBUTION: z.string().trim().min(1).max(300),
    METRICS_TOKEN: z
      .string()
      .min(32, { message: 'must be at least 32 characters (e.g. openssl rand -hex 32)' })
      .optional(),
    REGION_TODAY: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date like 2027-09-15', abort: true })
      .refine(
        (value) => !Number.isNaN(Date.parse(value)) && new Date(value).toISOString().startsWith(value),
        {
          message: 'is not a real date',
        },
      )
      .optional(),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV !== 'production') return;
    if (env.REGION_TODAY)
      ctx.addIssue({
        code: 'custom',
        path: ['REGION_TODAY'],
        message: 'is for tests only: production always runs on the real date',
      });
    for (const name of ['SESSION_SECRET', 'SMTP_URL', 'BASE_URL', 'DATABASE_URL'] as const) {
      if (!env[name]) ctx.addIssue({ code: 'custom', path: [name], message: 'is required in production' });
    }
  });

const defaults: Record<string, string> = {
  NODE_ENV: 'development',
  PORT: '3000',
  HOST: 'localhost',
  DATA_DIR: './data',
  MAIL_FROM: '"Навигатор дополнительного образования" <noreply@navigator.localhost>',
  LOG_LEVEL: 'info',
  RUN_JOBS_IN_WEB: 'true',
  CATALOG_CACHE_SECONDS: '10',
  DATABASE_POOL_SIZE: '10',
  MAP_TILES_URL: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
  MAP_TILES_ATTRIBUTION: '© участники OpenStreetMap',
};

/** The map of organizations on the catalog and organization pages (progressive enhancement). */
export interface MapSettings {
  /** Leaflet's tile URL template. */
  tilesUrl: string;
  /** Shown in the map's corner, as the tile server's licence asks (plain text). */
  attribution: string;
  /** What Content-Security-Policy's img-src must allow for the tiles: the tile host, or 'self' for a path. */
  imageSource: string;
}

/** The CSP source of a tile template: its scheme and host, a {s} subdomain as a wildcard. */
export function tileImageSource(template: string): string {
  if (template.startsWith('/')) return "'self'";
  const [, scheme = 'https:', host = ''] = /^(https?:)\/\/([^/?#]+)/.exec(template) ?? [];
  return `${scheme}//${host.replace(/\{s\}/g, '*')}`;
}

export interface Config {
  env: 'development' | 'test' | 'production';
  isProduction: boolean;
  port: number;
  host: string;
  baseUrl: string;
  /** A PostgreSQL server; without it the app runs on embedded PGlite in `dataDir`. */
  databaseUrl: string | undefined;
  dataDir: string;
  /** Without it (development only) mail goes to the dev mailbox in `dataDir/mail`. */
  smtpUrl: string | undefined;
  mailFrom: string;
  sessionSecret: string;
  /** Keys certificate numbers (ADR 0007); without it the key generated at first start and kept in the database. */
  certificateNumberKey: string | undefined;
  logLevel: string;
  demoData: boolean;
  runJobsInWeb: boolean;
  /** How long a guest's catalog results page may be served from memory (0: never). ADR 0010. */
  catalogCacheSeconds: number;
  /** Connections to the PostgreSQL server per process; requests beyond them wait for a free one. */
  databasePoolSize: number;
  /**
   * The proxies whose X-Forwarded-For is believed (a hop count or addresses); false: the client address is the
   * connection's, whatever headers say. README: «За прокси-сервером».
   */
  trustProxy: false | number | string[];
  /** MAP_TILES_URL; null when set empty (no map, the pages show the lists only). */
  map: MapSettings | null;
  /** The bearer token Prometheus sends to `/metrics`; without it there is no `/metrics` (ADR 0030). */
  metricsToken: string | undefined;
  /** REGION_TODAY: the region's «today» fixed for a test run (never in production); undefined: the real date. */
  regionToday: string | undefined;
}

export class ConfigError extends Error {
  constructor(readonly lines: string[]) {
    super(lines.join('\n'));
    this.name = 'ConfigError';
  }
}

// Variables whose whole value is a secret: never shown, not even masked.
const SECRET_NAME = /SECRET|PASSWORD|TOKEN|KEY/;

/**
 * A configuration value as it may be printed: the password of any `scheme://user:password@host` (also when the
 * URL is mistyped) and secret-looking query parameters are replaced by `***`.
 */
export function maskSecrets(value: string): string {
  const [, scheme = '', rest = value] = /^([a-z][a-z0-9+.-]*:\/\/)?(.*)$/is.exec(value) ?? [];
  // Up to the last "@": an unencoded "@" in a password must not leave its tail visible.
  const masked = rest.replace(/^([^:@]*):.*@/s, '$1:***@');
  return (scheme + masked).replace(/([?&](?:password|pass|secret|token|key|sslpassword)=)[^&]*/gi, '$1***');
}

/** MAP_TILES_URL set to nothing (or spaces): no map. */
const mapOff = (value: string | undefined) => value !== undefined && value.trim() === '';

/** Validates the environment. Throws ConfigError with one line per wrong variable. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const raw: Record<string, string> = { ...defaults };
  for (const key of Object.keys(envSchema.shape)) {
    const value = source[key];
    if (value !== undefined && value !== '' && !(key === 'MAP_TILES_URL' && mapOff(value))) raw[key] = value;
  }
  const parsed = envSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      const given = source[name];
      const shown = given === undefined || SECRET_NAME.test(name) ? '' : ` (got "${maskSecrets(given)}")`;
      return `Invalid configuration: ${name} ${issue.message}${shown}`;
    });
    throw new ConfigError(lines);
  }
  const env = parsed.data;
  const isProduction = env.NODE_ENV === 'production';
  return {
    env: env.NODE_ENV,
    isProduction,
    port: env.PORT,
    host: env.HOST,
    baseUrl: (env.BASE_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, ''),
    databaseUrl: env.DATABASE_URL,
    databasePoolSize: env.DATABASE_POOL_SIZE,
    dataDir: path.resolve(env.DATA_DIR),
    smtpUrl: env.SMTP_URL,
    mailFrom: env.MAIL_FROM,
    // Development sessions need no secret of their own; production refuses to start without one.
    sessionSecret: env.SESSION_SECRET ?? 'development-only-secret-not-for-production-use',
    certificateNumberKey: env.CERTIFICATE_NUMBER_KEY,
    logLevel: env.LOG_LEVEL,
    demoData: env.DEMO_DATA ?? !isProduction,
    runJobsInWeb: env.RUN_JOBS_IN_WEB,
    catalogCacheSeconds: env.CATALOG_CACHE_SECONDS,
    trustProxy: env.TRUST_PROXY ?? false,
    metricsToken: env.METRICS_TOKEN,
    regionToday: env.REGION_TODAY,
    // An empty MAP_TILES_URL turns the map off (loadConfig otherwise reads an empty value as «use the default»).
    map: mapOff(source.MAP_TILES_URL)
      ? null
      : {
          tilesUrl: env.MAP_TILES_URL,
          attribution: env.MAP_TILES_ATTRIBUTION,
          imageSource: tileImageSource(env.MAP_TILES_URL),
        },
  };
}

/** For entry points: prints the configuration errors as plain lines and exits. */
export function loadConfigOrExit(): Config {
  try {
    const config = loadConfig();
    fixRegionToday(config.regionToday ?? null);
    return config;
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const line of error.lines) console.error(line);
      process.exit(1);
    }
    throw error;
  }
}
