import type { NormalisedSecret } from './base32.ts';
import { STEAM_DIGITS } from './types.ts';
import type { OtpAlgorithm, OtpEntry, OtpWarning } from './types.ts';

/** RFC 4226 §4 R6: shared secrets of at least 128 bits; 160 recommended. */
const STRONG_SECRET_BITS = 128;

export interface EntryFields {
  readonly type: OtpEntry['type'];
  readonly issuer: string;
  readonly account: string;
  readonly secret: NormalisedSecret;
  readonly algorithm: OtpAlgorithm;
  readonly digits: number;
  readonly period: number;
  readonly counter: number;
}

/** Assembles an entry from already-validated fields, dropping what its type does not use. */
export function buildEntry(fields: EntryFields): OtpEntry {
  const common = {
    issuer: fields.issuer,
    account: fields.account,
    secret: fields.secret.canonical,
    algorithm: fields.algorithm,
  };
  switch (fields.type) {
    case 'totp':
      return { type: 'totp', ...common, digits: fields.digits, period: fields.period };
    case 'hotp':
      return { type: 'hotp', ...common, digits: fields.digits, counter: fields.counter };
    case 'steam':
      return { type: 'steam', ...common, digits: STEAM_DIGITS, period: fields.period };
  }
}

/**
 * Short secrets are accepted — services still issue 80-bit ones (yeojz/otplib#850) and refusing
 * them only locks the user out — but flagged so the UI can say so.
 */
export function secretWarnings(secret: NormalisedSecret): OtpWarning[] {
  const bits = secret.bytes.length * 8;
  return bits < STRONG_SECRET_BITS ? [{ kind: 'weak_secret', bits }] : [];
}
