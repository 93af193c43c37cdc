import { CofferError } from '../../errors.ts';
import { DEFAULT_PERIOD, MAX_DIGITS, MAX_PERIOD, MIN_DIGITS, OTP_ALGORITHMS } from './types.ts';
import type { OtpAlgorithm } from './types.ts';

/** Hash names that exist but that no authenticator agrees on; named back so the user can tell. */
const KNOWN_UNSUPPORTED = ['MD5', 'SHA224', 'SHA384', 'SHA3224', 'SHA3256', 'SHA3384', 'SHA3512'];

/**
 * Reads an `algorithm` value. Exporters write `SHA1`, `sha256`, `SHA-512` or `HmacSHA1`; all name
 * the same three hashes (Key URI Format), so case, hyphens and an `HMAC` prefix are ignored.
 */
export function parseAlgorithm(raw: string | undefined): OtpAlgorithm {
  if (raw === undefined || raw.trim() === '') return 'SHA1';
  const folded = raw
    .trim()
    .toUpperCase()
    .replace(/^HMAC[-_]?/, '')
    .replace(/[-_]/g, '');
  const known = OTP_ALGORITHMS.find((name) => name === folded);
  if (known !== undefined) return known;
  const named = KNOWN_UNSUPPORTED.includes(folded) ? ` '${raw.trim()}'` : '';
  throw new CofferError(
    'unsupported_algorithm',
    `Unsupported algorithm${named}: one-time codes use SHA1, SHA256 or SHA512`,
  );
}

/** Reads `digits` for TOTP and HOTP; Steam ignores the parameter (its codes are 5 characters). */
export function parseDigits(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '') return MIN_DIGITS;
  return checkDigits(parseWholeNumber(raw, 'digits'));
}

export function checkDigits(value: number): number {
  if (!Number.isInteger(value) || value < MIN_DIGITS || value > MAX_DIGITS) {
    throw new CofferError(
      'otp_invalid_parameter',
      `digits out of range${shown(value)}: codes have ${MIN_DIGITS} to ${MAX_DIGITS} digits`,
    );
  }
  return value;
}

export function parsePeriod(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '') return DEFAULT_PERIOD;
  return checkPeriod(parseWholeNumber(raw, 'period'));
}

export function checkPeriod(value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new CofferError(
      'otp_invalid_parameter',
      `period is not a positive integer${shown(value)}: it is the code lifetime in whole seconds`,
    );
  }
  if (value > MAX_PERIOD) {
    throw new CofferError(
      'otp_invalid_parameter',
      `period is too long: at most ${MAX_PERIOD} seconds (one year)`,
    );
  }
  return value;
}

export function parseCounter(raw: string): number {
  return checkCounter(parseWholeNumber(raw, 'counter'));
}

export function checkCounter(value: number): number {
  // RFC 4226 §5.2 makes C an 8-byte counter; JavaScript numbers are exact up to 2^53 - 1.
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new CofferError(
      'otp_invalid_parameter',
      `counter must be a whole number from 0 to ${Number.MAX_SAFE_INTEGER}`,
    );
  }
  return value;
}

function parseWholeNumber(raw: string, name: string): number {
  const text = raw.trim();
  if (!/^\d{1,16}$/.test(text)) {
    throw new CofferError(
      'otp_invalid_parameter',
      name === 'period'
        ? 'period is not a positive integer: it is the code lifetime in whole seconds'
        : `${name} is not a whole number`,
    );
  }
  return Number.parseInt(text, 10);
}

/** Echoes a rejected number only when short: parameters are not secrets, but stay terse. */
function shown(value: number): string {
  return Number.isFinite(value) && String(value).length <= 8 ? ` (${value})` : '';
}
