import type { Queryable } from '../db/types.ts';
import { ProblemError } from './problem.ts';

const PURGE_EVERY_MS = 60_000;

/**
 * Fixed-window counters in the database (DESIGN.md "Scaling out": replicas must agree on them).
 * One upsert per hit; the row of a window is swept once the window is well past.
 */
export class RateLimiter {
  #lastPurge = 0;
  readonly #db: Queryable;

  constructor(db: Queryable) {
    this.#db = db;
  }

  /** Counts a hit on `bucket`; throws `rate_limited` (429, Retry-After) past `limit`. */
  async hit(bucket: string, limit: number, windowMs: number, now: number): Promise<void> {
    const error = await this.count(this.#db, bucket, limit, windowMs, now);
    if (error) throw error;
  }

  /**
   * Counts a hit inside `tx` and answers the refusal instead of throwing it, so the caller can
   * commit the count together with the request's other writes and refuse afterwards.
   */
  async count(
    tx: Queryable,
    bucket: string,
    limit: number,
    windowMs: number,
    now: number,
  ): Promise<ProblemError | undefined> {
    const windowStart = Math.floor(now / windowMs) * windowMs;
    if (now - this.#lastPurge > PURGE_EVERY_MS) {
      this.#lastPurge = now;
      await tx.run('DELETE FROM rate_limits WHERE window_start < ?', [now - 2 * windowMs]);
    }
    const row = await tx.get<{ hits: number }>(
      `INSERT INTO rate_limits (bucket, window_start, hits) VALUES (?, ?, 1)
       ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limits.hits + 1
       RETURNING hits`,
      [bucket, windowStart],
    );
    if ((row?.hits ?? 0) <= limit) return undefined;
    return rateLimited(windowStart + windowMs, now);
  }
}

/** The refusal of a request over its budget until `windowEnd` (429 with Retry-After). */
export function rateLimited(windowEnd: number, now: number): ProblemError {
  const retryAfter = Math.max(1, Math.ceil((windowEnd - now) / 1000));
  return new ProblemError(
    'rate_limited',
    `Too many requests; retry in ${retryAfter} s`,
    { retryAfter },
    { 'retry-after': String(retryAfter) },
  );
}
