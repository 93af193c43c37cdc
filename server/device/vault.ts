import type {
  DeviceStatusResponse,
  DeviceVaultFolder,
  DeviceVaultGrant,
  DeviceVaultRecord,
  DeviceVaultResponse,
  GrantMode,
} from '../../shared/protocol/device-api.ts';
import { VAULT_QUERY_LIMITS } from '../../shared/protocol/device-api.ts';
import { PROTOCOL_VERSION } from '../../shared/protocol/version.ts';
import type { Queryable, SqlValue } from '../db/types.ts';
import type { AuthenticatedDevice } from './authenticate.ts';

export interface VaultQuery {
  ids?: string[] | undefined;
  folders?: string[] | undefined;
  cursor?: string | undefined;
  limit?: number | undefined;
}

interface GrantRow extends Record<string, unknown> {
  folder_id: string;
  mode: GrantMode;
  folder_key_version: number;
  wrapped_folder_key: string;
}

/** Grants of live top-level folders only: a deleted folder's grant grants nothing. */
async function grantsOf(db: Queryable, appId: string): Promise<GrantRow[]> {
  return db.all<GrantRow>(
    `SELECT g.folder_id, g.mode, g.folder_key_version, g.wrapped_folder_key FROM app_grants g
     JOIN folders f ON f.id = g.folder_id AND f.deleted = 0
     WHERE g.app_id = ? ORDER BY g.folder_id`,
    [appId],
  );
}

export async function deviceStatus(
  db: Queryable,
  device: AuthenticatedDevice,
  now: number,
): Promise<DeviceStatusResponse> {
  const grants = await grantsOf(db, device.appId);
  return {
    protocol: PROTOCOL_VERSION,
    deviceId: device.deviceId,
    deviceName: device.deviceName,
    appId: device.appId,
    appName: device.appName,
    appKeyVersion: device.appKeyVersion,
    accessExpiry: device.accessExpiry,
    ipRule: device.ipRule,
    boundAddress: device.boundAddress,
    serverTime: Math.floor(now / 1000),
    grants: grants.map((g) => ({ folderId: g.folder_id, mode: g.mode })),
  };
}

interface FolderRow extends Record<string, unknown> {
  id: string;
  root_id: string;
  parent_id: string | null;
  name: string;
  revision: number;
  root_key_version: number;
}

interface RecordRow extends Record<string, unknown> {
  id: string;
  folder_id: string;
  revision: number;
  key_version: number;
  schema_version: number;
  ciphertext: string;
}

/** Every folder of `wanted` and beneath it, among the granted folders. */
function subtree(folders: readonly FolderRow[], wanted: readonly string[]): string[] {
  const children = new Map<string, string[]>();
  for (const folder of folders) {
    if (folder.parent_id === null) continue;
    children.set(folder.parent_id, [...(children.get(folder.parent_id) ?? []), folder.id]);
  }
  const known = new Set(folders.map((f) => f.id));
  const found = new Set<string>();
  const queue = wanted.filter((id) => known.has(id));
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    if (found.has(id)) continue;
    found.add(id);
    queue.push(...(children.get(id) ?? []));
  }
  return [...found];
}

/**
 * What the application's grants reach: the grants with their wrapped folder keys, every folder
 * of every granted tree, and one page of records in id order. Only ciphertext and access
 * metadata leave; an id outside the grants is simply absent, exactly like one that does not
 * exist (AC-01).
 */
export async function deviceVault(
  db: Queryable,
  device: AuthenticatedDevice,
  query: VaultQuery,
  now: number,
): Promise<DeviceVaultResponse> {
  const grants = await grantsOf(db, device.appId);
  const folders = await db.all<FolderRow>(
    `SELECT f.id, f.root_id, f.parent_id, f.name, f.revision, rf.key_version AS root_key_version
     FROM folders f
     JOIN app_grants g ON g.folder_id = f.root_id AND g.app_id = ?
     JOIN folders rf ON rf.id = f.root_id AND rf.deleted = 0
     WHERE f.deleted = 0 ORDER BY f.root_id, f.id`,
    [device.appId],
  );
  const limit = query.limit ?? VAULT_QUERY_LIMITS.pageDefault;
  const where: string[] = ['r.deleted = 0'];
  const params: SqlValue[] = [device.appId];
  let empty = false;
  const inList = (column: string, values: readonly string[]) => {
    if (values.length === 0) {
      empty = true;
      return;
    }
    where.push(`${column} IN (${values.map(() => '?').join(', ')})`);
    params.push(...values);
  };
  if (query.ids !== undefined) inList('r.id', query.ids);
  if (query.folders !== undefined) inList('r.folder_id', subtree(folders, query.folders));
  if (query.cursor !== undefined) {
    where.push('r.id > ?');
    params.push(query.cursor);
  }
  const rows = empty
    ? []
    : await db.all<RecordRow>(
        `SELECT r.id, r.folder_id, r.revision, COALESCE(r.key_version, rf.key_version) AS key_version,
           r.schema_version, r.ciphertext
         FROM records r
         JOIN app_grants g ON g.folder_id = r.root_id AND g.app_id = ?
         JOIN folders rf ON rf.id = r.root_id AND rf.deleted = 0
         WHERE ${where.join(' AND ')} ORDER BY r.id LIMIT ?`,
        [...params, limit + 1],
      );
  const page = rows.slice(0, limit);
  return {
    protocol: PROTOCOL_VERSION,
    appId: device.appId,
    appKeyVersion: device.appKeyVersion,
    serverTime: Math.floor(now / 1000),
    grants: grants.map((g): DeviceVaultGrant => ({
      folderId: g.folder_id,
      mode: g.mode,
      folderKeyVersion: g.folder_key_version,
      wrappedFolderKey: g.wrapped_folder_key,
    })),
    folders: folders.map((f): DeviceVaultFolder => ({
      id: f.id,
      rootId: f.root_id,
      parentId: f.parent_id,
      keyVersion: f.root_key_version,
      name: f.name,
      revision: f.revision,
    })),
    records: page.map((r): DeviceVaultRecord => ({
      id: r.id,
      folderId: r.folder_id,
      revision: r.revision,
      keyVersion: r.key_version,
      schemaVersion: r.schema_version,
      ciphertext: r.ciphertext,
    })),
    nextCursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
  };
}
