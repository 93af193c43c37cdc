import type { FolderNode, RecordEntry, SearchIndex } from '../../../shared/client/index.ts';
import type { RecordType } from '../../../shared/records/schema/index.ts';
import type { SortOrder } from './types.ts';

export interface ListQuery {
  readonly query: string;
  readonly typeFilter: RecordType | 'all';
  readonly sort: SortOrder;
  readonly folderId: string | null;
}

function subtreeOf(folders: readonly FolderNode[], rootId: string): Set<string> {
  const byParent = new Map<string, string[]>();
  for (const f of folders) {
    if (f.parentId === null) continue;
    byParent.set(f.parentId, [...(byParent.get(f.parentId) ?? []), f.id]);
  }
  const out = new Set<string>([rootId]);
  const queue = [rootId];
  for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
    for (const child of byParent.get(id) ?? []) {
      if (!out.has(child)) {
        out.add(child);
        queue.push(child);
      }
    }
  }
  return out;
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

/**
 * The records the list shows: the selected folder and everything below it, of the chosen type,
 * matching every word of the search in the prebuilt index, in the chosen order.
 */
export function visibleRecords(
  records: readonly RecordEntry[],
  folders: readonly FolderNode[],
  index: SearchIndex | null,
  q: ListQuery,
): RecordEntry[] {
  const inFolder = q.folderId === null ? null : subtreeOf(folders, q.folderId);
  let list = records.filter(
    (r) =>
      (inFolder === null || inFolder.has(r.folderId)) &&
      (q.typeFilter === 'all' || r.record.type === q.typeFilter),
  );
  if (q.query.trim() !== '' && index !== null) {
    const matching = new Set(index.search(q.query, { candidates: list.map((r) => r.id) }));
    list = list.filter((r) => matching.has(r.id));
  }
  return list.sort((a, b) =>
    q.sort === 'updated'
      ? b.updatedAt - a.updatedAt || collator.compare(a.record.title, b.record.title)
      : collator.compare(a.record.title, b.record.title),
  );
}
