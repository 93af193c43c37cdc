import {
  fromBase64Url,
  fromUtf8,
  importAeadKey,
  openManySettled,
  type AeadItem,
  type AeadKey,
} from '../crypto/index.ts';
import { CofferError, isCofferError } from '../errors.ts';
import { folderNameAad } from '../protocol/device-api.ts';
import { folderKeyAad, openRawKey, RevisionTracker, type Vault } from '../keys/index.ts';
import type { RecordType } from '../records/schema/index.ts';
import { FolderTree } from './folder-tree.ts';
import {
  folderKeyId,
  InThreadRecordDecryptor,
  type OpenedBatch,
  type PageFrom,
  type RecordDecryptor,
} from './record-decryptor.ts';
import type { LoadedPage, PageRecord, RecordBatch } from './sync-pages.ts';
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

/** Records decrypted per batch before the caller hears of progress and the page can paint. */
export const DECRYPT_BATCH = 2000;
/**
 * The first batch is small so the first rows paint at once (issue #4: under 0.3 s after the
 * KDF); the rest go in full batches, as many in flight as the decryptor can take.
 */
export const FIRST_DECRYPT_BATCH = 250;

/** Makes the decryptor for one unlocked session; it is disposed (workers ended) at clear(). */
export type RecordDecryptorFactory = () => RecordDecryptor;

type LiveView = Extract<PageRecord, { deleted: false }>;
/** A page's live records cut into batches, and how many records they hold in all. */
interface RecordBatches {
  readonly total: number;
  readonly batches: readonly { readonly batch: RecordBatch; readonly views: LiveView[] }[];
}

/** A live record of a page and its position there, which is how a batch names it. */
interface LiveRecord {
  readonly view: LiveView;
  readonly at: number;
}

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

  /** Files the page's deletions and cuts its live records into batches to open. */
  #recordBatches(page: LoadedPage): RecordBatches {
    const live: LiveRecord[] = [];
    page.records.forEach((view, at) => {
      if (!this.#observe(this.recordRevisions, 'record', view.id, view.revision)) return;
      if (view.deleted) this.removeRecord(view.id);
      else live.push({ view, at });
    });
    return { total: live.length, batches: this.#batches(page.id, live) };
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
        const { batch, views } = batches[next]!;
        next += 1;
        const opened = await decryptor.open(batch);
        if (epoch !== this.#epoch) {
          opened.plaintext.fill(0);
          throw lockedDuringWork();
        }
        this.#storeOpened(batch.rootId, views, opened);
        done += views.length;
        onProgress?.({ done, total });
        // Lets the page paint between batches when decryption runs on this thread.
        if (decryptor.concurrency === 1 && next < batches.length) await yieldToEventLoop();
      }
    };
    const lanes: Promise<void>[] = [];
    for (let i = 0; i < Math.max(1, decryptor.concurrency); i += 1) lanes.push(lane());
    await Promise.all(lanes);
  }

  /** Slices the records into per-folder-key batches: a small first one, then full ones. */
  #batches(page: number, live: readonly LiveRecord[]): RecordBatches['batches'] {
    const batches: { batch: RecordBatch; views: LiveView[] }[] = [];
    let start = 0;
    while (start < live.length) {
      const size = start === 0 ? FIRST_DECRYPT_BATCH : DECRYPT_BATCH;
      const slice = live.slice(start, start + size);
      start += size;
      for (const [rootId, group] of groupBy(
        slice,
        ({ view }) => this.folders.get(view.folderId)?.rootId ?? view.rootId,
      )) {
        const version = this.rootKeyVersions.get(rootId);
        if (version === undefined) {
          for (const { view } of group) this.#quarantine('record', view.id, 'crypto_wrong_key');
          continue;
        }
        batches.push({
          batch: { page, rootId, keyVersion: version, positions: group.map(({ at }) => at) },
          views: group.map(({ view }) => view),
        });
      }
    }
    return batches;
  }

  /**
   * Files what a batch opened: an entry per record that passed (its record decoded only when
   * read), the quarantine for the rest. The search texts were built by the decryptor.
   */
  #storeOpened(rootId: string, views: readonly LiveView[], opened: OpenedBatch): void {
    if (opened.codes.length !== views.length) {
      opened.plaintext.fill(0);
      throw new CofferError('decrypt_worker_failed', 'The decryptor answered for other records.');
    }
    const buffer: PlaintextBuffer = { bytes: opened.plaintext };
    this.#plaintexts.push(buffer);
    const onInvalid = (entry: OpenedRecordEntry, error: CofferError) => {
      if (this.records.get(entry.id) === entry) this.#quarantine('record', entry.id, error.code);
    };
    let start = 0;
    views.forEach((view, i) => {
      const end = opened.ends[i]!;
      const code = opened.codes[i];
      if (this.recordRevisions.highestRevision(view.id) !== view.revision) {
        // A later page, opened first, brought a newer revision or a deletion: that one stands.
        opened.plaintext.fill(0, start, end);
      } else if (code !== null && code !== undefined) {
        this.#quarantine('record', view.id, code);
      } else {
        const type = opened.types[i] as RecordType;
        const entry = new OpenedRecordEntry(
          {
            id: view.id,
            folderId: view.folderId,
            rootId,
            revision: view.revision,
            updatedAt: view.updatedAt,
          },
          {
            type,
            title: opened.titles[i]!,
            subtitle: opened.subtitles[i]!,
            favorite: opened.favorites[i] === 1,
          },
          { buffer, start, end },
          onInvalid,
        );
        this.#wipe(view.id);
        this.records.set(view.id, entry);
        this.index.upsertText(view.id, opened.searchTexts[i]!, type);
        this.quarantine.delete(view.id);
      }
      start = end;
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

function lockedDuringWork(): CofferError {
  return new CofferError('vault_locked', 'The vault was locked while it was being opened.');
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
