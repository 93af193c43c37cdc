import { fromBase64Url, fromUtf8, open, type AeadKey } from '../../shared/crypto/index.ts';
import { CofferError } from '../../shared/errors.ts';
import { openFolderGrant } from '../../shared/keys/grants.ts';
import { decryptRecord } from '../../shared/keys/records.ts';
import type { RevisionTracker } from '../../shared/keys/rollback.ts';
import {
  folderNameAad,
  type DeviceVaultFolder,
  type DeviceVaultGrant,
  type DeviceVaultRecord,
  type GrantMode,
} from '../../shared/protocol/device-api.ts';
import { parseRecord, type VaultRecord } from '../../shared/records/schema/index.ts';

/** The vault as the server sent it (pages merged): ciphertext and access metadata only. */
export interface VaultSnapshot {
  readonly appId: string;
  readonly appKeyVersion: number;
  readonly grants: readonly DeviceVaultGrant[];
  readonly folders: readonly DeviceVaultFolder[];
  readonly records: readonly DeviceVaultRecord[];
}

export interface FolderInfo {
  readonly id: string;
  readonly rootId: string;
  readonly parentId: string | null;
  readonly name: string;
  /** Names from the top-level folder down to this one. */
  readonly path: readonly string[];
  readonly mode: GrantMode;
}

/** A decrypted record with where it lives. */
export interface VaultItem {
  readonly id: string;
  readonly folderId: string;
  readonly rootId: string;
  readonly folderPath: readonly string[];
  readonly revision: number;
  readonly keyVersion: number;
  readonly schemaVersion: number;
  readonly editable: boolean;
  readonly record: VaultRecord;
}

const decoder = (bytes: Uint8Array) => fromUtf8(bytes);

/**
 * Opens a snapshot with the app key: the grants give the folder keys, the folder keys give the
 * folder names (decrypted at once: paths need them) and the records (decrypted on demand, each
 * checked against the highest revision seen before — a rollback is refused, not shown).
 */
export class VaultView {
  readonly #snapshot: VaultSnapshot;
  readonly #folderKeys = new Map<string, { key: AeadKey; version: number; mode: GrantMode }>();
  readonly #folders = new Map<string, FolderInfo>();
  readonly #records = new Map<string, DeviceVaultRecord>();
  readonly #opened = new Map<string, VaultItem>();
  readonly #tracker: RevisionTracker;

  private constructor(snapshot: VaultSnapshot, tracker: RevisionTracker) {
    this.#snapshot = snapshot;
    this.#tracker = tracker;
    for (const record of snapshot.records) this.#records.set(record.id, record);
  }

  static async open(
    appKey: AeadKey,
    snapshot: VaultSnapshot,
    tracker: RevisionTracker,
  ): Promise<VaultView> {
    const view = new VaultView(snapshot, tracker);
    await view.#openGrants(appKey);
    await view.#openFolders();
    return view;
  }

