import type { GrantMode } from '../../shared/protocol/device-api.ts';
import { CofferError } from '../../shared/errors.ts';
import type { Queryable } from '../db/types.ts';
import { grantableFolder, managedApp } from './access.ts';
import type { Manager } from './access.ts';

export interface GrantChange {
  mode: GrantMode;
  /** Required for a new grant; for an existing one only when the wrap changes. */
  appKeyVersion?: number | undefined;
  folderKeyVersion?: number | undefined;
  /** The folder key sealed under the app key (AAD `folder-key-grant`); opaque here. */
  wrappedFolderKey?: string | undefined;
}

/**
 * Grants a top-level folder to an application, or changes the grant's mode or wrap. The caller
 * must manage the application and be a member of the folder; the key versions must be the
 * current ones, so a device is never handed a wrap of a retired key.
 */
export async function setGrant(
  tx: Queryable,
  who: Manager,
  appId: string,
  folderId: string,
  change: GrantChange,
  now: number,
): Promise<{ created: boolean }> {
  const app = await managedApp(tx, who, appId);
  const folder = await grantableFolder(tx, who.userId, folderId);
  const existing = await tx.get('SELECT mode FROM app_grants WHERE app_id = ? AND folder_id = ?', [
    appId,
    folderId,
  ]);
  const wrap = [change.appKeyVersion, change.folderKeyVersion, change.wrappedFolderKey];
  const given = wrap.filter((value) => value !== undefined).length;
  if (given !== 0 && given !== 3) {
    throw new CofferError(
      'invalid_input',
      'Send appKeyVersion, folderKeyVersion and wrappedFolderKey together, or none of them',
    );
  }
  if (given === 0) {
    if (!existing) {
      throw new CofferError(
        'invalid_input',
        'A new grant needs appKeyVersion, folderKeyVersion and wrappedFolderKey',
      );
    }
    await tx.run(
      'UPDATE app_grants SET mode = ?, updated_at = ? WHERE app_id = ? AND folder_id = ?',
      [change.mode, now, appId, folderId],
    );
    return { created: false };
  }
  if (change.appKeyVersion !== app.key_version) {
    throw new CofferError('conflict', 'The app key version is not the application’s current one');
  }
  if (change.folderKeyVersion !== folder.key_version) {
    throw new CofferError('conflict', 'The folder key version is not the folder’s current one');
  }
  await tx.run(
    `INSERT INTO app_grants (app_id, folder_id, mode, app_key_version, folder_key_version,
       wrapped_folder_key, created_by, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (app_id, folder_id) DO UPDATE SET
       mode = excluded.mode,
       app_key_version = excluded.app_key_version,
       folder_key_version = excluded.folder_key_version,
       wrapped_folder_key = excluded.wrapped_folder_key,
       updated_at = excluded.updated_at`,
    [
      appId,
      folderId,
      change.mode,
      change.appKeyVersion,
      change.folderKeyVersion,
      change.wrappedFolderKey ?? null,
      who.userId,
      now,
      now,
    ],
  );
  return { created: !existing };
}

/** Removing a grant takes effect on the device's next request (AC-03, enforcement half). */
export async function removeGrant(tx: Queryable, who: Manager, appId: string, folderId: string) {
  await managedApp(tx, who, appId);
  const removed = await tx.run('DELETE FROM app_grants WHERE app_id = ? AND folder_id = ?', [
    appId,
    folderId,
  ]);
  if (removed !== 1) throw new CofferError('not_found', 'Grant not found');
}
