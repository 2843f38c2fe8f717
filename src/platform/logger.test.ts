import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, defaultDestination } from './logger.js';

function capture(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, stream };
}

describe('logger', () => {
  it('logs the request path without its query string (search terms, one-time codes)', async () => {
    const { lines, stream } = capture();
    createLoggerTo(stream).info(
      { req: { id: 'r1', method: 'GET', url: '/verify/email?code=secret123' } },
      'incoming request',
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines.join('')).toContain('"path":"/verify/email"');
    expect(lines.join('')).not.toContain('secret123');
  });

  it('censors personal fields wherever they appear', async () => {
    const { lines, stream } = capture();
    createLoggerTo(stream).info({ email: 'ivanova@example.ru', user: { phone: '+79001234567' } }, 'event');
    await new Promise((resolve) => setImmediate(resolve));
    const output = lines.join('');
    expect(output).not.toContain('ivanova@example.ru');
    expect(output).not.toContain('+79001234567');
    expect(output).toContain('[скрыто]');
  });
});

describe('safeError', () => {
  it('keeps the SQL and the codes of a failed query but not its parameters or row details', async () => {
    const cause = Object.assign(
      new Error('duplicate key value violates unique constraint "users_email_uq"'),
      {
        code: '23505',
        detail: 'Key (email)=(ivanova@example.ru) already exists.',
      },
    );
    const error = Object.assign(
      new Error('Failed query: insert into users (email) values ($1)\nparams: ivanova@example.ru'),
      { query: 'insert into users (email) values ($1)', cause },
    );
    const { lines, stream } = capture();
    createLoggerTo(stream).error({ err: error }, 'request failed');
    await new Promise((resolve) => setImmediate(resolve));
    const output = lines.join('');
    expect(output).not.toContain('ivanova@example.ru');
    expect(output).toContain('insert into users (email) values ($1)');
    expect(output).toContain('23505');
  });
});

function createLoggerTo(stream: Writable) {
  return createLogger({ logLevel: 'info', env: 'development' }, stream);
}

describe('log format', () => {
  it('is readable lines in development, still censored, and JSON in production', async () => {
    const development = capture();
    createLogger(
      { env: 'development', logLevel: 'info' },
      defaultDestination('development', development.stream),
    ).info(
      { email: 'ivanova@example.ru', req: { id: 'r1', method: 'GET', url: '/cabinet?code=secret' } },
      'заявка подана',
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    const line = development.lines.join('');
    expect(line).toContain('INFO');
    expect(line).toContain('заявка подана');
    expect(line).not.toMatch(/^\{"level"/);
    expect(line).not.toContain('ivanova@example.ru');
    expect(line).not.toContain('secret');

    const production = capture();
    createLogger(
      { env: 'production', logLevel: 'info' },
      defaultDestination('production', production.stream),
    ).info('event');
    await new Promise((resolve) => setImmediate(resolve));
    expect(JSON.parse(production.lines.join(''))).toMatchObject({ msg: 'event', level: 30 });
  });
});
