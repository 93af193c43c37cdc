import {
  fromBase64Url,
  fromUtf8,
  openManySettled,
  type AeadItem,
  type AeadKey,
} from '../crypto/index.ts';
import { CofferError, isCofferError } from '../errors.ts';
import { folderNameAad } from '../protocol/device-api.ts';
import { recordAad, RevisionTracker, unwrapFolderKey, type Vault } from '../keys/index.ts';
import { RECORD_SCHEMA_VERSION, type VaultRecord } from '../records/schema/index.ts';
import { FolderTree } from './folder-tree.ts';
import { decodeRecord } from './record-codec.ts';
import { SearchIndex } from './search-index.ts';
import type { FolderView, MembershipView, RecordView, SyncResponse } from './wire.ts';

/** A decrypted record with the metadata the list and the writes need. */
export interface RecordEntry {
  readonly id: string;
  readonly folderId: string;
  readonly rootId: string;
  readonly revision: number;
  readonly updatedAt: number;
  readonly record: VaultRecord;
}

/** Something the server sent that did not open or did not validate; never shown or written back. */
export interface QuarantinedItem {
  readonly kind: 'folder' | 'record' | 'folder-key';
  readonly id: string;
  readonly code: string;
}

export interface SyncProgress {
  readonly done: number;
  readonly total: number;
}

/** Records decrypted per batch before the caller hears of progress and the page can paint. */
export const DECRYPT_BATCH = 2000;

const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * Everything decrypted from the vault, and how it was reached: the folder tree, the records and
 * their search index, the key version of each top-level folder, the highest revision seen of each
 * item (rollback detection, DESIGN.md "Key hierarchy") and what was quarantined (CR-03).
 * `clear()` drops every decrypted value; the revision memory stays, being no secret.
 */
export class VaultData {
  readonly folders = new FolderTree();
  readonly records = new Map<string, RecordEntry>();
  readonly index = new SearchIndex();
  readonly quarantine = new Map<string, QuarantinedItem>();
  readonly rootKeyVersions = new Map<string, number>();
  readonly recordRevisions = new RevisionTracker();
  readonly folderRevisions = new RevisionTracker();
  cursor = 0;

  clear(): void {
    this.folders.clear();
    this.records.clear();
    this.index.clear();
    this.quarantine.clear();
    this.rootKeyVersions.clear();
    this.cursor = 0;
  }

  rootKey(vault: Vault, rootId: string): { key: AeadKey; version: number } {
    const version = this.rootKeyVersions.get(rootId);
    if (version === undefined) {
      throw new CofferError(
        'not_found',
        'This folder is not in the vault (or its key is missing).',
      );
    }
    return { key: vault.folderKey(rootId, version), version };
  }

  setRecord(entry: RecordEntry): void {
    this.records.set(entry.id, entry);
    this.index.upsert(entry.id, entry.record);
    this.quarantine.delete(entry.id);
  }

  removeRecord(id: string): void {
    this.records.delete(id);
    this.index.remove(id);
  }

  /** Applies one sync page: keys first, then folders (names), then records, in batches. */
  async applyPage(
    vault: Vault,
    page: SyncResponse,
    onProgress?: (progress: SyncProgress) => void,
  ): Promise<void> {
    await this.#openMemberships(vault, page.memberships);
    await this.#applyFolders(vault, page.folders);
    await this.#applyRecords(vault, page.records, onProgress);
    this.cursor = page.cursor;
  }

