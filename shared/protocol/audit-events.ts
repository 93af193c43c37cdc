/**
 * Every audit event DESIGN.md "Audit" lists: the server records them, the app filters by them.
 * Wire values: add new ones, never rename or reuse one.
 */
export const AUDIT_EVENT_TYPES = [
  'sign_in',
  'sign_in_refused',
  'sign_out',
  'account_keys_enrolled',
  'master_password_changed',
  'folder_created',
  'folder_updated',
  'folder_deleted',
  'record_created',
  'record_updated',
  'record_deleted',
  'app_created',
  'app_renamed',
  'app_disabled',
  'app_enabled',
  'app_deleted',
  'app_manager_set',
  'app_manager_removed',
  'grant_set',
  'grant_removed',
  'device_token_issued',
  'device_revoked',
  'device_redeemed',
  'device_redemption_failed',
  'device_fetch',
  'device_record_created',
  'device_record_updated',
  'device_request_refused',
] as const;

export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];
