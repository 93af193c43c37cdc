import type { HttpResponse } from './transport.ts';

/**
 * Retries on 429 and 503 only: both say the server did not do the work, so repeating is safe
 * even for writes. `Retry-After` (RFC 9110 §10.2.3: seconds or an HTTP date) is honoured up to
 * `maxDelayMs`; without it the delay doubles from `baseDelayMs`, half of it random, so a fleet of
 * CI runners does not retry in lock-step.
 */
export interface RetryOptions {
  /** Attempts in all, the first included. */
  readonly attempts?: number;
  readonly baseDelayMs?: number;
  /** A longer `Retry-After` is not waited for: the error says when to try again instead. */
  readonly maxDelayMs?: number;
}

export const DEFAULT_RETRY = { attempts: 4, baseDelayMs: 250, maxDelayMs: 30_000 } as const;

export function isRetryable(status: number): boolean {
  return status === 429 || status === 503;
}

function headerValue(response: HttpResponse, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Milliseconds the server asked to wait, or undefined when it did not say (or said nonsense). */
export function retryAfterMs(response: HttpResponse, nowMs: number): number | undefined {
  const text = headerValue(response, 'retry-after')?.trim();
  if (text === undefined || text === '') return undefined;
  if (/^\d{1,9}$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/** Delay before attempt `attempt + 1` (attempt counts from 1), or undefined: stop retrying. */
export function nextDelayMs(
  response: HttpResponse,
  attempt: number,
  options: RetryOptions = {},
  nowMs: number = Date.now(),
  random: () => number = Math.random,
): number | undefined {
  const attempts = options.attempts ?? DEFAULT_RETRY.attempts;
  const base = options.baseDelayMs ?? DEFAULT_RETRY.baseDelayMs;
  const max = options.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs;
  if (!isRetryable(response.status) || attempt >= attempts) return undefined;
  const asked = retryAfterMs(response, nowMs);
  if (asked !== undefined) return asked <= max ? asked : undefined;
  const ceiling = Math.min(max, base * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
