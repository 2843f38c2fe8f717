import type { SqlExecutor } from '../db/client.js';
import { plural } from '../views/format.js';

export interface RateLimitRule {
  /** Attempts allowed within one window. */
  limit: number;
  windowSeconds: number;
}

/** A progressive slow-down: see `throttle` below. */
export interface ThrottleRule {
  /** Attempts without a success allowed before any wait. */
  free: number;
  /** The longest wait between two attempts, however many failed. */
  maxDelaySeconds: number;
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

    /**
     * One attempt under a progressive slow-down (ADR 0013): after `free` attempts without a success, each next
     * attempt must come at least 1, 2, 4 … seconds (up to `maxDelaySeconds`) after the previous one. Attempts are
     * counted before they are checked, so parallel requests cannot slip through; `succeeded` forgets them, and so
     * does a day without attempts. One conditional UPDATE: concurrent attempts on a key queue on its row.
     */
    async throttle(key: string, rule: ThrottleRule): Promise<RateLimitResult> {
      await sql.executeSql(
        `insert into rate_limits (key, window_start, hits) values ($1, now(), 0) on conflict (key) do nothing`,
        [key],
      );
      const { rows } = await sql.executeSql(
        `update rate_limits set
           hits = case when window_start < now() - interval '1 day' then 1 else hits + 1 end,
           window_start = now()
         where key = $1 and (hits < $2 or window_start < now() - interval '1 day'
           or window_start + make_interval(secs => least($3::float8, power(2, hits - $2))) <= now())
         returning hits`,
        [key, rule.free, rule.maxDelaySeconds],
      );
      if (rows.length > 0) return { allowed: true, retryAfterSeconds: 0 };
      const waited = await sql.executeSql(
        `select extract(epoch from window_start + make_interval(secs => least($2::float8, power(2, hits - $3))) - now())
           as seconds from rate_limits where key = $1`,
        [key, rule.maxDelaySeconds, rule.free],
      );
      return {
        allowed: false,
        retryAfterSeconds: Math.max(1, Math.ceil(Number(waited.rows[0]?.seconds ?? 1))),
      };
    },

    /**
     * The counters under these keys and key prefixes (`signin:pair:a@b.ru:` for every address), for the support
     * desk to tell whether an account is held back; the caller knows which rule each key counts under.
     */
    async counters(
      keys: readonly string[],
      prefixes: readonly string[] = [],
    ): Promise<{ key: string; windowStart: Date; hits: number }[]> {
      const { rows } = await sql.executeSql(
        `select key, window_start, hits from rate_limits
          where key = any($1::text[]) or exists (select 1 from unnest($2::text[]) p where starts_with(key, p))
          order by key limit 100`,
        [[...keys], [...prefixes]],
      );
      return rows.map((row) => ({
        key: String(row.key),
        windowStart: new Date(row.window_start as string),
        hits: Number(row.hits),
      }));
    },

    /** Forgets these counters at once (the support desk lifting a lock); returns how many there were. */
    async forget(keys: readonly string[]): Promise<number> {
      if (keys.length === 0) return 0;
      const { rows } = await sql.executeSql(
        `delete from rate_limits where key = any($1::text[]) returning key`,
        [[...keys]],
      );
      return rows.length;
    },

    /** Forgets the attempts counted under `key` (a throttled sign-in that succeeded). */
    async succeeded(key: string): Promise<void> {
      await sql.executeSql(`delete from rate_limits where key = $1`, [key]);
    },
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;

/** «через 3 часа» / «через 15 минут» / «через 1 минуту» / «через 8 секунд»: the wait in words for a Russian message. */
export function waitInWords(seconds: number): string {
  if (seconds < 60) return `через ${seconds} ${plural(seconds, ['секунду', 'секунды', 'секунд'])}`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes <= 60) return `через ${minutes} ${plural(minutes, ['минуту', 'минуты', 'минут'])}`;
  const hours = Math.ceil(seconds / 3600);
  return `через ${hours} ${plural(hours, ['час', 'часа', 'часов'])}`;
}