  async #openMemberships(vault: Vault, memberships: readonly MembershipView[]): Promise<void> {
    for (const membership of memberships) {
      if (this.rootKeyVersions.get(membership.folderId) === membership.keyVersion) continue;
      try {
        await unwrapFolderKey(
          vault,
          membership.folderId,
          membership.keyVersion,
          fromBase64Url(membership.wrappedKey),
        );
        this.rootKeyVersions.set(membership.folderId, membership.keyVersion);
      } catch (error) {
        if (!isCofferError(error)) throw error;
        this.quarantine.set(membership.folderId, {
          kind: 'folder-key',
          id: membership.folderId,
          code: error.code,
        });
      }
    }
  }

  async #applyFolders(vault: Vault, views: readonly FolderView[]): Promise<void> {
    const live: Extract<FolderView, { deleted: false }>[] = [];
    for (const view of views) {
      if (!this.#observe(this.folderRevisions, 'folder', view.id, view.revision)) continue;
      if (view.deleted) this.folders.delete(view.id);
      else live.push(view);
    }
    for (const [rootId, group] of groupBy(live, (view) => view.rootId)) {
      const version = this.rootKeyVersions.get(rootId);
      if (version === undefined) {
        for (const view of group) this.#quarantine('folder', view.id, 'crypto_wrong_key');
        continue;
      }
      const key = vault.folderKey(rootId, version);
      const items: AeadItem[] = group.map((view) => ({
        data: fromBase64Url(view.name),
        aad: folderNameAad(view.id, version),
      }));
      const results = await openManySettled(key, items);
      group.forEach((view, i) => {
        const result = results[i];
        const topLevel = view.parentId === null;
        if (topLevel !== (view.id === rootId)) {
          this.#quarantine('folder', view.id, 'crypto_integrity_failed');
        } else if (result?.ok) {
          this.folders.set({
            id: view.id,
            rootId,
            parentId: view.parentId,
            name: fromUtf8(result.plaintext),
            revision: view.revision,
          });
          this.quarantine.delete(view.id);
        } else {
          this.#quarantine('folder', view.id, result?.error.code ?? 'crypto_integrity_failed');
        }
      });
    }
  }

  async #applyRecords(
    vault: Vault,
    views: readonly RecordView[],
    onProgress?: (progress: SyncProgress) => void,
  ): Promise<void> {
    const live: Extract<RecordView, { deleted: false }>[] = [];
    for (const view of views) {
      if (!this.#observe(this.recordRevisions, 'record', view.id, view.revision)) continue;
      if (view.deleted) this.removeRecord(view.id);
      else live.push(view);
    }
    let done = 0;
    for (let start = 0; start < live.length; start += DECRYPT_BATCH) {
      const batch = live.slice(start, start + DECRYPT_BATCH);
      for (const [rootId, group] of groupBy(
        batch,
        (view) => this.folders.get(view.folderId)?.rootId ?? view.rootId,
      )) {
        await this.#openRecords(vault, rootId, group);
      }
      done += batch.length;
      onProgress?.({ done, total: live.length });
      if (done < live.length) await yieldToEventLoop();
    }
  }

  async #openRecords(
    vault: Vault,
    rootId: string,
    group: readonly Extract<RecordView, { deleted: false }>[],
  ): Promise<void> {
    const version = this.rootKeyVersions.get(rootId);
    if (version === undefined) {
      for (const view of group) this.#quarantine('record', view.id, 'crypto_wrong_key');
      return;
    }
    const key = vault.folderKey(rootId, version);
    const items: AeadItem[] = group.map((view) => ({
      data: fromBase64Url(view.ciphertext),
      aad: recordAad({
        folderId: view.folderId,
        recordId: view.id,
        keyVersion: version,
        revision: view.revision,
        schemaVersion: RECORD_SCHEMA_VERSION,
      }),
    }));
    const results = await openManySettled(key, items);
    group.forEach((view, i) => {
      const result = results[i];
      if (!result?.ok) {
        this.#quarantine('record', view.id, result?.error.code ?? 'crypto_integrity_failed');
        return;
      }
      try {
        const record = decodeRecord(result.plaintext);
        this.setRecord({
          id: view.id,
          folderId: view.folderId,
          rootId,
          revision: view.revision,
          updatedAt: view.updatedAt,
          record,
        });
      } catch (error) {
        if (!isCofferError(error)) throw error;
        this.#quarantine('record', view.id, error.code);
      } finally {
        result.plaintext.fill(0);
      }
    });
  }

  /** Observes a revision; an older one than seen is quarantined and the newer copy kept. */
  #observe(
    tracker: RevisionTracker,
    kind: 'folder' | 'record',
    id: string,
    revision: number,
  ): boolean {
    try {
      tracker.observe(id, revision);
      return true;
    } catch (error) {
      if (!isCofferError(error)) throw error;
      this.quarantine.set(`${kind}:${id}:rollback`, { kind, id, code: error.code });
      return false;
    }
  }

  #quarantine(kind: QuarantinedItem['kind'], id: string, code: string): void {
    this.quarantine.set(id, { kind, id, code });
    if (kind === 'record') this.removeRecord(id);
    if (kind === 'folder') this.folders.delete(id);
  }
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const list = groups.get(key) ?? [];
    list.push(item);
    groups.set(key, list);
  }
  return groups;
}
