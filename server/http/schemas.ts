import { z } from 'zod';

/**
 * Ids are chosen by the client (the associated data of every blob binds them, so they must exist
 * before encryption) and must be random: 128 bits or more, base64url. Never sequential (AC-01).
 */
export const id = z
  .string()
  .regex(/^[A-Za-z0-9_-]{22,64}$/, { message: 'must be 22–64 base64url characters' });

/** Opaque ciphertext or key bytes in base64url, bounded so one request cannot exhaust storage. */
export function blob(maxBytes: number): z.ZodString {
  const maxChars = Math.ceil((maxBytes * 4) / 3);
  return z
    .string()
    .min(1, { message: 'must not be empty' })
    .max(maxChars, { message: `must encode at most ${maxBytes} bytes` })
    .regex(/^[A-Za-z0-9_-]+$/, { message: 'must be base64url without padding' });
}

/** A revision counter as clients propose it (current + 1). */
export const revision = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

/** A revision carried in a query string (DELETE takes no body). */
export const revisionParam = z
  .string()
  .regex(/^[1-9]\d{0,15}$/, { message: 'must be a positive integer' })
  .transform(Number);

export const KEY_BLOB_MAX = 4 * 1024;
export const NAME_BLOB_MAX = 4 * 1024;
export const RECORD_BLOB_MAX = 6 * 1024 * 1024;
