import { describe, expect, it, vi } from 'vitest';
import { PageGone, createPageCache } from './page-cache.js';

describe('page cache', () => {
  it('builds a page once for concurrent requests and serves it until it expires', async () => {
    vi.useFakeTimers();
    const cache = createPageCache({ ttlSeconds: 10 });
    let builds = 0;
    const build = () => Promise.resolve(`page ${++builds}`);
    const pages = await Promise.all([cache.remember('/a', build), cache.remember('/a', build)]);
    expect(pages).toEqual(['page 1', 'page 1']);
    vi.advanceTimersByTime(11_000);
    // Expired: the old page is served while one rebuild runs; then the new one.
    expect(await cache.remember('/a', build)).toBe('page 1');
    expect(await cache.remember('/a', build)).toBe('page 2');
    expect(builds).toBe(2);
    vi.useRealTimers();
  });

  it('forgets everything on clear, including a rebuild that was under way', async () => {
    vi.useFakeTimers();
    const cache = createPageCache({ ttlSeconds: 10 });
    await cache.remember('/a', () => Promise.resolve('old'));
    vi.advanceTimersByTime(11_000);
    let finish: (body: string) => void = () => undefined;
    await cache.remember('/a', () => new Promise((resolve) => (finish = resolve)));
    cache.clear();
    finish('stale rebuild');
    await Promise.resolve();
    expect(await cache.remember('/a', () => Promise.resolve('new'))).toBe('new');
    vi.useRealTimers();
  });

  it('keeps an expired page when its rebuild fails, and forgets it when the rebuild finds the page gone', async () => {
    vi.useFakeTimers();
    const cache = createPageCache({ ttlSeconds: 10 });
    await cache.remember('/failing', () => Promise.resolve('old'));
    await cache.remember('/gone', () => Promise.resolve('old'));
    vi.advanceTimersByTime(11_000);
    const fail = () => Promise.reject(new Error('db down'));
    const gone = () => Promise.reject(new PageGone('archived elsewhere'));
    // The request that finds it expired still gets the old page while the rebuild runs.
    expect(await cache.remember('/failing', fail)).toBe('old');
    expect(await cache.remember('/gone', gone)).toBe('old');
    await vi.advanceTimersByTimeAsync(0);
    // A database failure: the old page is served on. Gone: the next request builds, and hears it is gone.
    expect(await cache.remember('/failing', fail)).toBe('old');
    await expect(cache.remember('/gone', gone)).rejects.toBeInstanceOf(PageGone);
    expect(await cache.remember('/gone', () => Promise.resolve('back'))).toBe('back');
    vi.useRealTimers();
  });

  it('does not remember a failed build, and is off with a time to live of 0', async () => {
    const cache = createPageCache({ ttlSeconds: 10 });
    await expect(cache.remember('/a', () => Promise.reject(new Error('db down')))).rejects.toThrow('db down');
    expect(await cache.remember('/a', () => Promise.resolve('ok'))).toBe('ok');
    const off = createPageCache({ ttlSeconds: 0 });
    let builds = 0;
    await off.remember('/a', () => Promise.resolve(`${++builds}`));
    await off.remember('/a', () => Promise.resolve(`${++builds}`));
    expect(builds).toBe(2);
  });
});
