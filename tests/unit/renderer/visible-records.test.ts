import { describe, expect, it } from 'vitest';
import {
  recordEntry,
  SearchIndex,
  type FolderNode,
  type RecordEntry,
} from '../../../shared/client/index.ts';
import { parseRecord } from '../../../shared/records/schema/index.ts';
import { visibleRecords } from '../../../renderer/src/state/visible-records.ts';

const folder = (id: string, parentId: string | null): FolderNode => ({
  id,
  rootId: 'top',
  parentId,
  name: id,
  revision: 1,
});

function entry(id: string, folderId: string, title: string, updatedAt: number, extra = {}) {
  return recordEntry(
    { id, folderId, rootId: 'top', revision: 1, updatedAt },
    parseRecord({ type: 'login', schemaVersion: 1, title, ...extra }),
  );
}

const folders = [
  folder('top', null),
  folder('sub', 'top'),
  folder('deep', 'sub'),
  folder('other', null),
];
const records = [
  entry('r1', 'top', 'beta', 3, { username: 'alice' }),
  entry('r2', 'deep', 'Alpha', 1),
  entry('r3', 'other', 'gamma', 2, { username: 'alice' }),
  entry('r4', 'sub', 'item 10', 5),
  entry('r5', 'sub', 'item 9', 4),
];
const index = new SearchIndex();
for (const r of records) index.upsert(r.id, r.record);

const ids = (list: RecordEntry[]) => list.map((r) => r.id);
const base = { query: '', typeFilter: 'all' as const, sort: 'title' as const, folderId: null };

describe('the records the list shows', () => {
  it('includes a folder and everything below it', () => {
    expect(ids(visibleRecords(records, folders, index, { ...base, folderId: 'sub' }))).toEqual([
      'r2',
      'r5',
      'r4',
    ]);
  });

  it('sorts titles as people read them, or by last change', () => {
    expect(ids(visibleRecords(records, folders, index, base))).toEqual([
      'r2',
      'r1',
      'r3',
      'r5',
      'r4',
    ]);
    expect(ids(visibleRecords(records, folders, index, { ...base, sort: 'updated' }))).toEqual([
      'r4',
      'r5',
      'r1',
      'r3',
      'r2',
    ]);
  });

  it('searches within the folder and type chosen', () => {
    expect(ids(visibleRecords(records, folders, index, { ...base, query: 'ALICE' }))).toEqual([
      'r1',
      'r3',
    ]);
    expect(
      ids(visibleRecords(records, folders, index, { ...base, query: 'alice', folderId: 'top' })),
    ).toEqual(['r1']);
    expect(
      ids(visibleRecords(records, folders, index, { ...base, typeFilter: 'database' })),
    ).toEqual([]);
  });
});
