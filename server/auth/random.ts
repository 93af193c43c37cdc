import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits as base64url: session tokens and login nonces. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Server-made ids follow the one id format of shared/protocol (22 base64url characters, 128
 * random bits, never a leading '-' that a command line would read as an option).
 */
export { randomId } from '../../shared/crypto/random.ts';

/**
 * Bearer secrets are stored only as their SHA-256: a leaked database row cannot be replayed, and
 * lookup by hash is an index probe, so no secret comparison happens in application code.
 */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}
