import { fromBase64Url, importAeadKey, type AeadKey } from '../crypto/index.ts';
import { CofferError, isCofferError } from '../errors.ts';
import { folderKeyAad, openRawKey, RevisionTracker, type Vault } from '../keys/index.ts';
import { byRoot, openFolderNames } from './folder-names.ts';
import { FolderTree } from './folder-tree.ts';
import {
  folderKeyId,
  InThreadRecordDecryptor,
  summaryAt,
  type OpenedBatch,
  type PageFrom,
  type RecordDecryptor,
} from './record-decryptor.ts';
import type { PageRecords } from './page-records.ts';
import { cutIntoBatches, type PageBatch, type RecordBatches } from './record-batches.ts';
import type { LoadedPage, RecordBatch } from './sync-pages.ts';
import { OpenedRecordEntry, type PlaintextBuffer, type RecordEntry } from './record-entry.ts';
import { SearchIndex } from './search-index.ts';
import type { FolderView, MembershipView, SyncResponse } from './wire.ts';

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

/** Makes the decryptor for one unlocked session; it is disposed (workers ended) at clear(). */
export type RecordDecryptorFactory = () => RecordDecryptor;

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
  readonly #createDecryptor: RecordDecryptorFactory;
  #decryptor: RecordDecryptor | null = null;
  /** Folder keys (`root#version`) the current decryptor holds. */
  readonly #decryptorKeys = new Set<string>();
  /** The plaintext buffers opened batches left with their entries; zeroed by clear(). */
  #plaintexts: PlaintextBuffer[] = [];
  /** Bumped by clear(): work that started before a lock must not write into the new state. */
  #epoch = 0;
  /** The last page's keys-and-folders step, which the next page's waits for. */
  #pageSteps: Promise<void> = Promise.resolve();

  constructor(createDecryptor: RecordDecryptorFactory = () => new InThreadRecordDecryptor()) {
    this.#createDecryptor = createDecryptor;
  }

  clear(): void {
    this.#epoch += 1;
    this.#decryptor?.dispose();
    this.#decryptor = null;
    this.#decryptorKeys.clear();
    for (const buffer of this.#plaintexts) buffer.bytes.fill(0);
    this.#plaintexts = [];
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

  /**
   * Starts the decryptor (a worker pool takes a moment to boot) before there is a key to give
   * it, so VaultClient.unlock can overlap that with the KDF.
   */
  prepareDecryptor(): void {
    this.#decryptor ??= this.#createDecryptor();
  }

  setRecord(entry: RecordEntry): void {
    this.#wipe(entry.id);
    this.records.set(entry.id, entry);
    this.index.upsert(entry.id, entry.record);
    this.quarantine.delete(entry.id);
  }

  removeRecord(id: string): void {
    this.#wipe(id);
    this.records.delete(id);
    this.index.remove(id);
  }

  /** Zeroes the still-undecoded plaintext of the entry `id` is about to stop being. */
  #wipe(id: string): void {
    const current = this.records.get(id);
    if (current instanceof OpenedRecordEntry) current.wipe();
  }

  /** Loads a sync page into the decryptor; a worker pool fetches and parses it in a worker. */
  loadPage(from: PageFrom): Promise<LoadedPage> {
    this.prepareDecryptor();
    return this.#decryptor!.loadPage(from);
  }

  /** Forgets a loaded page that will not be applied after all. */
  releasePage(page: LoadedPage): void {
    this.#decryptor?.releasePage(page.id);
  }

  /** Sync pages worth applying at once (VaultClient.sync): one per decrypt worker. */
  get pagesAtOnce(): number {
    return this.#decryptor?.pagesAtOnce ?? 1;
  }

  /** Applies one whole sync page and moves the cursor past it. */
  async applyPage(
    vault: Vault,
    page: SyncResponse,
    onProgress?: (progress: SyncProgress) => void,
  ): Promise<void> {
    await this.applyLoadedPage(vault, await this.loadPage({ page }), onProgress);
    this.cursor = page.cursor;
  }

  /**
   * Applies a loaded page — keys first, then folders (names), then records, in batches — and
   * releases it. The cursor is the caller's to move: VaultClient.sync applies pages several at
   * once and moves it past a page only when every page before it is in too.
   */
  async applyLoadedPage(
    vault: Vault,
    page: LoadedPage,
    onProgress?: (progress: SyncProgress) => void,
  ): Promise<void> {
    const decryptor = this.#decryptor;
    try {
      // Keys, folders and revisions go page by page, in order, even when the records of several
      // pages are opened at once: a later page's records need the keys an earlier page brings.
      const batches = await this.#inPageOrder(async () => {
        await this.#openMemberships(vault, page.memberships);
        await this.#applyFolders(vault, page.folders);
        return this.#recordBatches(page);
      });
      await this.#openRecords(vault, batches, onProgress);
    } finally {
      // A lock meanwhile disposed that decryptor, pages and all; a new one never saw this page.
      if (decryptor === this.#decryptor) decryptor?.releasePage(page.id);
    }
  }

  /** Runs `step` once every step queued before it has settled. */
  #inPageOrder<T>(step: () => Promise<T>): Promise<T> {
    const run = this.#pageSteps.then(step);
    this.#pageSteps = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /**
   * Unwraps a top-level folder's key under the user key, keeps it in the vault for writes and
   * hands its bytes to the decryptor (a worker pool holds its own copy), then zeroes them.
   */
  async openFolderKey(
    vault: Vault,
    rootId: string,
    keyVersion: number,
    wrapped: Uint8Array,
  ): Promise<void> {
    const epoch = this.#epoch;
    const raw = await openRawKey(vault.userKey, wrapped, folderKeyAad(rootId, keyVersion));
    try {
      vault.rememberFolderKey(rootId, keyVersion, await importAeadKey(raw));
      if (epoch !== this.#epoch) throw lockedDuringWork();
      this.#decryptor ??= this.#createDecryptor();
      await this.#decryptor.addFolderKey(rootId, keyVersion, raw);
      this.#decryptorKeys.add(folderKeyId(rootId, keyVersion));
      this.rootKeyVersions.set(rootId, keyVersion);
    } finally {
      raw.fill(0);
    }
  }

  async #openMemberships(vault: Vault, memberships: readonly MembershipView[]): Promise<void> {
    for (const membership of memberships) {
      const { folderId, keyVersion } = membership;
      if (
        this.rootKeyVersions.get(folderId) === keyVersion &&
        this.#decryptorKeys.has(folderKeyId(folderId, keyVersion))
      ) {
        continue;
      }
      try {
        await this.openFolderKey(vault, folderId, keyVersion, fromBase64Url(membership.wrappedKey));
      } catch (error) {
        if (!isCofferError(error) || error.code === 'vault_locked') throw error;
        this.quarantine.set(folderId, { kind: 'folder-key', id: folderId, code: error.code });
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
    for (const [rootId, group] of byRoot(live)) {
      const version = this.rootKeyVersions.get(rootId);
      if (version === undefined) {
        for (const view of group) this.#quarantine('folder', view.id, 'crypto_wrong_key');
        continue;
      }
      const names = await openFolderNames(vault.folderKey(rootId, version), rootId, version, group);
      group.forEach((view, i) => {
        const opened = names[i]!;
        if ('code' in opened) {
          this.#quarantine('folder', view.id, opened.code);
          return;
        }
        const { id, parentId, revision } = view;
        this.folders.set({ id, rootId, parentId, name: opened.name, revision });
        this.quarantine.delete(id);
      });
    }
  }

  /** Files the page's deletions and cuts its live records into batches to open. */
  #recordBatches(page: LoadedPage): RecordBatches {
    const { ids, revisions, deleted } = page.records;
    const live: number[] = [];
    for (let at = 0; at < ids.length; at += 1) {
      const id = ids[at]!;
      if (!this.#observe(this.recordRevisions, 'record', id, revisions[at]!)) continue;
      if (deleted[at] === 1) this.removeRecord(id);
      else live.push(at);
    }
    return { total: live.length, batches: this.#batches(page, live) };
  }

  async #openRecords(
    vault: Vault,
    { total, batches }: RecordBatches,
    onProgress?: (progress: SyncProgress) => void,
  ): Promise<void> {
    if (batches.length === 0) return;
    if (vault.isLocked) throw lockedDuringWork();
    const epoch = this.#epoch;
    this.prepareDecryptor();
    const decryptor = this.#decryptor!;
    let next = 0;
    let done = 0;
    const lane = async (): Promise<void> => {
      while (next < batches.length) {
        const { batch, records } = batches[next]!;
        next += 1;
        const opened = await decryptor.open(batch);
        if (epoch !== this.#epoch) {
          opened.plaintext.fill(0);
          throw lockedDuringWork();
        }
        this.#storeOpened(batch, records, opened);
        done += batch.positions.length;
        onProgress?.({ done, total });
        // Lets the page paint between batches when decryption runs on this thread.
        if (decryptor.concurrency === 1 && next < batches.length) await yieldToEventLoop();
      }
    };
    const lanes: Promise<void>[] = [];
    for (let i = 0; i < Math.max(1, decryptor.concurrency); i += 1) lanes.push(lane());
    await Promise.all(lanes);
  }

  /** The batches to open a page's live records in; those without a key are quarantined. */
  #batches(page: LoadedPage, live: readonly number[]): PageBatch[] {
    const { records } = page;
    const batches: PageBatch[] = [];
    for (const { rootId, positions } of cutIntoBatches(
      records,
      live,
      (id) => this.folders.get(id)?.rootId,
    )) {
      const version = this.rootKeyVersions.get(rootId);
      if (version === undefined) {
        for (const at of positions)
          this.#quarantine('record', records.ids[at]!, 'crypto_wrong_key');
        continue;
      }
      batches.push({ batch: { page: page.id, rootId, keyVersion: version, positions }, records });
    }
    return batches;
  }

  /**
   * Files what a batch opened: an entry per record that passed (its record decoded only when
   * read), the quarantine for the rest. The search texts were built by the decryptor.
   */
  #storeOpened(batch: RecordBatch, records: PageRecords, opened: OpenedBatch): void {
    const { positions, rootId } = batch;
    if (opened.codes.length !== positions.length) {
      opened.plaintext.fill(0);
      throw new CofferError('decrypt_worker_failed', 'The decryptor answered for other records.');
    }
    const buffer: PlaintextBuffer = { bytes: opened.plaintext };
    this.#plaintexts.push(buffer);
    const onInvalid = (entry: OpenedRecordEntry, error: CofferError) => {
      if (this.records.get(entry.id) === entry) this.#quarantine('record', entry.id, error.code);
    };
    const { ids, revisions, folders, folderIds, updatedAt } = records;
    let start = 0;
    for (let i = 0; i < positions.length; i += 1) {
      const at = positions[i]!;
      const id = ids[at]!;
      const revision = revisions[at]!;
      const end = opened.ends[i]!;
      const code = opened.codes[i];
      if (this.recordRevisions.highestRevision(id) !== revision) {
        // A later page, opened first, brought a newer revision or a deletion: that one stands.
        opened.plaintext.fill(0, start, end);
      } else if (code !== null && code !== undefined) {
        this.#quarantine('record', id, code);
      } else {
        const folderId = folderIds[folders[at]!]!;
        const entry = new OpenedRecordEntry(
          { id, folderId, rootId, revision, updatedAt: updatedAt[at]! },
          summaryAt(opened, i),
          { buffer, start, end },
          onInvalid,
        );
        this.#wipe(id);
        this.records.set(id, entry);
        this.index.upsertText(id, opened.searchTexts[i]!, entry.summary.type);
        this.quarantine.delete(id);
      }
      start = end;
    }
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

function lockedDuringWork(): CofferError {
  return new CofferError('vault_locked', 'The vault was locked while it was being opened.');
}
