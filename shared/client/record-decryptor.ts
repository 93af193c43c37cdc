import { fromBase64Url, importAeadKey, openManySettled, type AeadKey } from '../crypto/index.ts';
import { CofferError, isCofferError } from '../errors.ts';
import { recordAad } from '../keys/index.ts';
import type { ErrorCode } from '../protocol/error-codes.ts';
import { RECORD_SCHEMA_VERSION, type VaultRecord } from '../records/schema/index.ts';
import { decodeRecord } from './record-codec.ts';

/** One sealed record as the sync page carries it, minus what the batch shares. */
export interface SealedRecordJob {
  readonly id: string;
  readonly folderId: string;
  readonly revision: number;
  /** The sealed blob, base64url as the server sent it. */
  readonly ciphertext: string;
}

/** Records of one top-level folder, all under the same folder-key version. */
export interface RecordBatch {
  readonly rootId: string;
  readonly keyVersion: number;
  readonly records: readonly SealedRecordJob[];
}

/** Per record, in the batch's order: the validated record, or why it was quarantined. */
export type OpenedRecord =
  | { readonly ok: true; readonly record: VaultRecord }
  | { readonly ok: false; readonly code: ErrorCode };

/**
 * Where record blobs are opened (issue #4: decrypt in workers, in batches). `shared/client`
 * stays platform-free: it hands each unwrapped folder key's raw bytes to the decryptor once and
 * then sends it batches; the renderer plugs in a Web Worker pool, everything else uses
 * `InThreadRecordDecryptor`. `dispose()` forgets every key and fails the batches still pending
 * with `vault_locked`; a disposed decryptor refuses further work.
 */
export interface RecordDecryptor {
  /** Batches worth keeping in flight at once (1 on the calling thread; more for a pool). */
  readonly concurrency: number;
  /** Takes the key's bytes; the caller zeroes its own copy afterwards. */
  addFolderKey(rootId: string, keyVersion: number, raw: Uint8Array): Promise<void>;
  open(batch: RecordBatch): Promise<OpenedRecord[]>;
  dispose(): void;
}

export function folderKeyId(rootId: string, keyVersion: number): string {
  return `${rootId}#${keyVersion}`;
}

/**
 * Opens and validates one batch under `key`: the record associated data is rebuilt here from
 * the batch's ids (CR-03), each plaintext is parsed by shared/records/schema and zeroed after.
 * Shared by the in-thread decryptor and the renderer's worker, so both quarantine alike.
 */
export async function openRecordBatch(key: AeadKey, batch: RecordBatch): Promise<OpenedRecord[]> {
  const out = new Array<OpenedRecord>(batch.records.length);
  const items: { data: Uint8Array; aad: Uint8Array }[] = [];
  const positions: number[] = [];
  batch.records.forEach((job, i) => {
    try {
      items.push({
        data: fromBase64Url(job.ciphertext),
        aad: recordAad({
          folderId: job.folderId,
          recordId: job.id,
          keyVersion: batch.keyVersion,
          revision: job.revision,
          schemaVersion: RECORD_SCHEMA_VERSION,
        }),
      });
      positions.push(i);
    } catch (error) {
      if (!isCofferError(error)) throw error;
      out[i] = { ok: false, code: error.code };
    }
  });
  const results = await openManySettled(key, items);
  results.forEach((result, n) => {
    const i = positions[n]!;
    if (!result.ok) {
      out[i] = { ok: false, code: result.error.code };
      return;
    }
    try {
      out[i] = { ok: true, record: decodeRecord(result.plaintext) };
    } catch (error) {
      if (!isCofferError(error)) throw error;
      out[i] = { ok: false, code: error.code };
    } finally {
      result.plaintext.fill(0);
    }
  });
  return out;
}

function lockedError(): CofferError {
  return new CofferError(
    'vault_locked',
    'The vault is locked; unlock it with the master password.',
  );
}

/** Opens batches on the calling thread, one at a time (Node, the CLI, tests). */
export class InThreadRecordDecryptor implements RecordDecryptor {
  readonly concurrency = 1;
  #keys: Map<string, Promise<AeadKey>> | null = new Map();

  async addFolderKey(rootId: string, keyVersion: number, raw: Uint8Array): Promise<void> {
    const keys = this.#requireKeys();
    // importAeadKey copies the bytes into a non-extractable CryptoKey before it resolves.
    const imported = importAeadKey(raw);
    keys.set(folderKeyId(rootId, keyVersion), imported);
    await imported;
  }

  async open(batch: RecordBatch): Promise<OpenedRecord[]> {
    const key = this.#requireKeys().get(folderKeyId(batch.rootId, batch.keyVersion));
    if (key === undefined) {
      return batch.records.map(() => ({ ok: false, code: 'crypto_wrong_key' }) as const);
    }
    const opened = await openRecordBatch(await key, batch);
    if (this.#keys === null) throw lockedError();
    return opened;
  }

  dispose(): void {
    this.#keys?.clear();
    this.#keys = null;
  }

  #requireKeys(): Map<string, Promise<AeadKey>> {
    if (this.#keys === null) throw lockedError();
    return this.#keys;
  }
}
