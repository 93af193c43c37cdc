import type { ErrorCode } from '../shared/protocol/error-codes.ts';

/**
 * The one table of `coffer` exit codes (documented in cli/README.md). Scripts branch on these,
 * so each kind of refusal a pipeline reacts to differently has its own number, and a number is
 * never reused for another meaning. `coffer exec` exits with the child's code once the child runs.
 */
export const EXIT = {
  ok: 0,
  /** A bug or an error nobody anticipated; the message says what failed. */
  unexpected: 1,
  /** Wrong arguments, a malformed reference or token, a bad configuration. */
  usage: 2,
  /** The record, field, folder or profile does not exist or is not granted. */
  notFound: 3,
  /** Changed by someone else (stale revision), or the name is already taken. */
  conflict: 4,
  /** The server refused to authenticate the device (signature, clock, replay). */
  unauthenticated: 5,
  revoked: 6,
  expired: 7,
  ipNotAllowed: 8,
  applicationDisabled: 9,
  readOnly: 10,
  /** The token was already used, expired, or never existed. */
  redemptionFailed: 11,
  /** The server cannot be reached and no usable offline cache exists. */
  network: 12,
  /** The offline cache is past its maximum age, or damaged. */
  cache: 13,
  /** TLS failure, or an answer that is not what a Coffer server sends. */
  badServer: 14,
  rateLimited: 15,
  /** Decryption failed or the server served an older revision: possible tampering. */
  integrity: 16,
} as const;

const BY_CODE: Partial<Record<ErrorCode, number>> = {
  cli_usage: EXIT.usage,
  invalid_input: EXIT.usage,
  reference_malformed: EXIT.usage,
  token_malformed: EXIT.usage,
  token_checksum_mismatch: EXIT.usage,
  config_invalid: EXIT.usage,
  record_invalid: EXIT.usage,
  otp_invalid_secret: EXIT.usage,
  otp_invalid_parameter: EXIT.usage,
  not_found: EXIT.notFound,
  profile_not_found: EXIT.notFound,
  reference_ambiguous: EXIT.notFound,
  conflict: EXIT.conflict,
  revision_conflict: EXIT.conflict,
  profile_exists: EXIT.conflict,
  unauthenticated: EXIT.unauthenticated,
  bad_signature: EXIT.unauthenticated,
  stale_timestamp: EXIT.unauthenticated,
  request_replayed: EXIT.unauthenticated,
  forbidden: EXIT.unauthenticated,
  device_revoked: EXIT.revoked,
  device_expired: EXIT.expired,
  ip_not_allowed: EXIT.ipNotAllowed,
  application_disabled: EXIT.applicationDisabled,
  read_only_grant: EXIT.readOnly,
  redemption_failed: EXIT.redemptionFailed,
  server_unreachable: EXIT.network,
  server_unavailable: EXIT.network,
  cache_expired: EXIT.cache,
  cache_invalid: EXIT.cache,
  tls_failed: EXIT.badServer,
  response_invalid: EXIT.badServer,
  internal_error: EXIT.badServer,
  protocol_version_unsupported: EXIT.badServer,
  payload_too_large: EXIT.badServer,
  rate_limited: EXIT.rateLimited,
  crypto_integrity_failed: EXIT.integrity,
  crypto_wrong_key: EXIT.integrity,
  crypto_truncated: EXIT.integrity,
  crypto_unsupported_version: EXIT.integrity,
  record_rollback: EXIT.integrity,
};

export function exitCodeFor(code: ErrorCode): number {
  return BY_CODE[code] ?? EXIT.unexpected;
}
