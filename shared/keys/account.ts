import {
  deriveArgon2id,
  fromBase64Url,
  generateAeadKeyBytes,
  generateEcdhKeyPair,
  generateSigningKeyPair,
  importAeadKey,
  open,
  randomBytes,
  seal,
  toBase64Url,
  type AeadKey,
} from '../crypto/index.ts';
import { CofferError, isCofferError } from '../errors.ts';
import { accountKeysSchema, type AccountKeys } from '../protocol/bodies.ts';
import { assertCofferId } from '../protocol/ids.ts';
import { parseBody } from '../protocol/parse-body.ts';
import { PROTOCOL_VERSION } from '../protocol/version.ts';
import { userKeyAad, userPrivateKeyAad, type PrivateKeyPurpose } from './bindings.ts';
import {
  checkKdfParams,
  checkKdfSalt,
  DEFAULT_KDF_PARAMS,
  KDF_OUTPUT_BYTES,
  KDF_SALT_BYTES,
  type KdfParams,
} from './kdf-params.ts';
import { prepareMasterPassword } from './master-password.ts';
import { deriveSettingsKey, isVaultSettingsKey } from './settings-mac.ts';
import { Vault, type KeyPairBytes } from './vault.ts';

/**
 * Account keys (DESIGN.md "Identity and unlock", "Key hierarchy"): a random 256-bit user key
 * wrapped by an Argon2id KEK of the master password, and ECDH and ECDSA P-256 key pairs whose
 * private halves are wrapped by the user key. The server stores the result (`AccountKeys`) and
 * never sees the master password or anything derived from it.
 */

export interface NewAccount {
  /** What the server stores. */
  readonly keys: AccountKeys;
  /** The unlocked session for the new account. */
  readonly vault: Vault;
}

async function deriveKek(password: string, salt: Uint8Array, kdf: KdfParams): Promise<AeadKey> {
  const passwordBytes = prepareMasterPassword(password);
  try {
    const kek = await deriveArgon2id(passwordBytes, salt, {
      memoryKiB: kdf.memoryKiB,
      passes: kdf.passes,
      lanes: kdf.lanes,
      length: KDF_OUTPUT_BYTES,
    });
    try {
      return await importAeadKey(kek);
    } finally {
      kek.fill(0);
    }
  } finally {
    passwordBytes.fill(0);
  }
}

async function wrapUserKey(
  accountId: string,
  userKeyBytes: Uint8Array,
  password: string,
  kdf: KdfParams,
): Promise<{ kdf: AccountKeys['kdf']; wrappedUserKey: string }> {
  const salt = randomBytes(KDF_SALT_BYTES);
  const kek = await deriveKek(password, salt, kdf);
  const wrapped = await seal(kek, userKeyBytes, userKeyAad(accountId, kdf, salt));
  return { kdf: { ...kdf, salt: toBase64Url(salt) }, wrappedUserKey: toBase64Url(wrapped) };
}

async function wrapKeyPair(
  userKey: AeadKey,
  accountId: string,
  purpose: PrivateKeyPurpose,
  pair: KeyPairBytes,
): Promise<{ publicKey: string; wrappedPrivateKey: string }> {
  const aad = userPrivateKeyAad(accountId, purpose, pair.publicKey);
  const wrapped = await seal(userKey, pair.privateKey, aad);
  return { publicKey: toBase64Url(pair.publicKey), wrappedPrivateKey: toBase64Url(wrapped) };
}

/** Creates a new account's keys. `kdf` defaults to DESIGN.md's parameters and is range-checked. */
export async function createAccount(options: {
  accountId: string;
  masterPassword: string;
  kdf?: KdfParams;
}): Promise<NewAccount> {
  assertCofferId(options.accountId, 'Account id');
  const kdf = checkKdfParams(options.kdf ?? DEFAULT_KDF_PARAMS);
  const userKeyBytes = generateAeadKeyBytes();
  try {
    const { kdf: kdfRecord, wrappedUserKey } = await wrapUserKey(
      options.accountId,
      userKeyBytes,
      options.masterPassword,
      kdf,
    );
    const userKey = await importAeadKey(userKeyBytes);
    const settingsKey = await deriveSettingsKey(userKeyBytes);
    const [encryption, signing] = await Promise.all([
      generateEcdhKeyPair(),
      generateSigningKeyPair(),
    ]);
    const keys: AccountKeys = {
      protocol: PROTOCOL_VERSION,
      accountId: options.accountId,
      kdf: kdfRecord,
      wrappedUserKey,
      encryption: await wrapKeyPair(userKey, options.accountId, 'ecdh', encryption),
      signing: await wrapKeyPair(userKey, options.accountId, 'ecdsa', signing),
    };
    const vault = new Vault(options.accountId, { userKey, encryption, signing, settingsKey });
    return { keys, vault };
  } finally {
    userKeyBytes.fill(0);
  }
}

/**
 * Validates server-supplied account keys: the KDF parameters first (so a downgrade is named as
 * such, even when it arrives in an unexpected shape), then the whole body.
 */
function parseAccountKeys(input: unknown): { keys: AccountKeys; kdf: KdfParams; salt: Uint8Array } {
  const kdfInput =
    input !== null && typeof input === 'object'
      ? (input as Record<string, unknown>)['kdf']
      : undefined;
  const kdf = checkKdfParams(kdfInput);
  const keys = parseBody(accountKeysSchema, input, 'Account keys');
  const salt = fromBase64Url(keys.kdf.salt);
  checkKdfSalt(salt);
  return { keys, kdf, salt };
}

