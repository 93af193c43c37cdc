import { CofferError } from '../../shared/errors.ts';
import type { Queryable } from '../db/types.ts';
import { APP_COLUMNS, managedApp } from './access.ts';
import type { AppRow, Manager } from './access.ts';

export interface NewApplication {
  id: string;
  name: string;
  keyVersion: number;
  /** The app key sealed under the creator's user key (AAD `app-key`); opaque here. */
  wrappedAppKey: string;
}

export interface ApplicationChange {
  name?: string | undefined;
  disabled?: boolean | undefined;
}

interface GrantRow extends Record<string, unknown> {
  folder_id: string;
  mode: string;
  app_key_version: number;
  folder_key_version: number;
  wrapped_folder_key: string;
}

/** An application as its managers see it: their own wrap of the app key and the grants. */
async function appView(tx: Queryable, who: Manager, app: AppRow) {
  const mine = await tx.get<{ wrapped_app_key: string; key_version: number }>(
    'SELECT wrapped_app_key, key_version FROM app_managers WHERE app_id = ? AND user_id = ?',
    [app.id, who.userId],
  );
  const managers = await tx.all<{ user_id: string }>(
    'SELECT user_id FROM app_managers WHERE app_id = ? ORDER BY user_id',
    [app.id],
  );
  const grants = await tx.all<GrantRow>(
    `SELECT folder_id, mode, app_key_version, folder_key_version, wrapped_folder_key
     FROM app_grants WHERE app_id = ? ORDER BY folder_id`,
    [app.id],
  );
  return {
    id: app.id,
    name: app.name,
    keyVersion: app.key_version,
    disabled: app.disabled === 1,
    createdAt: app.created_at,
    updatedAt: app.updated_at,
    managers: managers.map((m) => m.user_id),
    wrappedAppKey: mine?.wrapped_app_key ?? null,
    wrappedAppKeyVersion: mine?.key_version ?? null,
    grants: grants.map((g) => ({
      folderId: g.folder_id,
      mode: g.mode,
      appKeyVersion: g.app_key_version,
      folderKeyVersion: g.folder_key_version,
      wrappedFolderKey: g.wrapped_folder_key,
    })),
  };
}

/**
 * Creates an application under the id its client drew. An id taken by anyone — this user,
 * another, or a deleted application — answers the same 409, so it tells whoever sends it that
 * the id exists, which the 404s of AC-01 otherwise never do. That is inherent and left as it is:
 * the client must choose the id, because the app key's wrap binds it in its associated data
 * before the server sees anything; a taken id can answer neither 201 nor a 404 that would send a
 * genuine collision (a client bug) looking for a missing application. And the answer is worth
 * nothing to a prober: ids are 128 random bits, so only someone who already holds an id learns
 * it exists — never its name, manager, grants or devices — and the attempt changes nothing.
 * Folders, records and device ids work the same way (docs/security-model.md, "Ids").
 */
export async function createApplication(
  tx: Queryable,
  userId: string,
  app: NewApplication,
  now: number,
) {
  if (await tx.get('SELECT id FROM applications WHERE id = ?', [app.id])) {
    throw new CofferError('conflict', 'This application id is already in use; generate a new one');
  }
  await tx.run(
    `INSERT INTO applications (id, name, key_version, disabled, deleted, created_by, created_at,
       updated_at) VALUES (?, ?, ?, 0, 0, ?, ?, ?)`,
    [app.id, app.name, app.keyVersion, userId, now, now],
  );
  await tx.run(
    `INSERT INTO app_managers (app_id, user_id, wrapped_app_key, key_version, created_at)
     VALUES (?, ?, ?, ?, ?)`,
    [app.id, userId, app.wrappedAppKey, app.keyVersion, now],
  );
  return getApplication(tx, { userId, isAdmin: false }, app.id);
}

export async function getApplication(tx: Queryable, who: Manager, appId: string) {
  return appView(tx, who, await managedApp(tx, who, appId));
}

