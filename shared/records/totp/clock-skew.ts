import { CofferError } from '../../errors.ts';

/**
 * Beyond this difference from the server the user is warned. Verifiers usually accept one step
 * either side (RFC 6238 §5.2 recommends at most one), so with 30 s steps a larger skew makes
 * codes fail intermittently or always (bitwarden/desktop#198).
 */
export const CLOCK_SKEW_LIMIT_SECONDS = 30;

export interface ClockSkewInput {
  /** The server response's `Date` header (RFC 9110 §6.6.1), as received; absent → unknown. */
  readonly serverDate: string | null | undefined;
  /** Local Unix milliseconds when the response arrived. */
  readonly receivedAtMs: number;
  /** Local Unix milliseconds when the request was sent; narrows the estimate on slow links. */
  readonly sentAtMs?: number;
}

export type ClockSkewCheck =
  | { readonly status: 'unknown'; readonly reason: string }
  | {
      readonly status: 'ok' | 'skewed';
      /** Local clock minus server clock, in seconds: positive when this device is ahead. */
      readonly skewSeconds: number;
      /** For the user when skewed, else null. */
      readonly warning: string | null;
    };

/**
 * Compares this device's clock with the server's. Pure: both times are inputs, so it can be
 * re-run after a suspend, a time-zone change or an NTP step without hidden state.
 */
export function checkClockSkew(input: ClockSkewInput): ClockSkewCheck {
  checkLocalTime(input.receivedAtMs);
  if (input.serverDate === null || input.serverDate === undefined || input.serverDate === '') {
    return { status: 'unknown', reason: 'The server sent no Date header' };
  }
  const serverMs = parseHttpDate(input.serverDate, input.receivedAtMs);
  if (serverMs === undefined) {
    return { status: 'unknown', reason: 'The server Date header is not an HTTP date' };
  }
  let localMs = input.receivedAtMs;
  if (input.sentAtMs !== undefined) {
    checkLocalTime(input.sentAtMs);
    // The server stamped its Date somewhere between send and receive; the midpoint is the best
    // single guess and halves the error a slow round trip would otherwise add.
    if (input.sentAtMs <= input.receivedAtMs) localMs = (input.sentAtMs + input.receivedAtMs) / 2;
  }
  // Date has whole seconds: the true server time lies in [Date, Date + 1 s), so take the middle.
  const skewSeconds = Math.round((localMs - (serverMs + 500)) / 100) / 10;
  if (Math.abs(skewSeconds) <= CLOCK_SKEW_LIMIT_SECONDS) {
    return { status: 'ok', skewSeconds, warning: null };
  }
  return { status: 'skewed', skewSeconds, warning: skewWarning(skewSeconds) };
}

function skewWarning(skewSeconds: number): string {
  const direction = skewSeconds > 0 ? 'ahead of' : 'behind';
  return (
    `This device's clock is ${describeDuration(Math.abs(skewSeconds))} ${direction} ` +
    "the server's. " +
    'One-time codes are computed from the current time, so the codes shown here may be ' +
    'rejected. Turn on automatic (network) time in the system settings.'
  );
}

function describeDuration(seconds: number): string {
  const plural = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (seconds < 120) return plural(Math.round(seconds), 'second');
  if (seconds < 2 * 3600) return `about ${plural(Math.round(seconds / 60), 'minute')}`;
  if (seconds < 2 * 86400) return `about ${plural(Math.round(seconds / 3600), 'hour')}`;
  return `about ${plural(Math.round(seconds / 86400), 'day')}`;
}

function checkLocalTime(ms: number): void {
  if (!Number.isFinite(ms) || ms < 0) {
    throw new CofferError('invalid_input', 'Local time must be Unix milliseconds');
  }
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const LONG_DAY = '(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)';
const MONTH = '(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';
const IMF_FIXDATE = new RegExp(`^${DAY}, (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`);
const RFC850 = new RegExp(`^${LONG_DAY}, (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`);
const ASCTIME = new RegExp(`^${DAY} ${MONTH} ([ \\d]\\d) ${TIME} (\\d{4})$`);

/**
 * Parses an HTTP-date in any of the three forms RFC 9110 §5.6.7 obliges recipients to accept,
 * returning Unix milliseconds. Date.parse is not used: what it accepts differs between engines.
 */
export function parseHttpDate(text: string, nowMs: number): number | undefined {
  const value = text.trim();
  let m = IMF_FIXDATE.exec(value);
  if (m !== null) return toUtc(m[3], m[2], m[1], m[4], m[5], m[6]);
  m = ASCTIME.exec(value);
  if (m !== null) return toUtc(m[6], m[1], m[2], m[3], m[4], m[5]);
  m = RFC850.exec(value);
  if (m === null) return undefined;
  // Two-digit year: the most recent year with those digits that is not over 50 years ahead.
  const thisYear = new Date(nowMs).getUTCFullYear();
  let year = Math.floor(thisYear / 100) * 100 + Number(m[3]);
  if (year > thisYear + 50) year -= 100;
  return toUtc(String(year), m[2], m[1], m[4], m[5], m[6]);
}

function toUtc(
  year: string | undefined,
  month: string | undefined,
  day: string | undefined,
  hour: string | undefined,
  minute: string | undefined,
  second: string | undefined,
): number | undefined {
  const y = Number(year);
  const mo = MONTHS.indexOf(month ?? '');
  const d = Number(day?.trim());
  const h = Number(hour);
  const mi = Number(minute);
  const s = Number(second);
  // Second 60 is a leap second (RFC 9110 allows it); Date cannot hold it, so it counts as 59.
  const ms = Date.UTC(y, mo, d, h, mi, Math.min(s, 59));
  const check = new Date(ms);
  // Date.UTC rolls 31 Feb into March; a date that does not read back unchanged is not a date.
  if (check.getUTCMonth() !== mo || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 60) {
    return undefined;
  }
  return ms;
}
