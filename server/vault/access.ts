import { CofferError } from '../../shared/errors.ts';
import type { Queryable } from '../db/types.ts';
import { FOLDER_COLUMNS, RECORD_COLUMNS } from './views.ts';
import type { FolderRow, RecordRow } from './views.ts';

/**
 * Per-user access: a user reaches a folder or record only through a membership of its top-level
 * folder. A missing id and an id the user may not reach give the same answer, word for word
 * (AC-01), so ids cannot be probed.
 */
export const folderNotFound = () => new CofferError('not_found', 'Folder not found');
export const recordNotFound = () => new CofferError('not_found', 'Record not found');

export async function accessibleFolder(
  tx: Queryable,
  userId: string,
  folderId: string,
): Promise<FolderRow> {
  const row = await tx.get<FolderRow>(
    `SELECT ${FOLDER_COLUMNS} FROM folders f
     JOIN folder_members m ON m.folder_id = f.root_id AND m.user_id = ?
     WHERE f.id = ? AND f.deleted = 0`,
    [userId, folderId],
  );
  if (!row) throw folderNotFound();
  return row;
}

export async function accessibleRecord(
  tx: Queryable,
  userId: string,
  recordId: string,
  options: { includeDeleted?: boolean } = {},
): Promise<RecordRow> {
  const row = await tx.get<RecordRow>(
    `SELECT ${RECORD_COLUMNS} FROM records r
     JOIN folder_members m ON m.folder_id = r.root_id AND m.user_id = ?
     WHERE r.id = ?${options.includeDeleted ? '' : ' AND r.deleted = 0'}`,
    [userId, recordId],
  );
  if (!row) throw recordNotFound();
  return row;
}

/**
 * The next value of the vault's one change sequence. The counter row stays locked until the
 * transaction ends, so sequence numbers commit in order and a sync cursor never skips a change
 * that commits late (a plain database sequence would allow exactly that).
 */
export async function nextSeq(tx: Queryable): Promise<number> {
  const row = await tx.get<{ value: number }>(
    "UPDATE counters SET value = value + 1 WHERE name = 'vault_seq' RETURNING value",
  );
  if (!row) throw new CofferError('internal_error', 'The vault sequence counter is missing');
  return row.value;
}

/**
 * Whether an id is taken by any folder or record, visible to this user or not: a taken id gets
 * one 409 whoever holds it (why that is acceptable: createApplication, apps/applications.ts).
 */
export async function idInUse(
  tx: Queryable,
  table: 'folders' | 'records',
  id: string,
): Promise<boolean> {
  return (await tx.get(`SELECT id FROM ${table} WHERE id = ?`, [id])) !== undefined;
}
