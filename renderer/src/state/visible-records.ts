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

function byOrder(sort: SortOrder): (a: RecordEntry, b: RecordEntry) => number {
  return sort === 'updated'
    ? (a, b) => b.updatedAt - a.updatedAt || collator.compare(a.summary.title, b.summary.title)
    : (a, b) => collator.compare(a.summary.title, b.summary.title);
}

/** The records, sorted: one collator pass at 100,000 records costs more than a keystroke may. */
interface Sorted {
  readonly records: readonly RecordEntry[];
  readonly sort: SortOrder;
  readonly list: readonly RecordEntry[];
}

/** The sorted records in the chosen folder and of the chosen type: the list before a search. */
interface Narrowed {
  readonly sorted: Sorted;
  readonly folders: readonly FolderNode[];
  readonly folderId: string | null;
  readonly typeFilter: ListQuery['typeFilter'];
  readonly list: readonly RecordEntry[];
}

/** Each entry's slot in the index (-1 when absent), for matching a search mask in list order. */
interface Slots {
  readonly narrowed: Narrowed;
  readonly index: SearchIndex;
  readonly version: number;
  readonly slots: Int32Array;
}

export type VisibleRecords = (
  records: readonly RecordEntry[],
  folders: readonly FolderNode[],
  index: SearchIndex | null,
  q: ListQuery,
) => readonly RecordEntry[];

/**
 * A visibleRecords that remembers its work between calls (issue #4): the sort runs once per new
 * records array or order, the folder and type filter once per change of those, and a keystroke
 * only walks the narrowed list against the index's match mask. The store replaces `records` and
 * `folders` on every change and never mutates them, which is what makes identity a safe key.
 */
export function createVisibleRecords(): VisibleRecords {
  let sorted: Sorted | null = null;
  let narrowed: Narrowed | null = null;
  let slotted: Slots | null = null;

  return (records, folders, index, q) => {
    if (sorted === null || sorted.records !== records || sorted.sort !== q.sort) {
      // Array.prototype.sort is stable, so sorting before filtering gives the order sorting
      // the filtered list would.
      sorted = { records, sort: q.sort, list: [...records].sort(byOrder(q.sort)) };
    }
    if (
      narrowed === null ||
      narrowed.sorted !== sorted ||
      narrowed.folders !== folders ||
      narrowed.folderId !== q.folderId ||
      narrowed.typeFilter !== q.typeFilter
    ) {
      const inFolder = q.folderId === null ? null : subtreeOf(folders, q.folderId);
      const list = sorted.list.filter(
        (r) =>
          (inFolder === null || inFolder.has(r.folderId)) &&
          (q.typeFilter === 'all' || r.summary.type === q.typeFilter),
      );
      narrowed = { sorted, folders, folderId: q.folderId, typeFilter: q.typeFilter, list };
    }
    if (q.query.trim() === '' || index === null) return narrowed.list;
    if (
      slotted === null ||
      slotted.narrowed !== narrowed ||
      slotted.index !== index ||
      slotted.version !== index.version
    ) {
      const slots = new Int32Array(narrowed.list.length);
      narrowed.list.forEach((r, i) => (slots[i] = index.positionOf(r.id)));
      slotted = { narrowed, index, version: index.version, slots };
    }
    const mask = index.matchMask(q.query);
    const { list } = narrowed;
    const { slots } = slotted;
    const out: RecordEntry[] = [];
    for (let i = 0; i < list.length; i += 1) {
      const at = slots[i]!;
      if (at >= 0 && mask[at] === 1) out.push(list[i]!);
    }
    return out;
  };
}

/**
 * The records the list shows: the selected folder and everything below it, of the chosen type,
 * matching every word of the search in the prebuilt index, in the chosen order. Stateless; the
 * list view uses createVisibleRecords to keep its sort between keystrokes.
 */
export function visibleRecords(
  records: readonly RecordEntry[],
  folders: readonly FolderNode[],
  index: SearchIndex | null,
  q: ListQuery,
): RecordEntry[] {
  return [...createVisibleRecords()(records, folders, index, q)];
}
