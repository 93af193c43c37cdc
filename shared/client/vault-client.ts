import { randomId, seal, toBase64Url, utf8 } from '../crypto/index.ts';
import { CofferError, isCofferError } from '../errors.ts';
import {
  changeWithThrottle,
  confirmWithThrottle,
  createAccount,
  createFolderKey,
  encryptRecord,
  UnlockThrottle,
  unlockWithThrottle,
  type KdfParams,
  type Vault,
} from '../keys/index.ts';
import { folderNameAad } from '../protocol/device-api.ts';
import {
  RECORD_SCHEMA_VERSION,
  type VaultRecord,
  type VaultRecordInput,
} from '../records/schema/index.ts';
import { checkFolderName } from './folder-name.ts';
import type { FetchLike } from './api-client.ts';
import { accountIdFor, fromServerKeys, toEnrolment, toPasswordChange } from './account-keys.ts';
import { encodeRecord } from './record-codec.ts';
import { ServerSession } from './session.ts';
import { recordEntry, type RecordEntry } from './record-entry.ts';
import { VaultData, type RecordDecryptorFactory, type SyncProgress } from './vault-data.ts';
import type { LoadedPage } from './sync-pages.ts';
import { syncPages } from './sync-pipeline.ts';
import { folderView, recordView, syncResponse, type RecordView } from './wire.ts';

export interface VaultClientOptions {
  readonly serverUrl: string;
  readonly fetch?: FetchLike;
  /** Argon2id parameters for a new account; DESIGN.md's defaults when omitted. */
  readonly kdf?: KdfParams;
  /** Records per sync page (the server allows 1–5000). */
  readonly pageSize?: number;
  /** Where record blobs are opened; a fresh one per unlock. Default: on the calling thread. */
  readonly createDecryptor?: RecordDecryptorFactory;
}

/** What a folder deletion takes with it, for the confirmation dialog. */
interface SealedRecord {
  readonly record: VaultRecord;
  readonly rootId: string;
  readonly folderId: string;
  readonly ciphertext: string;
}

export interface FolderDeletionImpact {
  readonly folders: number;
  readonly records: number;
}

const SYNC_PAGE = 2000;

/**
 * The vault client core the renderer runs (DESIGN.md "Components"): session, enrolment and
 * unlock through shared/keys, sync from the cursor with decryption in batches, the search index,
 * and every write as a compare-and-swap on the revision the client proposes (current + 1).
 * `lock()` drops every key and decrypted value; the session survives, so unlocking again needs
 * only the master password.
 */
export class VaultClient {
  readonly session: ServerSession;
  readonly data: VaultData;
  readonly #throttle = new UnlockThrottle();
  readonly #options: VaultClientOptions;
  #vault: Vault | null = null;
  /** The first sync page, requested while the KDF runs; used by the sync that follows. */
  #prefetched: { cursor: number; page: Promise<LoadedPage> } | null = null;

  constructor(options: VaultClientOptions) {
    this.#options = options;
    this.data = new VaultData(options.createDecryptor);
    this.session = new ServerSession(options.serverUrl, options.fetch);
  }

  get isUnlocked(): boolean {
    return this.#vault !== null && !this.#vault.isLocked;
  }

  /** Keys the unlocked vault references (user key, key pairs, folder keys); 0 when locked. */
  get heldKeyCount(): number {
    return this.#vault?.heldKeyCount ?? 0;
  }

  /** The unlocked vault, for the admin operations (apps-client.ts) that wrap keys with it. */
  unlockedVault(): Vault {
    return this.#requireVault();
  }

