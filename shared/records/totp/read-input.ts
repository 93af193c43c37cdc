import { parseMigrationUri } from './migration.ts';
import type { MigrationBatch, SkippedAccount } from './migration.ts';
import { parseOtp, prepareInput } from './parse-otp.ts';
import type { ParseOtpOptions } from './parse-otp.ts';
import type { ParsedOtp } from './types.ts';

export interface OtpImport {
  readonly accounts: readonly ParsedOtp[];
  /** Accounts of a Google Authenticator export that could not be read; the rest still were. */
  readonly skipped: readonly SkippedAccount[];
  /** Set for Google Authenticator exports: which QR code of how many this was. */
  readonly batch: MigrationBatch | null;
}

/**
 * Reads whatever a user can paste or scan into the one-time-code field: an `otpauth://` URI, a
 * `steam://` link, a bare base32 secret (one account each), or a Google Authenticator
 * `otpauth-migration://` export (any number of accounts).
 */
export function readOtpInput(input: string, options: ParseOtpOptions = {}): OtpImport {
  const text = prepareInput(input);
  if (/^otpauth-migration:/i.test(text)) {
    const { accounts, skipped, batch } = parseMigrationUri(text);
    return { accounts, skipped, batch };
  }
  return { accounts: [parseOtp(text, options)], skipped: [], batch: null };
}
