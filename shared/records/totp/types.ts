/** The hashes a one-time-code entry may use: the three the Key URI Format names. */
export const OTP_ALGORITHMS = ['SHA1', 'SHA256', 'SHA512'] as const;
export type OtpAlgorithm = (typeof OTP_ALGORITHMS)[number];

/** RFC 4226 §5.3 allows 6 or more digits; authenticators in use stop at 8. */
export const MIN_DIGITS = 6;
export const MAX_DIGITS = 8;

/** Steam Guard codes are always five characters from this alphabet (no vowels, no 0/1/A/E…). */
export const STEAM_DIGITS = 5;
export const STEAM_ALPHABET = '23456789BCDFGHJKMNPQRTVWXY';

export const DEFAULT_PERIOD = 30;
/** A year: longer periods are no longer "time-based" in any useful sense, and bound the maths. */
export const MAX_PERIOD = 366 * 24 * 60 * 60;

interface OtpEntryCommon {
  /** Service name shown to the user; empty when the input named none. */
  readonly issuer: string;
  /** Account at that service (user name, e-mail); empty when the input named none. */
  readonly account: string;
  /** Canonical base32: upper case, no padding, no separators. */
  readonly secret: string;
  readonly algorithm: OtpAlgorithm;
}

export interface TotpEntry extends OtpEntryCommon {
  readonly type: 'totp';
  readonly digits: number;
  /** Time step in seconds (RFC 6238 §4.1 X). */
  readonly period: number;
}

export interface HotpEntry extends OtpEntryCommon {
  readonly type: 'hotp';
  readonly digits: number;
  /** The counter value of the next code to show (RFC 4226 §5.2 C). */
  readonly counter: number;
}

export interface SteamEntry extends OtpEntryCommon {
  readonly type: 'steam';
  readonly digits: typeof STEAM_DIGITS;
  readonly period: number;
}

/** One validated, canonical one-time-code entry as a record stores it. */
export type OtpEntry = TotpEntry | HotpEntry | SteamEntry;

/**
 * Something worth telling the user about an accepted entry. Warnings never block an entry: real
 * services issue short secrets and inconsistent labels, and their codes still work.
 */
export type OtpWarning =
  | {
      readonly kind: 'weak_secret';
      /** Secret length in bits; RFC 4226 §4 R6 asks for at least 128. */
      readonly bits: number;
    }
  | {
      readonly kind: 'issuer_mismatch';
      /** The issuer prefix of the label, kept as extra information; the parameter won. */
      readonly labelIssuer: string;
    }
  | { readonly kind: 'hotp_counter_missing' };

export interface ParsedOtp {
  readonly entry: OtpEntry;
  readonly warnings: readonly OtpWarning[];
}
