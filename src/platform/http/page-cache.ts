import type { FastifyRequest } from 'fastify';

/**
 * A small in-memory cache of rendered responses (ADR 0010): the same catalog page asked for by many guests at
 * once is built once per `ttlSeconds`. Requests that arrive while the first build runs wait for it; when a page
 * has expired, the old one is still served while one request builds its replacement, so a busy page never makes
 * a crowd wait. Least recently used entries go first when it is full. Per process: other processes see a change
 * after the time to live (plus one build); `clear()` makes this process forget at once.
 */
export interface PageCache<T = string> {
  /** The remembered body for `key`, or the one `build` makes (remembered if it succeeds). */
  remember(key: string, build: () => Promise<T>): Promise<T>;
  /** Forget everything, e.g. after a program is published or its groups change. */
  clear(): void;
}

/**
 * A build's answer that the page is not there (any more): a program no longer published, a page past the last.
 * Never remembered, like any failed build; and a rebuild of an expired page that fails with it forgets that page,
 * instead of serving it on (as after other failures) — a change made in another process would otherwise never
 * reach this one's guests.
 */
export class PageGone extends Error {}

interface Entry<T> {
  body: Promise<T>;
  until: number;
  refreshing: boolean;
}

export function createPageCache<T = string>({
  ttlSeconds,
  maxEntries = 1000,
}: {
  ttlSeconds: number;
  maxEntries?: number;
}): PageCache<T> {
  const entries = new Map<string, Entry<T>>();
  let generation = 0; // bumped by clear(): a build started before it must not come back

  function store(key: string, entry: Entry<T>) {
    entries.delete(key);
    entries.set(key, entry); // most recently used last
    if (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
  }

  return {
    remember(key, build) {
      if (ttlSeconds <= 0) return build();
      const entry = entries.get(key);
      if (!entry) {
        const fresh: Entry<T> = { body: build(), until: Date.now() + ttlSeconds * 1000, refreshing: false };
        store(key, fresh);
        fresh.body.catch(() => {
          if (entries.get(key) === fresh) entries.delete(key); // a failed build is tried again next time
        });
        return fresh.body;
      }
      store(key, entry);
      if (entry.until < Date.now() && !entry.refreshing) {
        entry.refreshing = true;
        const started = generation;
        build().then(
          (body) => {
            if (generation === started && entries.get(key) === entry) {
              store(key, {
                body: Promise.resolve(body),
                until: Date.now() + ttlSeconds * 1000,
                refreshing: false,
              });
            }
          },
          (error: unknown) => {
            if (error instanceof PageGone) {
              if (entries.get(key) === entry) entries.delete(key); // the next request builds (and answers) anew
              return;
            }
            entry.refreshing = false; // keep serving the old page; the next request tries again
          },
        );
      }
      return entry.body;
    },
    clear() {
      generation++;
      entries.clear();
    },
  };
}

/**
 * Whether this request's page is the one every guest gets, so it may be served from and stored in the cache:
 * no signed-in user (their name, their municipality), no flash message, and no «версия для слабовидящих»
 * (its panel carries this browser's CSRF token and the page its settings; ADR 0021).
 */
export function isSharedGuestPage(request: FastifyRequest): boolean {
  return !request.user && !request.flash && !request.lowVision;
}
