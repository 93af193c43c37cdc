import type { Queryable } from '../db/types.ts';
import { FOLDER_COLUMNS, RECORD_COLUMNS, folderView, recordView } from './views.ts';
import type { FolderRow, RecordRow } from './views.ts';

export interface SyncRequest {
  cursor: number;
  /** Limits the answer to one top-level folder, e.g. to pull a newly shared one from cursor 0. */
  rootId?: string | undefined;
  limit: number;
}

/**
 * Incremental sync: every folder and record (tombstones included) whose sequence is above the
 * cursor, in the user's top-level folders. The committed counter is read first and the answer
 * stops there, so a change still committing can never fall behind a cursor already handed out.
 * Pages end at a whole sequence number: a cascade that shares one number is never split.
 */
export async function syncChanges(db: Queryable, userId: string, request: SyncRequest) {
  const counter = await db.get<{ value: number }>(
    "SELECT value FROM counters WHERE name = 'vault_seq'",
  );
  const head = counter?.value ?? 0;
  const memberships = await db.all<{
    folder_id: string;
    wrapped_key: string;
    key_version: number;
    role: string;
  }>(
    `SELECT m.folder_id, m.wrapped_key, m.key_version, m.role FROM folder_members m
     JOIN folders f ON f.id = m.folder_id WHERE m.user_id = ? AND f.deleted = 0`,
    [userId],
  );

  const oneRoot = request.rootId !== undefined;
  const scope = (t: 'f' | 'r') =>
    `${t}.root_id IN (SELECT folder_id FROM folder_members WHERE user_id = ?)
     AND ${t}.seq > ? AND ${t}.seq <= ?${oneRoot ? ` AND ${t}.root_id = ?` : ''}`;
  const scopeParams = (upper: number) => [
    userId,
    request.cursor,
    upper,
    ...(request.rootId === undefined ? [] : [request.rootId]),
  ];

  // Find where this page ends: the limit-th smallest sequence across both tables.
  const probe = (sql: string) =>
    db.all<{ seq: number }>(sql, [...scopeParams(head), request.limit + 1]);
  const folderSeqs = await probe(
    `SELECT f.seq FROM folders f WHERE ${scope('f')} ORDER BY f.seq LIMIT ?`,
  );
  const recordSeqs = await probe(
    `SELECT r.seq FROM records r WHERE ${scope('r')} ORDER BY r.seq LIMIT ?`,
  );
  const seqs = [...folderSeqs, ...recordSeqs].map((row) => row.seq).sort((a, b) => a - b);
  const upper = (seqs.length > request.limit ? seqs[request.limit - 1] : undefined) ?? head;
  const truncated = folderSeqs.length > request.limit || recordSeqs.length > request.limit;
  // A probe cut short by rows that all share `upper` says nothing of what lies beyond: ask.
  const beyond = async (t: 'f' | 'r', table: string) =>
    (await db.get(
      `SELECT ${t}.seq FROM ${table} ${t} WHERE ${scope(t)} LIMIT 1`,
      scopeParams(head).with(1, upper),
    )) !== undefined;
  const more =
    seqs.some((seq) => seq > upper) ||
    (truncated && ((await beyond('f', 'folders')) || (await beyond('r', 'records'))));

  const folders = await db.all<FolderRow>(
    `SELECT ${FOLDER_COLUMNS} FROM folders f WHERE ${scope('f')} ORDER BY f.seq`,
    scopeParams(upper),
  );
  const records = await db.all<RecordRow>(
    `SELECT ${RECORD_COLUMNS} FROM records r WHERE ${scope('r')} ORDER BY r.seq`,
    scopeParams(upper),
  );
  return {
    // A cursor above the head (a restored database) comes back lowered: the client resyncs.
    cursor: upper,
    more,
    memberships: memberships.map((m) => ({
      folderId: m.folder_id,
      role: m.role,
      wrappedKey: m.wrapped_key,
      keyVersion: m.key_version,
    })),
    folders: folders.map(folderView),
    records: records.map(recordView),
  };
}
