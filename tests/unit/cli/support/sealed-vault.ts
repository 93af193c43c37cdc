import {
  generateAeadKeyBytes,
  importAeadKey,
  randomId,
  seal,
  toBase64Url,
  utf8,
  type AeadKey,
} from '../../../../shared/crypto/index.ts';
import { encryptRecord } from '../../../../shared/keys/records.ts';
import { folderGrantAad } from '../../../../shared/keys/bindings.ts';
import { folderNameAad, type GrantMode } from '../../../../shared/protocol/device-api.ts';
import type { VaultSnapshot } from '../../../../cli/sdk/vault-view.ts';

export interface FolderSpec {
  /** Label the test refers to it by. */
  readonly label: string;
  readonly name: string;
  /** Label of the parent; none for a top-level (granted) folder. */
  readonly parent?: string;
  readonly mode?: GrantMode;
}

export interface RecordSpec {
  readonly label: string;
  readonly folder: string;
  readonly content: Record<string, unknown>;
  readonly revision?: number;
}

/**
 * A vault snapshot sealed exactly as the app seals one (folder keys granted under a random app
 * key, names and records under the folder keys), for tests of the device's local decryption.
 */
export async function sealedVault(folders: readonly FolderSpec[], records: readonly RecordSpec[]) {
  const appId = randomId();
  const rawAppKey = generateAeadKeyBytes();
  const appKey: AeadKey = await importAeadKey(rawAppKey);
  const ids = new Map<string, string>();
  const roots = new Map<string, { key: AeadKey; rootId: string }>();
  const snapshot: {
    appId: string;
    appKeyVersion: number;
    grants: VaultSnapshot['grants'][number][];
    folders: VaultSnapshot['folders'][number][];
    records: VaultSnapshot['records'][number][];
  } = { appId, appKeyVersion: 1, grants: [], folders: [], records: [] };
  for (const folder of folders) ids.set(folder.label, randomId());
  const rootOf = (label: string): string => {
    const spec = folders.find((folder) => folder.label === label);
    if (spec === undefined) throw new Error(`no folder ${label}`);
    return spec.parent === undefined ? label : rootOf(spec.parent);
  };
  for (const folder of folders) {
    const id = ids.get(folder.label) as string;
    if (folder.parent === undefined) {
      const raw = generateAeadKeyBytes();
      const key = await importAeadKey(raw);
      const grant = { appId, appKeyVersion: 1, folderId: id, folderKeyVersion: 1 };
      snapshot.grants.push({
        folderId: id,
        mode: folder.mode ?? 'read-only',
        folderKeyVersion: 1,
        wrappedFolderKey: toBase64Url(await seal(appKey, raw, folderGrantAad(grant))),
      });
      roots.set(folder.label, { key, rootId: id });
    }
    const root = roots.get(rootOf(folder.label));
    if (root === undefined) throw new Error('parents must come first');
    snapshot.folders.push({
      id,
      rootId: root.rootId,
      parentId: folder.parent === undefined ? null : (ids.get(folder.parent) as string),
      keyVersion: 1,
      name: toBase64Url(await seal(root.key, utf8(folder.name), folderNameAad(id, 1))),
      revision: 1,
    });
  }
  for (const record of records) {
    const id = randomId();
    ids.set(record.label, id);
    const folderId = ids.get(record.folder) as string;
    const root = roots.get(rootOf(record.folder));
    if (root === undefined) throw new Error('no root');
    const revision = record.revision ?? 1;
    const binding = { folderId, recordId: id, keyVersion: 1, revision, schemaVersion: 1 };
    const content = utf8(JSON.stringify({ schemaVersion: 1, ...record.content }));
    snapshot.records.push({
      id,
      folderId,
      revision,
      keyVersion: 1,
      schemaVersion: 1,
      ciphertext: toBase64Url(await encryptRecord(root.key, binding, content)),
    });
  }
  return {
    appKey,
    rawAppKey,
    snapshot: snapshot as VaultSnapshot,
    id: (label: string) => ids.get(label) as string,
  };
}