/** Opens the user key; a failed authentication means a wrong password or altered key data. */
async function unwrapUserKeyBytes(
  keys: AccountKeys,
  kdf: KdfParams,
  salt: Uint8Array,
  password: string,
): Promise<Uint8Array> {
  const kek = await deriveKek(password, salt, kdf);
  let userKeyBytes: Uint8Array;
  try {
    userKeyBytes = await open(
      kek,
      fromBase64Url(keys.wrappedUserKey),
      userKeyAad(keys.accountId, kdf, salt),
    );
  } catch (error) {
    if (isCofferError(error, 'crypto_integrity_failed')) {
      throw new CofferError(
        'wrong_master_password',
        'Wrong master password (or the account key data from the server was altered).',
        { cause: error },
      );
    }
    throw error;
  }
  if (userKeyBytes.length !== 32) {
    userKeyBytes.fill(0);
    throw new CofferError('crypto_integrity_failed', 'The unwrapped user key has the wrong size.');
  }
  return userKeyBytes;
}

async function unwrapKeyPair(
  userKey: AeadKey,
  accountId: string,
  purpose: PrivateKeyPurpose,
  stored: { publicKey: string; wrappedPrivateKey: string },
): Promise<KeyPairBytes> {
  const publicKey = fromBase64Url(stored.publicKey);
  const aad = userPrivateKeyAad(accountId, purpose, publicKey);
  const privateKey = await open(userKey, fromBase64Url(stored.wrappedPrivateKey), aad);
  return { publicKey, privateKey };
}

/**
 * Unlocks an account from the keys the server returned. Refuses weak, costly or missing KDF
 * parameters before deriving anything; a wrong password gives `wrong_master_password`.
 */
export async function unlockAccount(accountKeys: unknown, masterPassword: string): Promise<Vault> {
  const { keys, kdf, salt } = parseAccountKeys(accountKeys);
  const userKeyBytes = await unwrapUserKeyBytes(keys, kdf, salt, masterPassword);
  let userKey: AeadKey;
  let settingsKey: Uint8Array;
  try {
    userKey = await importAeadKey(userKeyBytes);
    settingsKey = await deriveSettingsKey(userKeyBytes);
  } finally {
    userKeyBytes.fill(0);
  }
  try {
    const encryption = await unwrapKeyPair(userKey, keys.accountId, 'ecdh', keys.encryption);
    try {
      const signing = await unwrapKeyPair(userKey, keys.accountId, 'ecdsa', keys.signing);
      return new Vault(keys.accountId, { userKey, encryption, signing, settingsKey });
    } catch (error) {
      // Leave no unwrapped private key behind when the second unwrap fails.
      encryption.privateKey.fill(0);
      throw error;
    }
  } catch (error) {
    settingsKey.fill(0);
    throw error;
  }
}

/**
 * Re-authentication for dangerous actions while unlocked (SECURITY-CASES LS-05): the master
 * password goes through the very path unlock uses (same checks, same Argon2id, same unwrap), but
 * the session's keys stay as they are and nothing unwrapped is kept. The unwrapped user key must
 * also be the session's own (compared through its derived settings key, since the session holds
 * the user key as a non-extractable WebCrypto key): account keys swapped by a hostile server to
 * ones whose password the attacker knows are refused like a wrong password.
 */
export async function confirmMasterPassword(
  vault: Vault,
  accountKeys: unknown,
  masterPassword: string,
): Promise<void> {
  const { keys, kdf, salt } = parseAccountKeys(accountKeys);
  if (keys.accountId !== vault.accountId) {
    throw new CofferError('invalid_input', 'These account keys belong to another account.');
  }
  const userKeyBytes = await unwrapUserKeyBytes(keys, kdf, salt, masterPassword);
  let candidate: Uint8Array | undefined;
  try {
    candidate = await deriveSettingsKey(userKeyBytes);
    if (!isVaultSettingsKey(vault, candidate)) {
      throw new CofferError(
        'wrong_master_password',
        'Wrong master password (or the account key data from the server was altered).',
      );
    }
  } finally {
    userKeyBytes.fill(0);
    candidate?.fill(0);
  }
}

/**
 * Re-wraps the same user key under a new master password with a fresh salt. Asks for the current
 * password (re-authentication, SECURITY-CASES LS-05). `kdf` defaults to the current parameters.
 * The key pairs' wraps are unchanged: they depend on the user key only.
 */
export async function changeMasterPassword(options: {
  accountKeys: unknown;
  currentPassword: string;
  newPassword: string;
  kdf?: KdfParams;
}): Promise<AccountKeys> {
  const { keys, kdf, salt } = parseAccountKeys(options.accountKeys);
  const newKdf = checkKdfParams(options.kdf ?? kdf);
  // Refuse an unusable new password before the expensive unwrap.
  prepareMasterPassword(options.newPassword).fill(0);
  const userKeyBytes = await unwrapUserKeyBytes(keys, kdf, salt, options.currentPassword);
  try {
    const rewrapped = await wrapUserKey(keys.accountId, userKeyBytes, options.newPassword, newKdf);
    return { ...keys, ...rewrapped };
  } finally {
    userKeyBytes.fill(0);
  }
}
