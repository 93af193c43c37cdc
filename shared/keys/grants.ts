import { seal, type AeadKey } from '../crypto/index.ts';
import { folderGrantAad, folderKeyAad, type FolderGrantBinding } from './bindings.ts';
import { openKey, openRawKey } from './versioned-keys.ts';
import type { Vault } from './vault.ts';

/**
 * Granting a folder to an application: the folder key sealed under the app key, bound to the
 * app id, folder id and both key versions. Only holders of the app key (its managers and its
 * bound devices) can open it; the server stores and forwards it.
 */
export async function grantFolderToApp(
  vault: Vault,
  grant: FolderGrantBinding & { readonly wrappedFolderKey: Uint8Array },
): Promise<Uint8Array> {
  const appKey = vault.appKey(grant.appId, grant.appKeyVersion);
  const aad = folderGrantAad(grant);
  const folderKey = await openRawKey(
    vault.userKey,
    grant.wrappedFolderKey,
    folderKeyAad(grant.folderId, grant.folderKeyVersion),
  );
  try {
    return await seal(appKey, folderKey, aad);
  } finally {
    folderKey.fill(0);
  }
}

/** Device side: opens a granted folder key with the app key. */
export async function openFolderGrant(
  appKey: AeadKey,
  grant: FolderGrantBinding,
  sealed: Uint8Array,
): Promise<AeadKey> {
  return openKey(appKey, sealed, folderGrantAad(grant));
}