  async #openGrants(appKey: AeadKey): Promise<void> {
    for (const grant of this.#snapshot.grants) {
      const key = await openFolderGrant(
        appKey,
        {
          appId: this.#snapshot.appId,
          appKeyVersion: this.#snapshot.appKeyVersion,
          folderId: grant.folderId,
          folderKeyVersion: grant.folderKeyVersion,
        },
        fromBase64Url(grant.wrappedFolderKey),
      );
      this.#folderKeys.set(grant.folderId, {
        key,
        version: grant.folderKeyVersion,
        mode: grant.mode,
      });
    }
  }

  #rootKey(rootId: string, keyVersion: number, what: string) {
    const entry = this.#folderKeys.get(rootId);
    if (entry === undefined) {
      throw new CofferError(
        'response_invalid',
        `The server sent ${what} in a folder that is not granted to this application.`,
      );
    }
    if (entry.version !== keyVersion) {
      throw new CofferError(
        'crypto_wrong_key',
        `${what} is sealed under folder key version ${keyVersion}, but this device holds ` +
          `version ${entry.version}; run the command again, and if it persists ask a manager ` +
          'to re-grant the folder.',
      );
    }
    return entry;
  }

  async #openFolders(): Promise<void> {
    const raw = new Map(this.#snapshot.folders.map((folder) => [folder.id, folder]));
    const names = new Map<string, string>();
    await Promise.all(
      this.#snapshot.folders.map(async (folder) => {
        const { key } = this.#rootKey(folder.rootId, folder.keyVersion, 'A folder name');
        const plain = await open(
          key,
          fromBase64Url(folder.name),
          folderNameAad(folder.id, folder.keyVersion),
        );
        names.set(folder.id, decoder(plain));
      }),
    );
    const pathOf = (id: string, depth: number): string[] => {
      const folder = raw.get(id);
      if (folder === undefined || depth > 256) {
        throw new CofferError('response_invalid', 'The server sent a broken folder tree.');
      }
      const name = names.get(id) ?? '';
      if (folder.parentId === null) {
        if (folder.rootId !== folder.id) {
          throw new CofferError('response_invalid', 'The server sent a broken folder tree.');
        }
        return [name];
      }
      const parent = raw.get(folder.parentId);
      if (parent === undefined || parent.rootId !== folder.rootId) {
        throw new CofferError('response_invalid', 'The server sent a broken folder tree.');
      }
      return [...pathOf(folder.parentId, depth + 1), name];
    };
    for (const folder of this.#snapshot.folders) {
      const entry = this.#folderKeys.get(folder.rootId);
      this.#folders.set(folder.id, {
        id: folder.id,
        rootId: folder.rootId,
        parentId: folder.parentId,
        name: names.get(folder.id) ?? '',
        path: pathOf(folder.id, 0),
        mode: entry?.mode ?? 'read-only',
      });
    }
  }

  get appId(): string {
    return this.#snapshot.appId;
  }

  folders(): FolderInfo[] {
    return [...this.#folders.values()];
  }

  folder(id: string): FolderInfo | undefined {
    return this.#folders.get(id);
  }

  grantMode(rootId: string): GrantMode | undefined {
    return this.#folderKeys.get(rootId)?.mode;
  }

  folderKey(rootId: string): { key: AeadKey; version: number } | undefined {
    return this.#folderKeys.get(rootId);
  }

  /** Record ids, optionally only those directly in one of `folderIds`. */
  recordIds(folderIds?: ReadonlySet<string>): string[] {
    const ids: string[] = [];
    for (const record of this.#records.values()) {
      if (folderIds === undefined || folderIds.has(record.folderId)) ids.push(record.id);
    }
    return ids;
  }

  hasRecord(id: string): boolean {
    return this.#records.has(id);
  }

  /** The decrypted record, or undefined when the snapshot does not hold it. */
  async item(id: string): Promise<VaultItem | undefined> {
    const done = this.#opened.get(id);
    if (done !== undefined) return done;
    const raw = this.#records.get(id);
    if (raw === undefined) return undefined;
    const folder = this.#folders.get(raw.folderId);
    if (folder === undefined) {
      throw new CofferError('response_invalid', 'The server sent a record outside its folders.');
    }
    const { key, mode } = this.#rootKey(folder.rootId, raw.keyVersion, 'A record');
    const plain = await decryptRecord(
      key,
      {
        folderId: raw.folderId,
        recordId: raw.id,
        keyVersion: raw.keyVersion,
        revision: raw.revision,
        schemaVersion: raw.schemaVersion,
      },
      fromBase64Url(raw.ciphertext),
    );
    let record: VaultRecord;
    try {
      record = parseRecord(JSON.parse(decoder(plain)));
    } catch (error) {
      throw new CofferError(
        'record_invalid',
        `Record ${raw.id} decrypted but its content is not a valid record; update Coffer or ` +
          'fix the record in the app.',
        { cause: error },
      );
    } finally {
      plain.fill(0);
    }
    if (record.schemaVersion !== raw.schemaVersion) {
      throw new CofferError('record_invalid', `Record ${raw.id} has inconsistent schema versions.`);
    }
    // Only an authenticated revision may raise the high-water mark (shared/keys/rollback.ts).
    this.#tracker.observe(raw.id, raw.revision);
    const item: VaultItem = {
      id: raw.id,
      folderId: raw.folderId,
      rootId: folder.rootId,
      folderPath: folder.path,
      revision: raw.revision,
      keyVersion: raw.keyVersion,
      schemaVersion: raw.schemaVersion,
      editable: mode === 'editable',
      record,
    };
    this.#opened.set(id, item);
    return item;
  }

  /** Every record decrypted, in snapshot order. */
  async items(ids: readonly string[] = this.recordIds()): Promise<VaultItem[]> {
    const out = await Promise.all(ids.map((id) => this.item(id)));
    return out.filter((item): item is VaultItem => item !== undefined);
  }
}
