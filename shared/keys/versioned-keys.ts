import { generateAeadKeyBytes, importAeadKey, open, seal, type AeadKey } from '../crypto/index.ts';
import { CofferError } from '../errors.ts';
import { appKeyAad, folderKeyAad } from './bindings.ts';
import type { Vault } from './vault.ts';

/**
 * Versioned folder and app keys, wrapped under the user key. A new version is a new random key
 * (rotation); the version is bound into the wrap's associated data so an old wrap cannot be
 * served as the current one.
 */
export interface NewKey {
  readonly key: AeadKey;
  /** Sealed blob the server stores for this user. */
  readonly wrapped: Uint8Array;
}

async function createWrapped(vault: Vault, aad: Uint8Array): Promise<NewKey> {
  const raw = generateAeadKeyBytes();
  try {
    const wrapped = await seal(vault.userKey, raw, aad);
    return { key: await importAeadKey(raw), wrapped };
  } finally {
    raw.fill(0);
  }
}

/** Opens a key sealed under `wrappingKey` and checks its size; the caller zeroes the result. */
export async function openRawKey(
  wrappingKey: AeadKey,
  wrapped: Uint8Array,
  aad: Uint8Array,
): Promise<Uint8Array> {
  const raw = await open(wrappingKey, wrapped, aad);
  if (raw.length !== 32) {
    raw.fill(0);
    throw new CofferError('crypto_integrity_failed', 'An unwrapped key has the wrong size.');
  }
  return raw;
}

/** Opens a wrapped key and imports it, zeroing the raw bytes. */
export async function openKey(
  wrappingKey: AeadKey,
  wrapped: Uint8Array,
  aad: Uint8Array,
): Promise<AeadKey> {
  const raw = await openRawKey(wrappingKey, wrapped, aad);
  try {
    return await importAeadKey(raw);
  } finally {
    raw.fill(0);
  }
}

export async function createFolderKey(
  vault: Vault,
  folderId: string,
  version: number,
): Promise<NewKey> {
  const created = await createWrapped(vault, folderKeyAad(folderId, version));
  vault.rememberFolderKey(folderId, version, created.key);
  return created;
}

export async function unwrapFolderKey(
  vault: Vault,
  folderId: string,
  version: number,
  wrapped: Uint8Array,
): Promise<AeadKey> {
  const key = await openKey(vault.userKey, wrapped, folderKeyAad(folderId, version));
  vault.rememberFolderKey(folderId, version, key);
  return key;
}

export async function createAppKey(vault: Vault, appId: string, version: number): Promise<NewKey> {
  const created = await createWrapped(vault, appKeyAad(appId, version));
  vault.rememberAppKey(appId, version, created.key);
  return created;
}

export async function unwrapAppKey(
  vault: Vault,
  appId: string,
  version: number,
  wrapped: Uint8Array,
): Promise<AeadKey> {
  const key = await openKey(vault.userKey, wrapped, appKeyAad(appId, version));
  vault.rememberAppKey(appId, version, key);
  return key;
}
