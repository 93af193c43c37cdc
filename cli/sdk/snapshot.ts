import type { DeviceVaultQuery } from '../../shared/protocol/device-api.ts';
import type { CachePayload, CacheSnapshot, CarriedState } from './cache.ts';
import type { RecordTarget } from './target.ts';
import type { VaultSnapshot } from './vault-view.ts';

/** Records by id can be fetched alone; a path needs the titles of the whole vault. */
export function queryFor(targets: readonly RecordTarget[]): DeviceVaultQuery {
  const ids = new Set<string>();
  for (const target of targets) {
    if (target.record.kind !== 'id') return {};
    ids.add(target.record.id);
  }
  return ids.size > 0 && ids.size <= 256 ? { ids: [...ids] } : {};
}

/**
 * A filtered answer updates the records it covers and keeps the rest of the previous cached
 * snapshot; folders and grants always come whole, and records outside them are dropped.
 */
export function merge(
  previous: CarriedState['snapshot'],
  fresh: VaultSnapshot,
  query: DeviceVaultQuery,
): CacheSnapshot {
  if (
    query.ids === undefined ||
    previous === null ||
    previous.appKeyVersion !== fresh.appKeyVersion
  ) {
    return fresh;
  }
  const asked = new Set(query.ids);
  const folders = new Set(fresh.folders.map((folder) => folder.id));
  const records = new Map<string, CacheSnapshot['records'][number]>(
    previous.records
      .filter((record) => !asked.has(record.id) && folders.has(record.folderId))
      .map((record) => [record.id, record]),
  );
  for (const record of fresh.records) records.set(record.id, record);
  return { ...fresh, records: [...records.values()] };
}

/**
 * Whether the cache would hold what it already holds: then only its timestamp is renewed
 * (DeviceCache.saveUnchanged) instead of serialising the whole vault again. Record order does
 * not count (merge moves fresh records last; lookups go by id, folder and title).
 */
export function sameState(previous: CarriedState, next: CachePayload): boolean {
  return (
    sameRevisions(previous.revisions, next.revisions) &&
    (previous.snapshot === null || next.snapshot === null
      ? previous.snapshot === next.snapshot
      : sameSnapshot(previous.snapshot, next.snapshot))
  );
}

function sameRevisions(
  a: Readonly<Record<string, number>>,
  b: Readonly<Record<string, number>>,
): boolean {
  const ids = Object.keys(a);
  return ids.length === Object.keys(b).length && ids.every((id) => b[id] === a[id]);
}

/**
 * Stored grants, folders and records are compared in their JSON form: they were written from a
 * validated answer, whose members zod puts in schema order, so equal content is equal text.
 */
function sameSnapshot(
  previous: NonNullable<CarriedState['snapshot']>,
  next: CacheSnapshot,
): boolean {
  const same = (a: unknown, b: unknown) => a === b || JSON.stringify(a) === JSON.stringify(b);
  if (previous.appId !== next.appId || previous.appKeyVersion !== next.appKeyVersion) return false;
  if (!same(previous.grants, next.grants) || !same(previous.folders, next.folders)) return false;
  if (previous.records.length !== next.records.length) return false;
  const before = new Map<string, unknown>(previous.records.map((record) => [record.id, record]));
  // Each previous record matches once: a repeated id cannot stand in for a missing record.
  return next.records.every((record) => {
    const old = before.get(record.id);
    before.delete(record.id);
    return same(old, record);
  });
}
