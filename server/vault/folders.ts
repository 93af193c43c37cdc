import { CofferError } from '../../shared/errors.ts';
import type { Queryable } from '../db/types.ts';
import { ProblemError } from '../http/problem.ts';
import { accessibleFolder, idInUse, nextSeq } from './access.ts';
import { FOLDER_COLUMNS, folderView } from './views.ts';
import type { FolderRow } from './views.ts';

export interface NewFolder {
  id: string;
  parentId: string | null;
  name: string;
  revision: 1;
  /** Top-level folders only: the folder key wrapped under the creator's user key. */
  wrappedKey?: string | undefined;
  keyVersion?: number | undefined;
}

export interface FolderChange {
  parentId: string | null;
  name: string;
  revision: number;
}

/** SQL `IN` lists stay well under SQLite's bound-parameter limit. */
const CHUNK = 500;

export async function createFolder(tx: Queryable, userId: string, folder: NewFolder, now: number) {
  const topLevel = folder.parentId === null;
  if (topLevel !== (folder.wrappedKey !== undefined && folder.keyVersion !== undefined)) {
    throw new CofferError(
      'invalid_input',
      topLevel
        ? 'A top-level folder needs wrappedKey and keyVersion'
        : 'A sub-folder uses its top-level folder key: omit wrappedKey and keyVersion',
    );
  }
  const rootId =
    folder.parentId === null
      ? folder.id
      : (await accessibleFolder(tx, userId, folder.parentId)).root_id;
  if (await idInUse(tx, 'folders', folder.id)) {
    throw new CofferError('conflict', 'This folder id is already in use; generate a new one');
  }
  const seq = await nextSeq(tx);
  await tx.run(
    `INSERT INTO folders (id, root_id, parent_id, name, key_version, revision, seq, created_by,
       created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?)`,
    [
      folder.id,
      rootId,
      folder.parentId,
      folder.name,
      folder.keyVersion ?? null,
      seq,
      userId,
      now,
      now,
    ],
  );
  if (topLevel && folder.wrappedKey !== undefined && folder.keyVersion !== undefined) {
    await tx.run(
      `INSERT INTO folder_members
         (folder_id, user_id, role, wrapped_key, key_version, seq, created_at)
       VALUES (?, ?, 'owner', ?, ?, ?, ?)`,
      [folder.id, userId, folder.wrappedKey, folder.keyVersion, seq, now],
    );
  }
  return folderView(await readFolder(tx, folder.id));
}

/** Renames and/or moves a folder within its top-level folder, as a compare-and-swap. */
export async function updateFolder(
  tx: Queryable,
  userId: string,
  folderId: string,
  change: FolderChange,
  now: number,
) {
  const folder = await accessibleFolder(tx, userId, folderId);
  if (change.parentId !== folder.parent_id) await checkMove(tx, userId, folder, change.parentId);
  const seq = await nextSeq(tx);
  const updated = await tx.run(
    `UPDATE folders SET name = ?, parent_id = ?, revision = ?, seq = ?, updated_at = ?
     WHERE id = ? AND revision = ? AND deleted = 0`,
    [change.name, change.parentId, change.revision, seq, now, folderId, change.revision - 1],
  );
  if (updated !== 1) await folderConflict(tx, folderId);
  return folderView(await readFolder(tx, folderId));
}

/**
 * A folder's name and records are encrypted under its top-level folder's key, so a move stays
 * inside that tree: a top-level folder stays top-level, and a sub-folder never becomes its own
 * descendant. Moving between trees means re-encrypting, which the client does record by record.
 */
async function checkMove(
  tx: Queryable,
  userId: string,
  folder: FolderRow,
  parentId: string | null,
) {
  if (folder.parent_id === null || parentId === null) {
    throw new CofferError('folder_move_invalid', 'Top-level folders cannot be moved or nested');
  }
  const parent = await accessibleFolder(tx, userId, parentId);
  if (parent.root_id !== folder.root_id) {
    throw new CofferError(
      'folder_move_invalid',
      'A folder can move only within its top-level folder; move its records instead',
    );
  }
  const parents = await parentMap(tx, folder.root_id);
  for (let at: string | null = parentId; at !== null; at = parents.get(at) ?? null) {
    if (at === folder.id) {
      throw new CofferError('folder_move_invalid', 'A folder cannot move into its own sub-folder');
    }
  }
}

/** Deletes a folder and everything under it: one transaction, one sequence number, tombstones. */
export async function deleteFolder(
  tx: Queryable,
  userId: string,
  folderId: string,
  revision: number,
  now: number,
) {
  const folder = await accessibleFolder(tx, userId, folderId);
  const seq = await nextSeq(tx);
  const updated = await tx.run(
    `UPDATE folders SET deleted = 1, name = NULL, revision = ?, seq = ?, updated_at = ?
     WHERE id = ? AND revision = ? AND deleted = 0`,
    [revision, seq, now, folderId, revision - 1],
  );
  if (updated !== 1) await folderConflict(tx, folderId);
  const doomed = [folderId, ...descendants(await parentMap(tx, folder.root_id), folderId)];
  for (let i = 0; i < doomed.length; i += CHUNK) {
    const ids = doomed.slice(i, i + CHUNK);
    const marks = ids.map(() => '?').join(', ');
    await tx.run(
      `UPDATE folders SET deleted = 1, name = NULL, revision = revision + 1, seq = ?, updated_at = ?
       WHERE id IN (${marks}) AND deleted = 0`,
      [seq, now, ...ids],
    );
    await tx.run(
      `UPDATE records SET deleted = 1, ciphertext = NULL, revision = revision + 1, seq = ?,
         updated_at = ? WHERE folder_id IN (${marks}) AND deleted = 0`,
      [seq, now, ...ids],
    );
  }
  return folderView(await readFolder(tx, folderId));
}

export async function getFolder(tx: Queryable, userId: string, folderId: string) {
  return folderView(await accessibleFolder(tx, userId, folderId));
}

async function readFolder(tx: Queryable, folderId: string): Promise<FolderRow> {
  const row = await tx.get<FolderRow>(`SELECT ${FOLDER_COLUMNS} FROM folders f WHERE f.id = ?`, [
    folderId,
  ]);
  if (!row) throw new CofferError('internal_error', 'A folder vanished inside its transaction');
  return row;
}

/** The caller could read the folder a moment ago, so the current version may be shown (RL-02). */
async function folderConflict(tx: Queryable, folderId: string): Promise<never> {
  throw new ProblemError(
    'revision_conflict',
    'The folder changed since it was read; merge and retry',
    {
      current: folderView(await readFolder(tx, folderId)),
    },
  );
}

async function parentMap(tx: Queryable, rootId: string): Promise<Map<string, string | null>> {
  const rows = await tx.all<{ id: string; parent_id: string | null }>(
    'SELECT id, parent_id FROM folders WHERE root_id = ? AND deleted = 0',
    [rootId],
  );
  return new Map(rows.map((row) => [row.id, row.parent_id]));
}

function descendants(parents: Map<string, string | null>, folderId: string): string[] {
  const children = new Map<string, string[]>();
  for (const [id, parent] of parents) {
    if (parent !== null) children.set(parent, [...(children.get(parent) ?? []), id]);
  }
  const found: string[] = [];
  const queue = [...(children.get(folderId) ?? [])];
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    found.push(id);
    queue.push(...(children.get(id) ?? []));
  }
  return found;
}
