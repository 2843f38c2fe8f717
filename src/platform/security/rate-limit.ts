import type { SqlExecutor } from '../db/client.js';

export interface RateLimitRule {
  /** Attempts allowed within one window. */
  limit: number;
  windowSeconds: number;
}

export interface RateLimitResult {
  allowed: boolean;
  /** Seconds until the window ends, for a message like «попробуйте через 15 минут». */
  retryAfterSeconds: number;
}

/**
 * Fixed-window counters in PostgreSQL: every app process sees the same counts, and one atomic upsert per
 * attempt keeps them exact under concurrency.
 */
export function createRateLimiter(sql: SqlExecutor) {
  return {
    async hit(key: string, rule: RateLimitRule): Promise<RateLimitResult> {
      const { rows } = await sql.executeSql(
        `insert into rate_limits as r (key, window_start, hits) values ($1, now(), 1)
         on conflict (key) do update set
           hits = case when r.window_start <= now() - make_interval(secs => $2) then 1 else r.hits + 1 end,
           window_start = case when r.window_start <= now() - make_interval(secs => $2) then now() else r.window_start end
         returning hits, window_start`,
        [key, rule.windowSeconds],
      );
      const row = rows[0] as { hits: number; window_start: Date | string };
      const endsAt = new Date(row.window_start).getTime() + rule.windowSeconds * 1000;
      // Now and then, forget windows that ended long ago.
      if (Math.random() < 0.01) {
        await sql.executeSql(`delete from rate_limits where window_start < now() - interval '1 day'`);
      }
      return {
        allowed: Number(row.hits) <= rule.limit,
        retryAfterSeconds: Math.max(1, Math.ceil((endsAt - Date.now()) / 1000)),
      };
    },

    /**
     * Takes back one hit: for limits that count only failures, an attempt is counted before it runs (so
     * parallel attempts cannot pass the limit together) and given back when it succeeds.
     */
    async refund(key: string): Promise<void> {
      await sql.executeSql(`update rate_limits set hits = greatest(hits - 1, 0) where key = $1`, [key]);
    },
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;

/** «через 15 минут» / «через 1 минуту»: the wait in words for a Russian message. */
export function waitInWords(seconds: number): string {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  const mod10 = minutes % 10;
  const mod100 = minutes % 100;
  const word =
    mod10 === 1 && mod100 !== 11
      ? 'минуту'
      : mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14)
        ? 'минуты'
        : 'минут';
  return `через ${minutes} ${word}`;
}