  #requireVault(): Vault {
    if (this.#vault === null || this.#vault.isLocked) {
      throw new CofferError(
        'vault_locked',
        'The vault is locked; unlock it with the master password.',
      );
    }
    return this.#vault;
  }

  /** First sign-in of a new user: creates the account's keys and stores their wraps. */
  async enrol(masterPassword: string): Promise<void> {
    const user = this.session.requireUser();
    const accountId = await accountIdFor(user.id);
    const created = await createAccount({
      accountId,
      masterPassword,
      ...(this.#options.kdf === undefined ? {} : { kdf: this.#options.kdf }),
    });
    try {
      await this.session.enrolAccountKeys(toEnrolment(created.keys));
    } catch (error) {
      created.vault.lock();
      throw error;
    }
    this.session.markEnrolled();
    this.#vault = created.vault;
  }

  /**
   * Unlocks with the master password; `wrong_master_password` lets the user try again. While
   * the KDF runs (in its own worker, in the renderer) the decrypt workers boot and the first
   * sync page downloads, so the first rows need only the folder key and one decrypt batch
   * after it (issue #4). Neither holds anything secret until the vault is open.
   */
  async unlock(masterPassword: string): Promise<void> {
    const user = this.session.requireUser();
    const stored = await this.session.fetchAccountKeys();
    const keys = fromServerKeys(await accountIdFor(user.id), stored);
    this.#prefetched = { cursor: this.data.cursor, page: this.#loadPage(this.data.cursor) };
    this.#prefetched.page.catch(() => undefined);
    try {
      this.#vault = await unlockWithThrottle(this.#throttle, keys, masterPassword);
    } catch (error) {
      // Still locked: nothing may stay running for a vault that did not open.
      this.lock();
      throw error;
    }
  }

  /**
   * Re-authentication before a dangerous action (LS-05): checks the master password against the
   * account keys the server holds now, through unlock's own path and throttle, keeping the
   * session's keys. `wrong_master_password` or `rate_limited` when it fails.
   */
  async confirmMasterPassword(masterPassword: string): Promise<void> {
    const vault = this.#requireVault();
    const user = this.session.requireUser();
    const stored = await this.session.fetchAccountKeys();
    const keys = fromServerKeys(await accountIdFor(user.id), stored);
    await confirmWithThrottle(this.#throttle, vault, keys, masterPassword);
  }

  /**
   * Re-wraps the user key under a new master password (issue #3 item 5). The current password is
   * checked by the unwrap itself, behind unlock's throttle, so re-authentication costs no extra
   * KDF run. The session keeps its keys, as do other sessions: the user key does not change.
   * Nothing changes on failure: a wrong password stops before any request, and the server swaps
   * the wrap only if the account keys are still the revision read here.
   */
  async changeMasterPassword(currentPassword: string, newPassword: string): Promise<void> {
    this.#requireVault();
    const user = this.session.requireUser();
    const stored = await this.session.fetchAccountKeys();
    const changed = await changeWithThrottle(this.#throttle, {
      accountKeys: fromServerKeys(await accountIdFor(user.id), stored),
      currentPassword,
      newPassword,
    });
    await this.session.changeAccountPassword(toPasswordChange(changed, stored.revision + 1));
  }

  /** Drops every key and decrypted value. Never throws: idle and OS-lock handlers call it. */
  lock(): void {
    this.#vault?.lock();
    this.#vault = null;
    this.#prefetched = null;
    this.data.clear();
  }

  async signOut(): Promise<void> {
    this.lock();
    await this.session.signOut();
  }

  /**
   * Pulls every change since the cursor, page by page (sync-pipeline.ts); progress counts
   * decrypted records. The first page may have been asked for while the KDF ran.
   */
  async sync(onProgress?: (progress: SyncProgress) => void): Promise<void> {
    const vault = this.#requireVault();
    const prefetched = this.#prefetched;
    this.#prefetched = null;
    let first: Promise<LoadedPage>;
    if (prefetched?.cursor === this.data.cursor) first = prefetched.page;
    else {
      void prefetched?.page.then(
        (page) => this.data.releasePage(page),
        () => undefined,
      );
      first = this.#loadPage(this.data.cursor);
    }
    await syncPages({
      data: this.data,
      vault,
      first,
      loadPage: (cursor) => this.#loadPage(cursor),
      onProgress,
    });
  }

  #loadPage(cursor: number): Promise<LoadedPage> {
    const limit = this.#options.pageSize ?? SYNC_PAGE;
    const query = { cursor, limit };
    const sessionToken = this.session.api.sessionToken;
    if (sessionToken === null) {
      return Promise.reject(new CofferError('unauthenticated', 'Not signed in; sign in first.'));
    }
    return this.data.loadPage({
      fetch: {
        serverUrl: this.session.api.baseUrl,
        sessionToken,
        cursor,
        limit,
        here: () => this.session.api.get('/api/v1/vault/sync', { query, schema: syncResponse }),
      },
    });
  }

  // Folders ------------------------------------------------------------------------------------

  async createFolder(name: string, parentId: string | null): Promise<string> {
    const vault = this.#requireVault();
    const cleanName = checkFolderName(name);
    const id = randomId();
    let body: Record<string, unknown>;
    let rootId: string;
    let wrappedKey: Uint8Array | null = null;
    if (parentId === null) {
      const created = await createFolderKey(vault, id, 1);
      wrappedKey = created.wrapped;
      const sealedName = await seal(created.key, utf8(cleanName), folderNameAad(id, 1));
      body = {
        id,
        parentId: null,
        name: toBase64Url(sealedName),
        revision: 1,
        wrappedKey: toBase64Url(created.wrapped),
        keyVersion: 1,
      };
      rootId = id;
    } else {
      rootId = this.#folder(parentId).rootId;
      const { key, version } = this.data.rootKey(vault, rootId);
      const sealedName = await seal(key, utf8(cleanName), folderNameAad(id, version));
      body = { id, parentId, name: toBase64Url(sealedName), revision: 1 };
    }
    const view = await this.session.api.post('/api/v1/vault/folders', { body, schema: folderView });
    // The decryptor needs the new folder's key too: later syncs bring its records.
    if (wrappedKey !== null) await this.data.openFolderKey(vault, id, 1, wrappedKey);
    this.data.folderRevisions.observe(id, view.revision);
    this.data.folders.set({ id, rootId, parentId, name: cleanName, revision: view.revision });
    return id;
  }

  /** Renames and/or moves a folder within its top-level folder (the server refuses other moves). */
  async updateFolder(
    id: string,
    change: { name?: string; parentId?: string | null },
  ): Promise<void> {
    const vault = this.#requireVault();
    const folder = this.#folder(id);
    const name = checkFolderName(change.name ?? folder.name);
    const parentId = change.parentId === undefined ? folder.parentId : change.parentId;
    const { key, version } = this.data.rootKey(vault, folder.rootId);
    const sealedName = await seal(key, utf8(name), folderNameAad(id, version));
    const view = await this.#withConflictResync(() =>
      this.session.api.put(`/api/v1/vault/folders/${id}`, {
        body: { parentId, name: toBase64Url(sealedName), revision: folder.revision + 1 },
        schema: folderView,
      }),
    );
    this.data.folderRevisions.observe(id, view.revision);
    this.data.folders.set({ ...folder, name, parentId, revision: view.revision });
  }

  /** What deleting `id` takes with it: its sub-folders at any depth and every record in them. */
  folderDeletionImpact(id: string): FolderDeletionImpact {
    const doomed = this.data.folders.subtree(id);
    let records = 0;
    for (const entry of this.data.records.values()) if (doomed.has(entry.folderId)) records += 1;
    return { folders: doomed.size - 1, records };
  }

  /** Deletes a folder with everything below it, then syncs to learn the cascade's tombstones. */
  async deleteFolder(id: string): Promise<void> {
    this.#requireVault();
    const folder = this.#folder(id);
    await this.#withConflictResync(() =>
      this.session.api.delete(`/api/v1/vault/folders/${id}`, {
        query: { revision: folder.revision + 1 },
        schema: folderView,
      }),
    );
    await this.sync();
  }

  // Records ------------------------------------------------------------------------------------

  async createRecord(folderId: string, input: VaultRecordInput): Promise<RecordEntry> {
    const id = randomId();
    const sealed = await this.#sealRecord(id, folderId, 1, input);
    const view = await this.session.api.post('/api/v1/vault/records', {
      body: { id, folderId, ciphertext: sealed.ciphertext, revision: 1 },
      schema: recordView,
    });
    return this.#stored(view, sealed);
  }

  /**
   * Saves a new version; a concurrent change elsewhere is `revision_conflict` and saves
   * nothing.
   */
  async updateRecord(id: string, input: VaultRecordInput): Promise<RecordEntry> {
    const current = this.#record(id);
    return this.#write(current, current.folderId, input);
  }

  /** Moves a record, re-encrypted under the destination's key and bound to its new folder. */
  async moveRecord(id: string, folderId: string): Promise<RecordEntry> {
    const current = this.#record(id);
    return this.#write(current, folderId, current.record);
  }

  async deleteRecord(id: string): Promise<void> {
    this.#requireVault();
    const current = this.#record(id);
    const view = await this.#withConflictResync(() =>
      this.session.api.delete(`/api/v1/vault/records/${id}`, {
        query: { revision: current.revision + 1 },
        schema: recordView,
      }),
    );
    this.data.recordRevisions.observe(id, view.revision);
    this.data.removeRecord(id);
  }

  async #write(
    current: RecordEntry,
    folderId: string,
    input: VaultRecordInput,
  ): Promise<RecordEntry> {
    const sealed = await this.#sealRecord(current.id, folderId, current.revision + 1, input);
    const view = await this.#withConflictResync(() =>
      this.session.api.put(`/api/v1/vault/records/${current.id}`, {
        body: { folderId, ciphertext: sealed.ciphertext, revision: current.revision + 1 },
        schema: recordView,
      }),
    );
    return this.#stored(view, sealed);
  }

  async #sealRecord(
    id: string,
    folderId: string,
    revision: number,
    input: VaultRecordInput,
  ): Promise<SealedRecord> {
    const vault = this.#requireVault();
    const rootId = this.#folder(folderId).rootId;
    // The session API stores only the sealed blob: the key version bound into the AAD is the
    // top-level folder's current one and the schema version this app's (RECORD_SCHEMA_VERSION),
    // the values the device API reports for the same record.
    // TODO(#4): carry keyVersion and schemaVersion explicitly once the session routes store them.
    const { key, version } = this.data.rootKey(vault, rootId);
    const { record, bytes } = encodeRecord(input);
    try {
      const sealed = await encryptRecord(
        key,
        {
          folderId,
          recordId: id,
          keyVersion: version,
          revision,
          schemaVersion: RECORD_SCHEMA_VERSION,
        },
        bytes,
      );
      return { record, rootId, folderId, ciphertext: toBase64Url(sealed) };
    } finally {
      bytes.fill(0);
    }
  }

  #stored(view: RecordView, sealed: SealedRecord): RecordEntry {
    if (view.deleted)
      throw new CofferError('response_invalid', 'The server reported the new record deleted.');
    this.data.recordRevisions.observe(view.id, view.revision);
    const entry = recordEntry(
      {
        id: view.id,
        folderId: sealed.folderId,
        rootId: sealed.rootId,
        revision: view.revision,
        updatedAt: view.updatedAt,
      },
      sealed.record,
    );
    this.data.setRecord(entry);
    return entry;
  }

  /** On a lost compare-and-swap, pulls the newer version so the user can see it, then rethrows. */
  async #withConflictResync<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (isCofferError(error, 'revision_conflict')) {
        await this.sync().catch(() => undefined);
        throw new CofferError(
          'revision_conflict',
          'This item was changed elsewhere since you opened it; the newer version is now shown. ' +
            'Your edit was not saved.',
          { cause: error },
        );
      }
      throw error;
    }
  }

  #folder(id: string) {
    const folder = this.data.folders.get(id);
    if (folder === undefined) throw new CofferError('not_found', 'Folder not found in this vault.');
    return folder;
  }

  #record(id: string): RecordEntry {
    this.#requireVault();
    const entry = this.data.records.get(id);
    if (entry === undefined) throw new CofferError('not_found', 'Record not found in this vault.');
    return entry;
  }
}