export async function listApplications(db: Queryable, who: Manager) {
  const apps = who.isAdmin
    ? await db.all<AppRow>(
        `SELECT ${APP_COLUMNS} FROM applications a WHERE a.deleted = 0 ORDER BY a.created_at, a.id`,
      )
    : await db.all<AppRow>(
        `SELECT ${APP_COLUMNS} FROM applications a
         JOIN app_managers m ON m.app_id = a.id AND m.user_id = ?
         WHERE a.deleted = 0 ORDER BY a.created_at, a.id`,
        [who.userId],
      );
  const views = [];
  for (const app of apps) views.push(await appView(db, who, app));
  return { applications: views };
}

/** Renames and/or disables or enables; answers which audit events the change makes. */
export async function updateApplication(
  tx: Queryable,
  who: Manager,
  appId: string,
  change: ApplicationChange,
  now: number,
) {
  const app = await managedApp(tx, who, appId);
  const events: ('app_renamed' | 'app_disabled' | 'app_enabled')[] = [];
  if (change.name !== undefined && change.name !== app.name) events.push('app_renamed');
  if (change.disabled !== undefined && change.disabled !== (app.disabled === 1)) {
    events.push(change.disabled ? 'app_disabled' : 'app_enabled');
  }
  await tx.run('UPDATE applications SET name = ?, disabled = ?, updated_at = ? WHERE id = ?', [
    change.name ?? app.name,
    change.disabled === undefined ? app.disabled : change.disabled ? 1 : 0,
    now,
    appId,
  ]);
  return { app: await getApplication(tx, who, appId), events };
}

/**
 * Deletes an application: its grants go at once and every device of it is revoked, so a device
 * learns `device_revoked` (and wipes its cache) rather than an unknown-device answer. The row
 * stays, marked deleted, so its audit events keep their meaning for its managers.
 */
export async function deleteApplication(tx: Queryable, who: Manager, appId: string, now: number) {
  await managedApp(tx, who, appId);
  await tx.run('DELETE FROM app_grants WHERE app_id = ?', [appId]);
  const revoked = await tx.run(
    `UPDATE devices SET revoked_at = ?, bind_proof_key = NULL, wrapped_app_key = NULL
     WHERE app_id = ? AND revoked_at IS NULL`,
    [now, appId],
  );
  await tx.run('UPDATE applications SET deleted = 1, updated_at = ? WHERE id = ?', [now, appId]);
  return { revokedDevices: revoked };
}

/** Adds or replaces a manager's wrap of the app key (sealed to them by whoever shares it). */
export async function setManager(
  tx: Queryable,
  who: Manager,
  appId: string,
  target: { userId: string; keyVersion: number; wrappedAppKey: string },
  now: number,
) {
  const app = await managedApp(tx, who, appId);
  if (target.keyVersion !== app.key_version) {
    throw new CofferError('conflict', 'The app key version is not the application’s current one');
  }
  if (!(await tx.get('SELECT id FROM users WHERE id = ?', [target.userId]))) {
    throw new CofferError('not_found', 'User not found');
  }
  await tx.run(
    `INSERT INTO app_managers (app_id, user_id, wrapped_app_key, key_version, created_at)
     VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (app_id, user_id) DO UPDATE SET
       wrapped_app_key = excluded.wrapped_app_key, key_version = excluded.key_version`,
    [appId, target.userId, target.wrappedAppKey, target.keyVersion, now],
  );
  return getApplication(tx, who, appId);
}

/** Removes a manager; the last one stays, or nobody could hold the app key any more. */
export async function removeManager(tx: Queryable, who: Manager, appId: string, userId: string) {
  await managedApp(tx, who, appId);
  const managers = await tx.all<{ user_id: string }>(
    'SELECT user_id FROM app_managers WHERE app_id = ?',
    [appId],
  );
  if (!managers.some((m) => m.user_id === userId)) {
    throw new CofferError('not_found', 'This user is not a manager of the application');
  }
  if (managers.length === 1) {
    throw new CofferError('conflict', 'An application keeps at least one manager');
  }
  await tx.run('DELETE FROM app_managers WHERE app_id = ? AND user_id = ?', [appId, userId]);
}
