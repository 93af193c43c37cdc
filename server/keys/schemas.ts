import { z } from 'zod';
import { KEY_BLOB_MAX, blob, revision } from '../http/schemas.ts';

/**
 * Argon2id parameters as stored. The client enforces its own floor and ceiling (and binds these
 * into the wrap's associated data, CR-01); the server refuses only what no client would accept,
 * so a bug cannot store a vault nobody can unlock within reason.
 */
export const kdfSchema = z
  .object({
    algorithm: z.literal('argon2id'),
    memoryKiB: z
      .number()
      .int()
      .min(19 * 1024)
      .max(4 * 1024 * 1024),
    iterations: z.number().int().min(2).max(64),
    parallelism: z.number().int().min(1).max(64),
  })
  .strict();

const keyPair = z.object({ ecdh: blob(KEY_BLOB_MAX), ecdsa: blob(KEY_BLOB_MAX) }).strict();

export const enrolSchema = z
  .object({
    kdf: kdfSchema,
    salt: blob(64),
    wrappedUserKey: blob(KEY_BLOB_MAX),
    publicKeys: keyPair,
    wrappedPrivateKeys: keyPair,
  })
  .strict();

/** A new master password re-wraps the same user key; private keys and public keys stay. */
export const changePasswordSchema = z
  .object({
    revision,
    kdf: kdfSchema,
    salt: blob(64),
    wrappedUserKey: blob(KEY_BLOB_MAX),
  })
  .strict();

export type Enrolment = z.infer<typeof enrolSchema>;
export type PasswordChange = z.infer<typeof changePasswordSchema>;
