/**
 * Every error code Coffer reports, in one enumeration shared by the server, the app and the CLI.
 * Clients branch on these codes, never on message text. Codes are stable wire values: add new
 * ones, never rename or reuse one.
 */
export const ERROR_CODES = [
  // Input validation (any boundary).
  'invalid_input',
  // Vault cryptography.
  'crypto_unsupported_version',
  'crypto_integrity_failed',
  'crypto_truncated',
  'crypto_wrong_key',
  'crypto_rng_failure',
  'crypto_key_usage_exhausted',
  // Vault cryptography (shared/crypto): no Argon2id backend installed, or it failed to run.
  'crypto_kdf_unavailable',
  'kdf_parameters_too_weak',
  'kdf_parameters_too_costly',
  'master_password_empty',
  'master_password_too_long',
  'wrong_master_password',
  'record_rollback',
  'vault_locked',
  // Certificates (shared/records/cert); the passphrase codes serve every encrypted key import.
  'wrong_passphrase',
  'passphrase_required',
  'unsupported_algorithm',
  'pem_block_damaged',
  'cert_malformed',
  'key_malformed',
  'cert_not_found',
  // SSH keys (shared/records/ssh); wrong/required passphrase and unsupported_algorithm reused.
  'ssh_format_unrecognised',
  'ssh_key_damaged',
  'ssh_certificate_mismatch',
  // One-time codes (shared/records/totp); unsupported_algorithm reused for OTP hashes.
  'otp_invalid_secret',
  'otp_invalid_parameter',
  'otp_invalid_migration',
  // Server and device protocol (shared/protocol, shared/keys): problem-details codes.
  'unauthenticated',
  'forbidden',
  'not_found',
  'conflict',
  'revision_conflict',
  'rate_limited',
  'payload_too_large',
  'device_revoked',
  'device_expired',
  'ip_not_allowed',
  'application_disabled',
  'read_only_grant',
  'request_replayed',
  'bad_signature',
  'stale_timestamp',
  'redemption_failed',
  'token_malformed',
  'token_checksum_mismatch',
  'protocol_version_unsupported',
  'public_key_mismatch',
  'server_unavailable',
  'internal_error',
  // Server (server/): configuration, sign-in refusals (OA-04 wants one reason code each), keys.
  'config_invalid',
  'id_token_malformed',
  'id_token_unknown_issuer',
  'id_token_algorithm_refused',
  'id_token_bad_signature',
  'id_token_issuer_mismatch',
  'id_token_audience_mismatch',
  'id_token_expired',
  'id_token_issued_in_future',
  'id_token_nonce_invalid',
  'identity_provider_unavailable',
  'email_not_verified',
  'sign_in_not_allowed',
  'account_keys_exist',
  'folder_move_invalid',
  // Electron shell: IPC, external links, loopback sign-in, settings (issue #4).
  'ipc_sender_refused',
  'ipc_unknown_channel',
  'external_link_refused',
  'signin_state_mismatch',
  'signin_provider_error',
  'signin_timeout',
  'signin_cancelled',
  'signin_listener_failed',
  'settings_unavailable',
  // Records, generator and coffer:// references (issue #2, items 7 and 8).
  'record_invalid',
  'generator_options_invalid',
  'reference_malformed',
  // Device CLI and SDK (cli/, issue #5).
  'cli_usage',
  'profile_not_found',
  'profile_exists',
  'server_unreachable',
  'tls_failed',
  'response_invalid',
  'cache_expired',
  'cache_invalid',
  'reference_ambiguous',
  // Renderer decryption in Web Workers (issue #4, renderer performance).
  'decrypt_worker_failed',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

const known = new Set<string>(ERROR_CODES);

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && known.has(value);
}
