import {
  fromBase64Url,
  fromUtf8,
  importAeadKey,
  openManySettled,
  type AeadItem,
  type AeadKey,
} from '../crypto/index.ts';
import { CofferError, isCofferError } from '../errors.ts';
import { recordAad } from '../keys/index.ts';
import type { ErrorCode } from '../protocol/error-codes.ts';
import { RECORD_SCHEMA_VERSION, type RecordType } from '../records/schema/index.ts';
import { checkListFields, type ListFields } from './record-summary.ts';

/**
 * Sealed records of one top-level folder, all under the same folder-key version, column by
 * column: posting four arrays to a worker costs less than posting one object per record.
 */
export interface RecordBatch {
  readonly rootId: string;
  readonly keyVersion: number;
  readonly ids: readonly string[];
  readonly folderIds: readonly string[];
  readonly revisions: readonly number[];
  /** The sealed blobs, base64url as the server sent them. */
  readonly ciphertexts: readonly string[];
}

/**
 * A batch opened, column by column in the batch's order (issue #4). Record i opened when
 * `codes[i]` is null: its list fields are in the other columns and its plaintext JSON is
 * `plaintext[ends[i - 1] ?? 0 .. ends[i]]`, decoded in full only when the record is opened.
 * Otherwise `codes[i]` says why it is quarantined and its columns are empty.
 */
export interface OpenedBatch {
  readonly codes: (ErrorCode | null)[];
  readonly types: (RecordType | '')[];
  readonly titles: string[];
  readonly subtitles: string[];
  /** 1 where the record is a favourite. */
  readonly favorites: Uint8Array;
  /** Each record's folded search text (searchTextOf). */
  readonly searchTexts: string[];
  /** The opened records' JSON, back to back: one buffer, so a worker hands it over by transfer. */
  readonly plaintext: Uint8Array;
  readonly ends: Uint32Array;
}

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
  open(batch: RecordBatch): Promise<OpenedBatch>;
  dispose(): void;
}

export function folderKeyId(rootId: string, keyVersion: number): string {
  return `${rootId}#${keyVersion}`;
}

export function batchSize(batch: RecordBatch): number {
  return batch.ids.length;
}

/** Every record of `batch` quarantined with `code` (no key for it, for one). */
export function failedBatch(size: number, code: ErrorCode): OpenedBatch {
  return {
    codes: new Array<ErrorCode | null>(size).fill(code),
    types: new Array<''>(size).fill(''),
    titles: new Array<string>(size).fill(''),
    subtitles: new Array<string>(size).fill(''),
    favorites: new Uint8Array(size),
    searchTexts: new Array<string>(size).fill(''),
    plaintext: new Uint8Array(0),
    ends: new Uint32Array(size),
  };
}

/** The list check of one plaintext; refused as well when it is not UTF-8 JSON. */
function listFieldsOf(plaintext: Uint8Array): ListFields {
  let json: unknown;
  try {
    json = JSON.parse(fromUtf8(plaintext));
  } catch (error) {
    if (!isCofferError(error) && !(error instanceof SyntaxError)) throw error;
    return { ok: false };
  }
  return checkListFields(json);
}

/**
 * Opens one batch under `key`: the record associated data is rebuilt here from the batch's ids
 * (CR-03), each plaintext passes the list check (record-summary.ts) or is quarantined as
 * `record_invalid`, and is then copied into the batch's one plaintext buffer and zeroed. Shared
 * by the in-thread decryptor and the renderer's worker, so both quarantine alike.
 */
export async function openRecordBatch(key: AeadKey, batch: RecordBatch): Promise<OpenedBatch> {
  const size = batchSize(batch);
  const out = failedBatch(size, 'record_invalid');
  const items: AeadItem[] = [];
  const positions: number[] = [];
  for (let i = 0; i < size; i += 1) {
    try {
      items.push({
        data: fromBase64Url(batch.ciphertexts[i]!),
        aad: recordAad({
          folderId: batch.folderIds[i]!,
          recordId: batch.ids[i]!,
          keyVersion: batch.keyVersion,
          revision: batch.revisions[i]!,
          schemaVersion: RECORD_SCHEMA_VERSION,
        }),
      });
      positions.push(i);
    } catch (error) {
      if (!isCofferError(error)) throw error;
      out.codes[i] = error.code;
    }
  }
  const results = await openManySettled(key, items);
  const opened = new Array<Uint8Array | null>(size).fill(null);
  let total = 0;
  results.forEach((result, n) => {
    const i = positions[n]!;
    if (!result.ok) {
      out.codes[i] = result.error.code;
      return;
    }
    const listed = listFieldsOf(result.plaintext);
    if (!listed.ok) {
      result.plaintext.fill(0);
      return;
    }
    const { summary } = listed;
    out.codes[i] = null;
    out.types[i] = summary.type;
    out.titles[i] = summary.title;
    out.subtitles[i] = summary.subtitle;
    out.favorites[i] = summary.favorite ? 1 : 0;
    out.searchTexts[i] = listed.searchText;
    opened[i] = result.plaintext;
    total += result.plaintext.length;
  });
  const plaintext = new Uint8Array(total);
  let offset = 0;
  opened.forEach((bytes, i) => {
    if (bytes !== null) {
      plaintext.set(bytes, offset);
      offset += bytes.length;
      bytes.fill(0);
    }
    out.ends[i] = offset;
  });
  return { ...out, plaintext };
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

  async open(batch: RecordBatch): Promise<OpenedBatch> {
    const key = this.#requireKeys().get(folderKeyId(batch.rootId, batch.keyVersion));
    if (key === undefined) return failedBatch(batchSize(batch), 'crypto_wrong_key');
    const opened = await openRecordBatch(await key, batch);
    if (this.#keys === null) {
      opened.plaintext.fill(0);
      throw lockedError();
    }
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
