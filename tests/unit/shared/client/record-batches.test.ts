import { describe, expect, it } from 'vitest';
import { recordColumns } from '../../../../shared/client/page-records.ts';
import {
  cutIntoBatches,
  DECRYPT_BATCH,
  FIRST_DECRYPT_BATCH,
} from '../../../../shared/client/record-batches.ts';
import type { RecordView } from '../../../../shared/client/wire.ts';

const id = (c: string) => c.repeat(22);
const [rootA, subA, rootB, moved] = [id('a'), id('s'), id('b'), id('m')];

function view(n: number, folderId: string, rootId: string): RecordView {
  const recordId = `${n}`.padStart(22, 'r');
  return {
    id: recordId,
    rootId,
    folderId,
    revision: 1,
    seq: n,
    deleted: false,
    ciphertext: 'AQ',
    updatedAt: n,
  };
}

describe('a page cut into decrypt batches', () => {
  it('sends a small first batch, then full ones, each under one top-level folder', () => {
    const count = FIRST_DECRYPT_BATCH + DECRYPT_BATCH + 10;
    const views = Array.from({ length: count }, (_, n) =>
      n % 3 === 2 ? view(n, rootB, rootB) : view(n, n % 2 === 0 ? rootA : subA, rootA),
    );
    const live = views.map((_, at) => at).filter((at) => at !== 7);
    const batches = cutIntoBatches(recordColumns(views), live, () => undefined);
    // Every live record once, in page order within its batch.
    expect(batches.flatMap((b) => b.positions).sort((x, y) => x - y)).toEqual(live);
    for (const { rootId, positions } of batches) {
      expect(positions.every((at) => views[at]!.rootId === rootId)).toBe(true);
      expect(positions).toEqual([...positions].sort((x, y) => x - y));
    }
    const first = batches.filter((b) => b.positions[0]! < FIRST_DECRYPT_BATCH);
    expect(first.reduce((n, b) => n + b.positions.length, 0)).toBe(FIRST_DECRYPT_BATCH);
    expect(batches.every((b) => b.positions.length <= DECRYPT_BATCH)).toBe(true);
    expect(batches).toHaveLength(6);
  });

  it('takes a folder’s top-level folder from the folder tree over what the page says', () => {
    const views = [view(0, moved, rootA), view(1, subA, rootA), view(2, moved, rootA)];
    const tree = new Map([[moved, rootB]]);
    const batches = cutIntoBatches(recordColumns(views), [0, 1, 2], (folderId) =>
      tree.get(folderId),
    );
    expect(batches).toEqual([
      { rootId: rootB, positions: [0, 2] },
      { rootId: rootA, positions: [1] },
    ]);
  });
});
