import { sha256, toBase64Url, utf8 } from '../crypto/index.ts';
import type { AccountKeys } from '../protocol/bodies.ts';
import { PROTOCOL_VERSION } from '../protocol/version.ts';
import type { ServerAccountKeys } from './wire.ts';

/**
 * The server stores account keys in its own shape (server/keys: `iterations`, `parallelism`,
 * key pairs by algorithm) and without an account id; shared/keys works on shared/protocol's
 * `AccountKeys`. These two functions are the only translation between them.
 */

/**
 * The account id bound into the user-key and private-key wraps, derived from the server's user
 * id. Server user ids are 22 base64url characters that may begin with '-', which Coffer ids
 * never do; hashing with the top bit cleared (as device ids are made, shared/protocol README)
 * gives a valid id for every user, the same on every device.
 */
export async function accountIdFor(userId: string): Promise<string> {
  const digest = await sha256(utf8(`coffer/account-id/v1/${userId}`));
  const bytes = digest.slice(0, 16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return toBase64Url(bytes);
}

export function fromServerKeys(accountId: string, stored: ServerAccountKeys): unknown {
  // Returned as unknown: shared/keys validates it (KDF floor first) before any derivation.
  return {
    protocol: PROTOCOL_VERSION,
    accountId,
    kdf: {
      algorithm: stored.kdf.algorithm,
      memoryKiB: stored.kdf.memoryKiB,
      passes: stored.kdf.iterations,
      lanes: stored.kdf.parallelism,
      salt: stored.salt,
    },
    wrappedUserKey: stored.wrappedUserKey,
    encryption: {
      publicKey: stored.publicKeys.ecdh,
      wrappedPrivateKey: stored.wrappedPrivateKeys.ecdh,
    },
    signing: {
      publicKey: stored.publicKeys.ecdsa,
      wrappedPrivateKey: stored.wrappedPrivateKeys.ecdsa,
    },
  };
}

/** The enrolment body of `POST /api/v1/account/keys`. */
export function toEnrolment(keys: AccountKeys) {
  return {
    kdf: {
      algorithm: keys.kdf.algorithm,
      memoryKiB: keys.kdf.memoryKiB,
      iterations: keys.kdf.passes,
      parallelism: keys.kdf.lanes,
    },
    salt: keys.kdf.salt,
    wrappedUserKey: keys.wrappedUserKey,
    publicKeys: { ecdh: keys.encryption.publicKey, ecdsa: keys.signing.publicKey },
    wrappedPrivateKeys: {
      ecdh: keys.encryption.wrappedPrivateKey,
      ecdsa: keys.signing.wrappedPrivateKey,
    },
  };
}

/**
 * The body of `PUT /api/v1/account/keys/password`: the new KDF parameters, salt and user-key wrap,
 * proposed as `revision` (the one read plus one) so the server swaps them only if nobody changed
 * the password meanwhile. The key pairs' wraps depend on the user key alone and are not sent.
 */
export function toPasswordChange(keys: AccountKeys, revision: number) {
  const { kdf, salt, wrappedUserKey } = toEnrolment(keys);
  return { revision, kdf, salt, wrappedUserKey };
}
