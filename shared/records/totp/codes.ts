import { HOTP, Secret } from 'otpauth';
import { CofferError } from '../../errors.ts';
import { normaliseBase32Secret } from './base32.ts';
import { validateOtpEntry } from './entry-schema.ts';
import { checkCounter } from './params.ts';
import { STEAM_ALPHABET, STEAM_DIGITS } from './types.ts';
import type { HotpEntry, OtpEntry } from './types.ts';

/** The largest time a JavaScript Date can hold (ECMA-262 §21.4.1.1), in milliseconds. */
const MAX_TIME_MS = 8.64e15;

export interface OtpCode {
  /** What the user types: digits for TOTP/HOTP, five letters and digits for Steam. */
  readonly code: string;
  /** The moving factor used: time steps since the epoch, or the HOTP counter. */
  readonly counter: number;
  /** Whole seconds until the code changes (1…period, rounded up); null for HOTP. */
  readonly secondsLeft: number | null;
  /** Exact time until the code changes, for a smooth countdown; null for HOTP. */
  readonly msLeft: number | null;
}

/**
 * The code an entry shows at `nowMs` (Unix milliseconds). Time is a parameter, never read here,
 * so the UI recomputes from its own clock after a jump, a resume or an NTP step (TT-01) and no
 * code is ever derived from a stale cached time. HOTP codes do not depend on time: they use the
 * stored counter, which `advanceHotp` moves on once the code has been used.
 */
export function otpCodeAt(stored: OtpEntry, nowMs: number): OtpCode {
  // Entries reach here from decrypted records and IPC: a malformed one must not yield a code.
  const entry = validateOtpEntry(stored);
  const secret = secretOf(entry);
  if (entry.type === 'hotp') {
    const counter = entry.counter;
    return { code: hotp(entry, secret, counter), counter, secondsLeft: null, msLeft: null };
  }
  checkTime(nowMs);
  // RFC 6238 §4.2: T = floor((now - T0) / X), T0 = 0; kept in integer milliseconds.
  const stepMs = entry.period * 1000;
  const counter = Math.floor(nowMs / stepMs);
  const msLeft = stepMs - (nowMs - counter * stepMs);
  const code =
    entry.type === 'steam' ? steam(entry, secret, counter) : hotp(entry, secret, counter);
  return { code, counter, secondsLeft: Math.ceil(msLeft / 1000), msLeft };
}

/** The same HOTP entry with its counter moved to the next code (RFC 4226 §7.2: no reuse). */
export function advanceHotp(stored: HotpEntry): HotpEntry {
  const entry = validateOtpEntry(stored);
  if (entry.type !== 'hotp') {
    throw new CofferError('invalid_input', 'Only counter-based (HOTP) entries have a counter');
  }
  return { ...entry, counter: checkCounter(entry.counter + 1) };
}

function secretOf(entry: OtpEntry): Secret {
  const { bytes } = normaliseBase32Secret(entry.secret);
  return new Secret({ buffer: bytes.slice().buffer });
}

function hotp(entry: OtpEntry, secret: Secret, counter: number): string {
  return HOTP.generate({ secret, algorithm: entry.algorithm, digits: entry.digits, counter });
}

/**
 * Steam Guard: the RFC 4226 dynamic truncation (a 31-bit number), written in base 26 with
 * Steam's alphabet, least significant character first. Asking the HOTP generator for 10 digits
 * returns that number whole, since 2^31 < 10^10, so the HMAC stays in one library.
 */
function steam(entry: OtpEntry, secret: Secret, counter: number): string {
  let value = Number(HOTP.generate({ secret, algorithm: entry.algorithm, digits: 10, counter }));
  let code = '';
  for (let i = 0; i < STEAM_DIGITS; i += 1) {
    code += STEAM_ALPHABET.charAt(value % STEAM_ALPHABET.length);
    value = Math.floor(value / STEAM_ALPHABET.length);
  }
  return code;
}

function checkTime(nowMs: number): void {
  if (!Number.isFinite(nowMs) || nowMs < 0 || nowMs > MAX_TIME_MS) {
    throw new CofferError(
      'invalid_input',
      'The time for a one-time code must be Unix milliseconds between 1970 and 275760',
    );
  }
}
