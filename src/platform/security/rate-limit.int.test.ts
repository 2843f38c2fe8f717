import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/client.js';
import { createTestDatabase } from '../../../tests/support/database.js';
import { createRateLimiter, waitInWords } from './rate-limit.js';

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.close();
});

/** Moves the last attempt under `key` back by `seconds`, instead of sleeping. */
async function rewind(key: string, seconds: number): Promise<void> {
  await database.sql.executeSql(
    `update rate_limits set window_start = window_start - make_interval(secs => $2) where key = $1`,
    [key, seconds],
  );
}

describe('throttle', () => {
  const rule = { free: 3, maxDelaySeconds: 10 };

  it('lets the free attempts through, then doubles the wait, up to the maximum', async () => {
    const limiter = createRateLimiter(database.sql);
    const key = `test:double:${Date.now()}`;
    for (let attempt = 0; attempt < 3; attempt++)
      expect((await limiter.throttle(key, rule)).allowed).toBe(true);
    expect(await limiter.throttle(key, rule)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    // A refused attempt does not count: the wait does not grow while nobody is let through.
    expect(await limiter.throttle(key, rule)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    await rewind(key, 1.1);
    expect((await limiter.throttle(key, rule)).allowed).toBe(true);
    expect(await limiter.throttle(key, rule)).toEqual({ allowed: false, retryAfterSeconds: 2 });
    await rewind(key, 2.1);
    expect((await limiter.throttle(key, rule)).allowed).toBe(true);
    expect(await limiter.throttle(key, rule)).toEqual({ allowed: false, retryAfterSeconds: 4 });
    await rewind(key, 4.1);
    expect((await limiter.throttle(key, rule)).allowed).toBe(true);
    expect(await limiter.throttle(key, rule)).toEqual({ allowed: false, retryAfterSeconds: 8 });
    await rewind(key, 8.1);
    expect((await limiter.throttle(key, rule)).allowed).toBe(true);
    expect(await limiter.throttle(key, rule)).toEqual({ allowed: false, retryAfterSeconds: 10 });
  });

  it('forgets the attempts after a success, and after a day without attempts', async () => {
    const limiter = createRateLimiter(database.sql);
    const key = `test:forget:${Date.now()}`;
    for (let attempt = 0; attempt < 3; attempt++) await limiter.throttle(key, rule);
    expect((await limiter.throttle(key, rule)).allowed).toBe(false);
    await limiter.succeeded(key);
    for (let attempt = 0; attempt < 3; attempt++)
      expect((await limiter.throttle(key, rule)).allowed).toBe(true);
    expect((await limiter.throttle(key, rule)).allowed).toBe(false);
    await rewind(key, 86_401);
    expect((await limiter.throttle(key, rule)).allowed).toBe(true);
  });

  it('lets exactly the free attempts through when they come at once', async () => {
    const limiter = createRateLimiter(database.sql);
    const key = `test:parallel:${Date.now()}`;
    const results = await Promise.all(Array.from({ length: 12 }, () => limiter.throttle(key, rule)));
    expect(results.filter((result) => result.allowed)).toHaveLength(3);
  });
});

describe('waitInWords', () => {
  it('says seconds below a minute, minutes up to an hour and hours above', () => {
    expect(waitInWords(1)).toBe('через 1 секунду');
    expect(waitInWords(4)).toBe('через 4 секунды');
    expect(waitInWords(32)).toBe('через 32 секунды');
    expect(waitInWords(45)).toBe('через 45 секунд');
    expect(waitInWords(61)).toBe('через 2 минуты');
    expect(waitInWords(900)).toBe('через 15 минут');
    expect(waitInWords(3600)).toBe('через 60 минут');
    expect(waitInWords(3601)).toBe('через 2 часа');
    expect(waitInWords(24 * 3600)).toBe('через 24 часа');
    expect(waitInWords(5 * 3600)).toBe('через 5 часов');
  });
});
