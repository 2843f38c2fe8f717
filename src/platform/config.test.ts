import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, maskSecrets } from './config.js';

function errorsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.lines;
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('gives development defaults that run on embedded PGlite and the dev mailbox', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      env: 'development',
      port: 3000,
      baseUrl: 'http://localhost:3000',
      databaseUrl: undefined,
      smtpUrl: undefined,
      demoData: true,
      runJobsInWeb: true,
    });
    expect(config.dataDir).toMatch(/data$/);
  });

  it('names the variable in one line when a value is wrong', () => {
    expect(errorsOf({ PORT: 'abc' })).toEqual([
      'Invalid configuration: PORT must be a port number (got "abc")',
    ]);
    expect(errorsOf({ DATABASE_URL: 'mysql://x' })).toEqual([
      'Invalid configuration: DATABASE_URL must be a postgres:// or postgresql:// URL (got "mysql://x")',
    ]);
    expect(errorsOf({ RUN_JOBS_IN_WEB: 'maybe' })).toEqual([
      'Invalid configuration: RUN_JOBS_IN_WEB must be true or false (got "maybe")',
    ]);
  });

  it('takes SMTP connections from 1 to 100, and never echoes the SMTP password', () => {
    for (const connections of ['1', '5', '100'])
      expect(
        loadConfig({ SMTP_URL: `smtp://mail.example.ru?maxConnections=${connections}` }).smtpUrl,
      ).toContain(`=${connections}`);
    for (const connections of ['0', '101', 'много', '2.5', '']) {
      const lines = errorsOf({
        SMTP_URL: `smtps://user:secret@mail.example.ru?maxConnections=${connections}`,
      });
      expect(lines, connections).toHaveLength(1);
      expect(lines[0], connections).toContain(
        'SMTP_URL may set maxConnections only to a whole number from 1 to 100',
      );
      expect(lines[0], connections).not.toContain('secret');
    }
  });

  it('reports every wrong variable at once', () => {
    expect(errorsOf({ PORT: '70000', LOG_LEVEL: 'loud', SMTP_URL: 'http://mail' })).toHaveLength(3);
  });

  it('requires a secret, SMTP, a public URL and a database server in production, and never echoes the secret', () => {
    const lines = errorsOf({ NODE_ENV: 'production', SESSION_SECRET: 'short' });
    expect(lines).toContain('Invalid configuration: SESSION_SECRET must be at least 32 characters');
    expect(lines).toContain('Invalid configuration: SMTP_URL is required in production');
    expect(lines).toContain('Invalid configuration: BASE_URL is required in production');
    expect(lines).toContain('Invalid configuration: DATABASE_URL is required in production');
    expect(lines.join('\n')).not.toContain('short');
  });

  it('takes a fixed «today» for tests, a real date only, and never in production', () => {
    expect(loadConfig({ REGION_TODAY: '2027-09-15' }).regionToday).toBe('2027-09-15');
    expect(loadConfig({}).regionToday).toBeUndefined();
    expect(errorsOf({ REGION_TODAY: '15.09.2027' })).toEqual([
      'Invalid configuration: REGION_TODAY must be a date like 2027-09-15 (got "15.09.2027")',
    ]);
    expect(errorsOf({ REGION_TODAY: '2027-02-30' })).toEqual([
      'Invalid configuration: REGION_TODAY is not a real date (got "2027-02-30")',
    ]);
    const production = {
      NODE_ENV: 'production',
      SESSION_SECRET: 's'.repeat(40),
      SMTP_URL: 'smtp://mail.example.ru',
      BASE_URL: 'https://navigator.example.ru',
      DATABASE_URL: 'postgres://navigator@db/navigator',
    };
    expect(errorsOf(production)).toEqual([]);
    expect(errorsOf({ ...production, REGION_TODAY: '2027-09-15' })).toEqual([
      'Invalid configuration: REGION_TODAY is for tests only: production always runs on the real date (got "2027-09-15")',
    ]);
  });

  it('takes an optional certificate number key and never echoes it', () => {
    const lines = errorsOf({ CERTIFICATE_NUMBER_KEY: 'too-short-key' });
    expect(lines).toEqual(['Invalid configuration: CERTIFICATE_NUMBER_KEY must be at least 32 characters']);
    expect(loadConfig({ CERTIFICATE_NUMBER_KEY: 'k'.repeat(40) }).certificateNumberKey).toBe('k'.repeat(40));
    expect(loadConfig({}).certificateNumberKey).toBeUndefined();
  });

  it('accepts a complete production configuration and turns demo data off', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      SESSION_SECRET: 'x'.repeat(40),
      SMTP_URL: 'smtp://mail.example.org:587',
      BASE_URL: 'https://p67.example.org/',
      DATABASE_URL: 'postgres://app@db/navigator',
    });
    expect(config).toMatchObject({ isProduction: true, demoData: false, baseUrl: 'https://p67.example.org' });
  });

  it('trusts no proxy by default, in production too, and reads a hop count or proxy addresses', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: '0' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.5, 10.1.0.0/16,::1' }).trustProxy).toEqual([
      '10.0.0.5',
      '10.1.0.0/16',
      '::1',
    ]);
  });

  it('refuses TRUST_PROXY=true and addresses that are not addresses', () => {
    expect(errorsOf({ TRUST_PROXY: 'true' })[0]).toContain(
      'TRUST_PROXY must be a hop count or proxy addresses',
    );
    expect(errorsOf({ TRUST_PROXY: '10.0.0.0/33' })[0]).toContain('TRUST_PROXY must be false, a hop count');
    expect(errorsOf({ TRUST_PROXY: 'proxy.example.org' })[0]).toContain(
      'TRUST_PROXY must be false, a hop count',
    );
  });

  it('never prints the password of a mistyped DATABASE_URL or SMTP_URL, nor a secret query parameter', () => {
    const lines = errorsOf({
      DATABASE_URL: 'postgres://app:s3cr3t-Pa55@db:99999/navigator',
      SMTP_URL: 'smpt://mailer:hunter2@mail.example.org:587',
      BASE_URL: 'ftp://navigator.example.org?token=abc123',
    });
    expect(lines).toEqual([
      'Invalid configuration: BASE_URL must be an http(s) URL (got "ftp://navigator.example.org?token=***")',
      'Invalid configuration: DATABASE_URL is not a valid URL (got "postgres://app:***@db:99999/navigator")',
      'Invalid configuration: SMTP_URL must be an smtp:// or smtps:// URL (got "smpt://mailer:***@mail.example.org:587")',
    ]);
    for (const secret of ['s3cr3t', 'hunter2', 'abc123']) expect(lines.join('\n')).not.toContain(secret);
  });

  it('masks credentials however the URL is mistyped', () => {
    expect(maskSecrets('postgres:/app:pa@ss/word@db/x')).not.toMatch(/pa|ss|word/);
    expect(maskSecrets('app:secret@db:5432/x')).toBe('app:***@db:5432/x');
    expect(maskSecrets('postgresql://db/x?sslpassword=k3y&application_name=web')).toBe(
      'postgresql://db/x?sslpassword=***&application_name=web',
    );
    // Nothing secret, nothing hidden.
    expect(maskSecrets('postgres://app@db:5432/navigator')).toBe('postgres://app@db:5432/navigator');
  });
});

