import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

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
});
