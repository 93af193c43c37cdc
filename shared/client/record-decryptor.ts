import { importAeadKey, openManySettled, type AeadItem, type AeadKey } from '../crypto/index.ts';
import { CofferError } from '../errors.ts';
import type { ErrorCode } from '../protocol/error-codes.ts';
import { RECORD_SCHEMA_VERSION, type RecordType } from '../records/schema/index.ts';
import { recordColumns } from './page-records.ts';
import { decodeRecords, joinPlaintexts, keepOnly } from './plaintext-batch.ts';
import { recordAads } from './record-aad.ts';
import { checkListFields, type ListFields, type RecordSummary } from './record-summary.ts';
import {
  SyncPageStore,
  type LoadedPage,
  type RecordBatch,
  type SealedBatch,
} from './sync-pages.ts';
import type { SyncResponse } from './wire.ts';

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
  /** Batches of one page worth keeping in flight at once (1 on the calling thread). */
  readonly concurrency: number;
  /** Sync pages worth opening at once: one per worker of a pool. */
  readonly pagesAtOnce: number;
  /** Takes the key's bytes; the caller zeroes its own copy afterwards. */
  addFolderKey(rootId: string, keyVersion: number, raw: Uint8Array): Promise<void>;
  /**
   * Fetches a sync page (or takes one given) and keeps its sealed blobs for open(). A pool
   * fetches and parses the page in a worker, so the page's megabytes of JSON never reach the
   * page's main thread (issue #4).
   */
  loadPage(from: PageFrom): Promise<LoadedPage>;
  open(batch: RecordBatch): Promise<OpenedBatch>;
  /** Forgets a loaded page's sealed blobs. */
  releasePage(page: number): void;
  dispose(): void;
}

/** Where a sync page comes from: the server (fetched where the decryptor runs) or the caller. */
export type PageFrom =
  | { readonly fetch: PageFetch; readonly page?: undefined }
  | { readonly page: SyncResponse; readonly fetch?: undefined };

export interface PageFetch {
  readonly serverUrl: string;
  readonly sessionToken: string;
  readonly cursor: number;
  readonly limit: number;
  /** The same request made on the calling thread, with the client's own fetch (tests wrap it). */
  here(): Promise<SyncResponse>;
}

export function folderKeyId(rootId: string, keyVersion: number): string {
  return `${rootId}#${keyVersion}`;
}

/** The list fields of record i of a batch, where it opened. */
export function summaryAt(batch: OpenedBatch, i: number): RecordSummary {
  return {
    type: batch.types[i] as RecordType,
    title: batch.titles[i]!,
    subtitle: batch.subtitles[i]!,
    favorite: batch.favorites[i] === 1,
  };
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

/** The list check of one record's text; refused as well when it is not JSON. */
function listFieldsOf(text: string): ListFields {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    return { ok: false };
  }
  return checkListFields(json);
}

/**
 * Opens sealed records under `key`: each record's associated data is built here from the ids and
 * revision its page carried and the batch's key version (record-aad.ts, CR-03), the plaintexts
 * are copied into the batch's one buffer (each zeroed) and each passes the list check
 * (record-summary.ts) or is emptied out and quarantined as `record_invalid`. Shared by the
 * in-thread decryptor and the renderer's worker, so both quarantine alike.
 */
export async function openRecordBatch(
  key: AeadKey,
  keyVersion: number,
  sealed: SealedBatch,
): Promise<OpenedBatch> {
  const size = sealed.ids.length;
  const out = failedBatch(size, 'record_invalid');
  const aads = recordAads(sealed, keyVersion, RECORD_SCHEMA_VERSION);
  const items: AeadItem[] = [];
  const positions: number[] = [];
  for (let i = 0; i < size; i += 1) {
    const aad = aads[i]!;
    const code = aad instanceof CofferError ? aad.code : sealed.codes[i];
    if (code !== null && code !== undefined) {
      out.codes[i] = code;
      continue;
    }
    items.push({ data: sealed.blobs[i]!, aad: aad as Uint8Array });
    positions.push(i);
  }
  const results = await openManySettled(key, items);
  const decrypted = new Array<Uint8Array | null>(size).fill(null);
  results.forEach((result, n) => {
    const i = positions[n]!;
    if (result.ok) decrypted[i] = result.plaintext;
    else out.codes[i] = result.error.code;
  });
  const joined = joinPlaintexts(decrypted);
  const texts = decodeRecords(joined);
  const keep = texts.map((text, i) => {
    if (text === null) return false;
    const listed = listFieldsOf(text);
    if (!listed.ok) return false;
    const { summary } = listed;
    out.codes[i] = null;
    out.types[i] = summary.type;
    out.titles[i] = summary.title;
    out.subtitles[i] = summary.subtitle;
    out.favorites[i] = summary.favorite ? 1 : 0;
    out.searchTexts[i] = listed.searchText;
    return true;
  });
  const { bytes, ends } = keepOnly(joined, keep);
  return { ...out, plaintext: bytes, ends };
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
  readonly pagesAtOnce = 1;
  #keys: Map<string, Promise<AeadKey>> | null = new Map();
  readonly #pages = new SyncPageStore();
  #nextPage = 0;

  async addFolderKey(rootId: string, keyVersion: number, raw: Uint8Array): Promise<void> {
    const keys = this.#requireKeys();
    // importAeadKey copies the bytes into a non-extractable CryptoKey before it resolves.
    const imported = importAeadKey(raw);
    keys.set(folderKeyId(rootId, keyVersion), imported);
    await imported;
  }

  async loadPage(from: PageFrom): Promise<LoadedPage> {
    this.#requireKeys();
    const response = from.page ?? (await from.fetch.here());
    const page = { ...response, records: recordColumns(response.records) };
    this.#requireKeys();
    this.#nextPage += 1;
    return this.#pages.add(this.#nextPage, page);
  }

  async open(batch: RecordBatch): Promise<OpenedBatch> {
    const key = this.#requireKeys().get(folderKeyId(batch.rootId, batch.keyVersion));
    const sealed = this.#pages.sealed(batch);
    if (key === undefined) return failedBatch(sealed.ids.length, 'crypto_wrong_key');
    const opened = await openRecordBatch(await key, batch.keyVersion, sealed);
    if (this.#keys === null) {
      opened.plaintext.fill(0);
      throw lockedError();
    }
    return opened;
  }

  releasePage(page: number): void {
    this.#pages.release(page);
  }

  dispose(): void {
    this.#keys?.clear();
    this.#keys = null;
    this.#pages.clear();
  }

  #requireKeys(): Map<string, Promise<AeadKey>> {
    if (this.#keys === null) throw lockedError();
    return this.#keys;
  }
}
