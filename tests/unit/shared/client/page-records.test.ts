import { describe, expect, it } from 'vitest';
import {
  recordColumns,
  syncPage,
  withoutCiphertexts,
  type RecordColumns,
} from '../../../../shared/client/page-records.ts';
import { syncResponse, type RecordView } from '../../../../shared/client/wire.ts';

const id = (c: string) => c.repeat(22);
const [root, sub, other] = [id('r'), id('s'), id('o')];

function live(n: number, folderId: string, rootId = root): RecordView {
  return {
    id: `${n}`.padStart(22, 'a'),
    rootId,
    folderId,
    revision: n + 1,
    seq: 100 + n,
    deleted: false,
    ciphertext: `AQID${n}`,
    updatedAt: 1_700_000_000_000 + n,
  };
}

const views: RecordView[] = [
  live(0, root),
  live(1, sub),
  live(2, sub),
  { id: id('d'), rootId: other, revision: 9, seq: 104, deleted: true },
  live(4, other, other),
  live(5, root),
];
const page = { cursor: 105, more: true, memberships: [], folders: [] };

/** Record i as the columns hold it, in the shape of its view (seq aside). */
function rowOf(columns: RecordColumns, i: number): Record<string, unknown> {
  const rootId = columns.folderIds[columns.roots[i]!];
  if (columns.deleted[i] === 1) {
    return { id: columns.ids[i], rootId, revision: columns.revisions[i], deleted: true };
  }
  return {
    id: columns.ids[i],
    rootId,
    folderId: columns.folderIds[columns.folders[i]!],
    revision: columns.revisions[i],
    deleted: false,
    ciphertext: columns.ciphertexts[i],
    updatedAt: columns.updatedAt[i],
  };
}

const withoutSeq = ({ seq: _seq, ...rest }: RecordView) => rest;

describe('a sync page read column by column', () => {
  it('holds every record of the page, each folder id listed once', () => {
    for (const columns of [
      recordColumns(views),
      syncPage.parse({ ...page, records: views }).records,
    ]) {
      expect(views.map((_, i) => rowOf(columns, i))).toEqual(views.map(withoutSeq));
      expect([...columns.folderIds].sort()).toEqual([root, sub, other].sort());
      expect(columns.ciphertexts[3]).toBe('');
    }
  });

  it('hands the vault the records without a single ciphertext', () => {
    const records = withoutCiphertexts(recordColumns(views));
    expect('ciphertexts' in records).toBe(false);
    expect(JSON.stringify(records)).not.toContain('AQID');
    expect(records.ids).toEqual(views.map((view) => view.id));
  });

  it('accepts and refuses the pages syncResponse does, naming the same place', () => {
    const broken: unknown[] = [
      [...views.slice(0, 2), { ...views[2], ciphertext: 'AQ==' }],
      [...views.slice(0, 4), { ...views[4], folderId: 'short' }],
      [{ ...views[0], deleted: 'no' }],
      [views[0], null],
      [{ ...views[3], revision: 0 }],
      'not a list',
      {},
    ];
    for (const records of broken) {
      const old = syncResponse.safeParse({ ...page, records });
      const now = syncPage.safeParse({ ...page, records });
      expect(old.success).toBe(false);
      expect(now.success).toBe(false);
      expect(now.error?.issues[0]?.path).toEqual(old.error?.issues[0]?.path);
    }
    expect(syncPage.safeParse({ ...page, records: [] }).success).toBe(true);
    expect(syncPage.safeParse({ ...page, cursor: -1, records: views }).success).toBe(false);
  });
});
