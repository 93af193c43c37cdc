import { CofferError } from '../errors.ts';
import type { RecordView, SyncResponse } from './wire.ts';

type LiveRecordView = Extract<RecordView, { deleted: false }>;

/** A record as a sync page lists it for the vault: everything but its ciphertext. */
export type PageRecord =
  Omit<LiveRecordView, 'ciphertext'> | Extract<RecordView, { deleted: true }>;

/**
 * A sync page as the vault sees it: the ciphertexts stay with the decryptor that loaded the
 * page (in a worker, the one that fetched and parsed it: issue #4), named by `id`.
 */
export interface LoadedPage extends Omit<SyncResponse, 'records'> {
  readonly id: number;
  readonly records: PageRecord[];
}

/** One sealed record and the ids its associated data binds it to. */
export interface SealedRecordJob {
  readonly id: string;
  readonly folderId: string;
  readonly revision: number;
  /** The sealed blob, base64url as the server sent it. */
  readonly ciphertext: string;
}

/** Records of one loaded page to open under one folder-key version, by position. */
export interface RecordBatch {
  readonly page: number;
  readonly rootId: string;
  readonly keyVersion: number;
  readonly positions: readonly number[];
}

function strip(view: RecordView): PageRecord {
  if (view.deleted) return view;
  const { id, rootId, revision, seq, folderId, updatedAt } = view;
  return { id, rootId, revision, seq, deleted: false, folderId, updatedAt };
}

/**
 * The loaded pages of one decryptor: each page's records without their ciphertexts for the
 * vault, and the ciphertexts kept here until the vault has opened what it wanted and releases
 * the page. A batch names records by position, so the ids bound into each record's associated
 * data are the ones this page carried, never ones a caller supplied.
 */
export class SyncPageStore {
  readonly #pages = new Map<number, readonly RecordView[]>();

  add(id: number, page: SyncResponse): LoadedPage {
    if (this.#pages.has(id)) throw new CofferError('invalid_input', 'This page is loaded already.');
    this.#pages.set(id, page.records);
    return { ...page, id, records: page.records.map(strip) };
  }

  /** The sealed records a batch names; a position that is not a live record is refused. */
  jobs(batch: RecordBatch): SealedRecordJob[] {
    const records = this.#pages.get(batch.page);
    if (records === undefined) {
      throw new CofferError('invalid_input', 'The batch names a page that is not loaded.');
    }
    return batch.positions.map((at) => {
      const view = records[at];
      if (view === undefined || view.deleted) {
        throw new CofferError('invalid_input', 'The batch names a record the page does not hold.');
      }
      return view;
    });
  }

  release(id: number): void {
    this.#pages.delete(id);
  }

  clear(): void {
    this.#pages.clear();
  }
}
