/**
 * A small in-memory cache of rendered responses (ADR 0010): the same catalog page asked for by many guests at
 * once is built once per `ttlSeconds`, and requests arriving while it is being built wait for that one build
 * instead of starting their own. Least recently used entries go first when it is full. Per process; other
 * processes see a change at the latest after the time to live.
 */
export interface PageCache {
  /** The remembered body for `key`, or the one `build` makes (remembered if it succeeds). */
  remember(key: string, build: () => Promise<string>): Promise<string>;
  /** Forget everything, e.g. after a program is published or its groups change. */
  clear(): void;
}

export function createPageCache({
  ttlSeconds,
  maxEntries = 1000,
}: {
  ttlSeconds: number;
  maxEntries?: number;
}): PageCache {
  const entries = new Map<string, { body: Promise<string>; until: number }>();
  return {
    remember(key, build) {
      if (ttlSeconds <= 0) return build();
      const entry = entries.get(key);
      entries.delete(key);
      if (entry && entry.until >= Date.now()) {
        entries.set(key, entry); // most recently used last
        return entry.body;
      }
      const body = build();
      const fresh = { body, until: Date.now() + ttlSeconds * 1000 };
      entries.set(key, fresh);
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
      // A failed build is not remembered: the next request tries again.
      body.catch(() => {
        if (entries.get(key) === fresh) entries.delete(key);
      });
      return body;
    },
    clear() {
      entries.clear();
    },
  };
}