describe('MAP_TILES_URL', () => {
  it('defaults to OpenStreetMap tiles, whose host the CSP allows', () => {
    expect(loadConfig({}).map).toEqual({
      tilesUrl: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
      attribution: '© участники OpenStreetMap',
      imageSource: 'https://tile.openstreetmap.org',
    });
  });

  it('turns the map off when set empty', () => {
    expect(loadConfig({ MAP_TILES_URL: '' }).map).toBeNull();
    expect(loadConfig({ MAP_TILES_URL: '  ' }).map).toBeNull();
  });

  it('takes another server (a {s} subdomain as a wildcard) or a path on this site', () => {
    expect(
      loadConfig({ MAP_TILES_URL: 'https://{s}.tiles.example.org/osm/{z}/{x}/{y}.png' }).map,
    ).toMatchObject({ imageSource: 'https://*.tiles.example.org' });
    expect(loadConfig({ MAP_TILES_URL: '/tiles/{z}/{x}/{y}.png' }).map?.imageSource).toBe("'self'");
  });

  it('refuses a template without {z}/{x}/{y} or of another scheme', () => {
    for (const value of [
      'https://tiles.example.org/map.png',
      'javascript:{z}{x}{y}',
      '//evil.example/{z}/{x}/{y}',
    ]) {
      expect(() => loadConfig({ MAP_TILES_URL: value })).toThrow(/MAP_TILES_URL/);
    }
  });
});
