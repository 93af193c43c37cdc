import { CofferError } from '../../shared/errors.ts';
import type { Queryable } from '../db/types.ts';
import { ProblemError } from '../http/problem.ts';
import { accessibleFolder, accessibleRecord, idInUse, nextSeq } from './access.ts';
import { RECORD_COLUMNS, recordView } from './views.ts';
import type { RecordRow } from './views.ts';

export interface RecordWrite {
  folderId: string;
  ciphertext: string;
  revision: number;
}

export async function createRecord(
  tx: Queryable,
  userId: string,
  record: RecordWrite & { id: string },
  now: number,
) {
  const folder = await accessibleFolder(tx, userId, record.folderId);
  if (await idInUse(tx, 'records', record.id)) {
    throw new CofferError('conflict', 'This record id is already in use; generate a new one');
  }
  const seq = await nextSeq(tx);
  await tx.run(
    `INSERT INTO records (id, folder_id, root_id, ciphertext, revision, seq, created_at, updated_at)
     VALUES (?, ?, ?, ?, 1, ?, ?, ?)`,
    [record.id, folder.id, folder.root_id, record.ciphertext, seq, now, now],
  );
  return recordView(await readRecord(tx, record.id));
}

/**
 * Replaces a record's ciphertext (and folder, for a move: the client re-encrypted it under the
 * destination's key) as a compare-and-swap on the revision the client proposes, current + 1.
 * A stale revision changes nothing and answers 409 with the current version to merge (RL-02).
 */
export async function updateRecord(
  tx: Queryable,
  userId: string,
  recordId: string,
  write: RecordWrite,
  now: number,
) {
  await accessibleRecord(tx, userId, recordId);
  const folder = await accessibleFolder(tx, userId, write.folderId);
  const seq = await nextSeq(tx);
  const updated = await tx.run(
    `UPDATE records SET folder_id = ?, root_id = ?, ciphertext = ?, revision = ?, seq = ?,
       updated_at = ? WHERE id = ? AND revision = ? AND deleted = 0`,
    [
      folder.id,
      folder.root_id,
      write.ciphertext,
      write.revision,
      seq,
      now,
      recordId,
      write.revision - 1,
    ],
  );
  if (updated !== 1) await recordConflict(tx, recordId);
  return recordView(await readRecord(tx, recordId));
}

/** Deletion leaves a tombstone (no ciphertext) so other devices learn of it through sync. */
export async function deleteRecord(
  tx: Queryable,
  userId: string,
  recordId: string,
  revision: number,
  now: number,
) {
  await accessibleRecord(tx, userId, recordId);
  const seq = await nextSeq(tx);
  const updated = await tx.run(
    `UPDATE records SET deleted = 1, ciphertext = NULL, revision = ?, seq = ?, updated_at = ?
     WHERE id = ? AND revision = ? AND deleted = 0`,
    [revision, seq, now, recordId, revision - 1],
  );
  if (updated !== 1) await recordConflict(tx, recordId);
  return recordView(await readRecord(tx, recordId));
}

export async function getRecord(tx: Queryable, userId: string, recordId: string) {
  return recordView(await accessibleRecord(tx, userId, recordId));
}

async function readRecord(tx: Queryable, recordId: string): Promise<RecordRow> {
  const row = await tx.get<RecordRow>(`SELECT ${RECORD_COLUMNS} FROM records r WHERE r.id = ?`, [
    recordId,
  ]);
  if (!row) throw new CofferError('internal_error', 'A record vanished inside its transaction');
  return row;
}

async function recordConflict(tx: Queryable, recordId: string): Promise<never> {
  throw new ProblemError(
    'revision_conflict',
    'The record changed since it was read; merge and retry',
    {
      current: recordView(await readRecord(tx, recordId)),
    },
  );
}
