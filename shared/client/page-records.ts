import { z } from 'zod';
import { recordViewProblem, syncResponse, type RecordView } from './wire.ts';

/**
 * A sync page's records column by column (issue #4). A decrypt worker hands a page of 5,000
 * records to the page's thread as a few arrays instead of 5,000 objects, and the few folders
 * they sit in as positions in one list of ids; the ciphertexts stay in the worker. Record i is a
 * deletion when `deleted[i]` is 1; then only its id, revision and top-level folder count.
 */
export interface PageRecords {
  readonly ids: string[];
  readonly revisions: Float64Array;
  readonly deleted: Uint8Array;
  /** Record i's folder is `folderIds[folders[i]]` (its top-level folder's for a deletion). */
  readonly folders: Uint32Array;
  /** Record i's top-level folder is `folderIds[roots[i]]`. */
  readonly roots: Uint32Array;
  /** The distinct folder ids the page's records name, each once. */
  readonly folderIds: string[];
  readonly updatedAt: Float64Array;
}

/** A page's records as the decryptor keeps them: the columns and each record's sealed blob. */
export interface RecordColumns extends PageRecords {
  /** Base64url as the server sent them; '' for a deletion. */
  readonly ciphertexts: string[];
}

/** Fills the columns one record at a time; folder ids are listed once each. */
class ColumnWriter {
  readonly #known = new Map<string, number>();
  readonly columns: RecordColumns;
  #lastId = '';
  #lastAt = -1;

  constructor(size: number) {
    this.columns = {
      ids: new Array<string>(size),
      revisions: new Float64Array(size),
      deleted: new Uint8Array(size),
      folders: new Uint32Array(size),
      roots: new Uint32Array(size),
      folderIds: [],
      updatedAt: new Float64Array(size),
      ciphertexts: new Array<string>(size),
    };
  }

  /** Where `folderId` sits in the folder list, added if new. */
  #place(folderId: string): number {
    // Consecutive records mostly share a folder: a comparison before a hash lookup.
    if (folderId === this.#lastId) return this.#lastAt;
    let at = this.#known.get(folderId);
    if (at === undefined) {
      at = this.columns.folderIds.length;
      this.columns.folderIds.push(folderId);
      this.#known.set(folderId, at);
    }
    this.#lastId = folderId;
    this.#lastAt = at;
    return at;
  }

  /** Record i, already checked (recordViewProblem). */
  write(i: number, view: RecordView): void {
    const { columns } = this;
    columns.ids[i] = view.id;
    columns.revisions[i] = view.revision;
    const root = this.#place(view.rootId);
    columns.roots[i] = root;
    if (view.deleted) {
      columns.deleted[i] = 1;
      columns.folders[i] = root;
      columns.ciphertexts[i] = '';
    } else {
      columns.folders[i] = this.#place(view.folderId);
      columns.updatedAt[i] = view.updatedAt;
      columns.ciphertexts[i] = view.ciphertext;
    }
  }
}

/** The columns of record views already checked (a page handed over rather than fetched). */
export function recordColumns(views: readonly RecordView[]): RecordColumns {
  const writer = new ColumnWriter(views.length);
  for (let i = 0; i < views.length; i += 1) writer.write(i, views[i]!);
  return writer.columns;
}

/** The records without their ciphertexts: what the vault is given. */
export function withoutCiphertexts(columns: RecordColumns): PageRecords {
  const { ids, revisions, deleted, folders, roots, folderIds, updatedAt } = columns;
  return { ids, revisions, deleted, folders, roots, folderIds, updatedAt };
}

/**
 * A page's record views checked as `syncResponse` checks them and written straight into
 * columns, without a copy of each view on the way (issue #4).
 */
const recordViewColumns = z
  .custom<unknown[]>((value) => Array.isArray(value) && value.length <= 1_000_000)
  .transform((items, ctx): RecordColumns => {
    const writer = new ColumnWriter(items.length);
    for (let i = 0; i < items.length; i += 1) {
      const item = items[i];
      const problem = recordViewProblem(item);
      if (problem !== null) {
        ctx.addIssue({
          code: 'custom',
          path: problem === '' ? [i] : [i, problem],
          message: 'invalid',
        });
        return z.NEVER;
      }
      writer.write(i, item as RecordView);
    }
    return writer.columns;
  });

/** A sync page as `syncResponse` accepts it, its records as columns. */
export const syncPage = syncResponse.extend({ records: recordViewColumns });
export type SyncPage = z.infer<typeof syncPage>;
