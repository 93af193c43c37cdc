import { describe, expect, it } from 'vitest';
import {
  recordEntry,
  SearchIndex,
  type FolderNode,
  type RecordEntry,
} from '../../../shared/client/index.ts';
import { parseRecord } from '../../../shared/records/schema/index.ts';
import {
  createVisibleRecords,
  type ListQuery,
} from '../../../renderer/src/state/visible-records.ts';

const folders: FolderNode[] = ['top', 'sub', 'other'].map((id) => ({
  id,
  rootId: id === 'other' ? 'other' : 'top',
  parentId: id === 'sub' ? 'top' : null,
  name: id,
  revision: 1,
}));

/** A seeded generator, so a failure reproduces. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const WORDS = ['postgres', 'prod', 'redis', 'ops', 'Alpha', 'beta', 'item 9', 'item 10', 'svc'];

function makeRecords(count: number, seed: number): RecordEntry[] {
  const rnd = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  return Array.from({ length: count }, (_, i) => {
    const database = rnd() < 0.3;
    const title = `${pick(WORDS)} ${pick(WORDS)}`;
    return recordEntry(
      {
        id: `r${i}`,
        folderId: pick(['top', 'sub', 'other']),
        rootId: 'top',
        revision: 1,
        // Few distinct times, so ties fall back to the title.
        updatedAt: Math.floor(rnd() * 5),
      },
      parseRecord(
        database
          ? {
              type: 'database',
              schemaVersion: 1,
              title,
              engine: 'postgresql',
              host: `${pick(['pg', 'redis', 'ops'])}-${i}.example.com`,
            }
          : { type: 'login', schemaVersion: 1, title, username: `${pick(WORDS)}@example.com` },
      ),
    );
  });
}

/** The plain definition the memoised pipeline must agree with: filter, match, then sort. */
function expected(records: readonly RecordEntry[], index: SearchIndex, q: ListQuery): string[] {
  const inFolder =
    q.folderId === null ? null : q.folderId === 'top' ? ['top', 'sub'] : [q.folderId];
  const terms = q.query.toLowerCase().split(/\s+/u).filter(Boolean);
  const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });
  return records
    .filter((r) => inFolder === null || inFolder.includes(r.folderId))
    .filter((r) => q.typeFilter === 'all' || r.record.type === q.typeFilter)
    .filter((r) => terms.length === 0 || (index.size > 0 && index.matches(r.id, terms)))
    .sort((a, b) =>
      q.sort === 'updated'
        ? b.updatedAt - a.updatedAt || collator.compare(a.record.title, b.record.title)
        : collator.compare(a.record.title, b.record.title),
    )
    .map((r) => r.id);
}

const ids = (list: readonly RecordEntry[]) => list.map((r) => r.id);

describe('the memoised record list', () => {
  it('shows exactly the matching records, in order, keystroke after keystroke', () => {
    const records = makeRecords(400, 7);
    const index = new SearchIndex();
    for (const r of records) index.upsert(r.id, r.record);
    const visible = createVisibleRecords();
    const queries = ['p', 'po', 'postgres', 'postgres ', 'postgres p', 'postgres pr', 'postgres'];
    const views: Omit<ListQuery, 'query'>[] = [
      { typeFilter: 'all', sort: 'title', folderId: null },
      { typeFilter: 'database', sort: 'title', folderId: 'top' },
      { typeFilter: 'all', sort: 'updated', folderId: 'other' },
    ];
    let nonEmpty = 0;
    for (const view of views) {
      for (const query of [...queries, 'item 1', 'item 10', '', 'zzz']) {
        const q = { ...view, query };
        const shown = ids(visible(records, folders, index, q));
        expect(shown).toEqual(expected(records, index, q));
        if (shown.length > 0) nonEmpty += 1;
      }
    }
    expect(nonEmpty).toBeGreaterThan(20);
  });

  it('follows edits, removals and a new records array without a stale order or match', () => {
    let records = makeRecords(200, 11);
    const index = new SearchIndex();
    for (const r of records) index.upsert(r.id, r.record);
    const visible = createVisibleRecords();
    const q: ListQuery = { query: 'redis', typeFilter: 'all', sort: 'title', folderId: null };
    expect(ids(visible(records, folders, index, q))).toEqual(expected(records, index, q));

    // Rename one record so it matches and sorts first; drop another from vault and index.
    const renamed = recordEntry(
      records[5]!,
      parseRecord({ type: 'login', schemaVersion: 1, title: '0 redis' }),
    );
    const dropped = records[0]!;
    records = records.filter((r) => r !== dropped).map((r) => (r.id === renamed.id ? renamed : r));
    index.upsert(renamed.id, renamed.record);
    index.remove(dropped.id);

    const shown = ids(visible(records, folders, index, q));
    expect(shown[0]).toBe(renamed.id);
    expect(shown).not.toContain(dropped.id);
    expect(shown).toEqual(expected(records, index, q));
    expect(ids(visible(records, folders, index, { ...q, sort: 'updated' }))).toEqual(
      expected(records, index, { ...q, sort: 'updated' }),
    );
  });

  it('shows nothing for a search when a record is missing from the index', () => {
    const records = makeRecords(20, 3);
    const index = new SearchIndex();
    const visible = createVisibleRecords();
    const q: ListQuery = { query: 'a', typeFilter: 'all', sort: 'title', folderId: null };
    expect(visible(records, folders, index, q)).toEqual([]);
    expect(visible(records, folders, null, q)).toHaveLength(20);
  });
});
