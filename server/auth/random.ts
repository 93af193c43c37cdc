import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits as base64url: session tokens and login nonces. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** 128 random bits as base64url (22 characters): server-made ids, never sequential. */
export function randomId(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * Bearer secrets are stored only as their SHA-256: a leaked database row cannot be replayed, and
 * lookup by hash is an index probe, so no secret comparison happens in application code.
 */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}
