import { CofferError } from '../../shared/errors.ts';
import type { Queryable } from '../db/types.ts';

export interface Manager {
  userId: string;
  isAdmin: boolean;
}

export interface AppRow extends Record<string, unknown> {
  id: string;
  name: string;
  key_version: number;
  disabled: number;
  created_at: number;
  updated_at: number;
}

export const APP_COLUMNS = 'a.id, a.name, a.key_version, a.disabled, a.created_at, a.updated_at';

/** Missing and not-yours answer alike, word for word, so application ids cannot be probed. */
export const appNotFound = () => new CofferError('not_found', 'Application not found');

/**
 * The application if the caller may manage it: admins manage every application, anyone else
 * those they are a manager of. Deleted applications are gone for everyone.
 */
export async function managedApp(tx: Queryable, who: Manager, appId: string): Promise<AppRow> {
  const row = who.isAdmin
    ? await tx.get<AppRow>(
        `SELECT ${APP_COLUMNS} FROM applications a WHERE a.id = ? AND a.deleted = 0`,
        [appId],
      )
    : await tx.get<AppRow>(
        `SELECT ${APP_COLUMNS} FROM applications a
         JOIN app_managers m ON m.app_id = a.id AND m.user_id = ?
         WHERE a.id = ? AND a.deleted = 0`,
        [who.userId, appId],
      );
  if (!row) throw appNotFound();
  return row;
}

/**
 * A top-level folder the caller is a member of: only folders a manager can reach may be
 * granted (the manager must hold the folder key to wrap it for the app anyway).
 */
export async function grantableFolder(
  tx: Queryable,
  userId: string,
  folderId: string,
): Promise<{ id: string; key_version: number }> {
  const row = await tx.get<{ id: string; root_id: string; key_version: number | null }>(
    `SELECT f.id, f.root_id, f.key_version FROM folders f
     JOIN folder_members m ON m.folder_id = f.root_id AND m.user_id = ?
     WHERE f.id = ? AND f.deleted = 0`,
    [userId, folderId],
  );
  if (!row) throw new CofferError('not_found', 'Folder not found');
  if (row.root_id !== row.id || row.key_version === null) {
    throw new CofferError(
      'invalid_input',
      'Only top-level folders can be granted; a grant covers the folders beneath it',
    );
  }
  return { id: row.id, key_version: row.key_version };
}
