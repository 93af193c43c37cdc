/**
 * One-time codes for the `one-time code` record type: reading what users paste or scan
 * (otpauth:// URIs, bare secrets, Steam Guard, Google Authenticator exports) into one canonical
 * entry shape, computing codes at a given time, and warning when the clock is off (TT-01).
 */
export type {
  HotpEntry,
  OtpAlgorithm,
  OtpEntry,
  OtpWarning,
  ParsedOtp,
  SteamEntry,
  TotpEntry,
} from './types.ts';
export { OTP_ALGORITHMS, STEAM_ALPHABET } from './types.ts';
export { parseOtp } from './parse-otp.ts';
export type { ParseOtpOptions } from './parse-otp.ts';
export { readOtpInput } from './read-input.ts';
export type { OtpImport } from './read-input.ts';
export type { MigrationBatch, SkippedAccount } from './migration.ts';
export { normaliseBase32Secret } from './base32.ts';
export { validateOtpEntry } from './entry-schema.ts';
export { formatOtpUri } from './format-uri.ts';
export { advanceHotp, otpCodeAt } from './codes.ts';
export type { OtpCode } from './codes.ts';
export { CLOCK_SKEW_LIMIT_SECONDS, checkClockSkew } from './clock-skew.ts';
export type { ClockSkewCheck, ClockSkewInput } from './clock-skew.ts';
