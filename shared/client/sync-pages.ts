import { CofferError } from '../errors.ts';
import type { ErrorCode } from '../protocol/error-codes.ts';
import { withoutCiphertexts, type PageRecords, type SyncPage } from './page-records.ts';
import { decodeSealedBlobs, type DecodedBlobs } from './sealed-blobs.ts';

/**
 * A sync page as the vault sees it: its records as columns without their ciphertexts, which stay
 * with the decryptor that loaded the page (in a worker, the one that fetched and parsed it:
 * issue #4), named by `id`.
 */
export interface LoadedPage extends Omit<SyncPage, 'records'> {
  readonly id: number;
  readonly records: PageRecords;
}

/** The records of one batch to open, in the batch's order, with what their AAD binds. */
export interface SealedBatch {
  readonly ids: readonly string[];
  readonly folderIds: readonly string[];
  readonly revisions: readonly number[];
  /** Each record's sealed blob; empty where `codes` says why it did not decode. */
  readonly blobs: readonly Uint8Array[];
  readonly codes: readonly (ErrorCode | null)[];
}

/** A loaded page as its decryptor keeps it: the record columns and the decoded blobs. */
interface StoredPage {
  readonly records: PageRecords;
  readonly blobs: DecodedBlobs;
}

/** Records of one loaded page to open under one folder-key version, by position. */
export interface RecordBatch {
  readonly page: number;
  readonly rootId: string;
  readonly keyVersion: number;
  readonly positions: readonly number[];
}

/**
 * The loaded pages of one decryptor: each page's records without their ciphertexts for the
 * vault, and the sealed blobs kept here until the vault has opened what it wanted and releases
 * the page. The blobs are decoded from base64url as the page is added, into one buffer per page
 * (issue #4): the page's text can then be collected at once instead of being carried from heap
 * to heap while the page is opened, and a page fetched during the KDF is decoded by then. A
 * batch names records by position, so the ids bound into each record's associated data are the
 * ones this page carried, never ones a caller supplied.
 */
export class SyncPageStore {
  readonly #pages = new Map<number, StoredPage>();

  add(id: number, page: SyncPage): LoadedPage {
    if (this.#pages.has(id)) throw new CofferError('invalid_input', 'This page is loaded already.');
    const records = withoutCiphertexts(page.records);
    this.#pages.set(id, { records, blobs: decodeSealedBlobs(page.records.ciphertexts) });
    return { ...page, id, records };
  }

  /** The sealed records a batch names; a position that is not a live record is refused. */
  sealed(batch: RecordBatch): SealedBatch {
    const page = this.#pages.get(batch.page);
    if (page === undefined) {
      throw new CofferError('invalid_input', 'The batch names a page that is not loaded.');
    }
    const { ids, deleted, folders, folderIds, revisions } = page.records;
    const { bytes, ends, codes } = page.blobs;
    const size = batch.positions.length;
    const out = {
      ids: new Array<string>(size),
      folderIds: new Array<string>(size),
      revisions: new Array<number>(size),
      blobs: new Array<Uint8Array>(size),
      codes: new Array<ErrorCode | null>(size),
    };
    for (let i = 0; i < size; i += 1) {
      const at = batch.positions[i]!;
      if (!(at < ids.length) || deleted[at] === 1) {
        throw new CofferError('invalid_input', 'The batch names a record the page does not hold.');
      }
      out.ids[i] = ids[at]!;
      out.folderIds[i] = folderIds[folders[at]!]!;
      out.revisions[i] = revisions[at]!;
      out.blobs[i] = bytes.subarray(at === 0 ? 0 : ends[at - 1], ends[at]);
      out.codes[i] = codes[at]!;
    }
    return out;
  }

  release(id: number): void {
    this.#pages.delete(id);
  }

  clear(): void {
    this.#pages.clear();
  }
}
