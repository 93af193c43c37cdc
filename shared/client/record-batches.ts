import type { PageRecords } from './page-records.ts';
import type { RecordBatch } from './sync-pages.ts';

/** Records decrypted per batch before the caller hears of progress and the page can paint. */
export const DECRYPT_BATCH = 2000;
/**
 * The first batch is small so the first rows paint at once (issue #4: under 0.3 s after the
 * KDF); the rest go in full batches, as many in flight as the decryptor can take.
 */
export const FIRST_DECRYPT_BATCH = 250;

/** A batch to open and the columns of the page its positions point into. */
export interface PageBatch {
  readonly batch: RecordBatch;
  readonly records: PageRecords;
}

/** A page's live records cut into batches, and how many records they hold in all. */
export interface RecordBatches {
  readonly total: number;
  readonly batches: readonly PageBatch[];
}

/** Records of a page (positions) that open under one top-level folder's key. */
export interface RootedPositions {
  readonly rootId: string;
  readonly positions: number[];
}

/**
 * Slices a page's live records (positions in the page, in order) into batches per top-level
 * folder: a small first slice, then full ones. A record's top-level folder is its folder's in
 * the folder tree (`treeRootOf`), else the one the page names; worked out once per folder the
 * page names, not once per record.
 */
export function cutIntoBatches(
  records: PageRecords,
  live: readonly number[],
  treeRootOf: (folderId: string) => string | undefined,
): RootedPositions[] {
  const { folders, roots, folderIds } = records;
  const treeRoots = folderIds.map(treeRootOf);
  const batches: RootedPositions[] = [];
  let start = 0;
  while (start < live.length) {
    const size = start === 0 ? FIRST_DECRYPT_BATCH : DECRYPT_BATCH;
    const groups = new Map<string, number[]>();
    for (const at of live.slice(start, start + size)) {
      const rootId = treeRoots[folders[at]!] ?? folderIds[roots[at]!]!;
      const group = groups.get(rootId);
      if (group === undefined) groups.set(rootId, [at]);
      else group.push(at);
    }
    start += size;
    for (const [rootId, positions] of groups) batches.push({ rootId, positions });
  }
  return batches;
}
