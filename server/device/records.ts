import { CofferError } from '../../shared/errors.ts';
import type {
  DeviceRecordCreate,
  DeviceRecordUpdate,
  DeviceRecordWritten,
  GrantMode,
} from '../../shared/protocol/device-api.ts';
import { PROTOCOL_VERSION } from '../../shared/protocol/version.ts';
import type { Queryable } from '../db/types.ts';
import { ProblemError } from '../http/problem.ts';
import { idInUse, nextSeq } from '../vault/access.ts';
import type { AuthenticatedDevice } from './authenticate.ts';

/** Same words for a folder or record that is missing and one that is not granted (AC-01). */
const folderNotFound = () => new CofferError('not_found', 'Folder not found');
const recordNotFound = () => new CofferError('not_found', 'Record not found');

function assertEditable(mode: GrantMode): void {
  if (mode !== 'editable') {
    throw new CofferError(
      'read_only_grant',
      'The application holds this folder read-only; ask its manager for an editable grant',
    );
  }
}

function assertCurrentKey(keyVersion: number, current: number): void {
  if (keyVersion !== current) {
    throw new CofferError(
      'conflict',
      `The record must be sealed under the folder's current key version (${current})`,
    );
  }
}

interface TargetFolder extends Record<string, unknown> {
  id: string;
  root_id: string;
  root_key_version: number;
  mode: GrantMode;
}

/** A live folder in a live granted tree, with the grant's mode; otherwise not found. */
async function grantedFolder(tx: Queryable, appId: string, folderId: string) {
  const folder = await tx.get<TargetFolder>(
    `SELECT f.id, f.root_id, rf.key_version AS root_key_version, g.mode FROM folders f
     JOIN folders rf ON rf.id = f.root_id AND rf.deleted = 0
     JOIN app_grants g ON g.folder_id = f.root_id AND g.app_id = ?
     WHERE f.id = ? AND f.deleted = 0`,
    [appId, folderId],
  );
  if (!folder) throw folderNotFound();
  return folder;
}

function written(
  id: string,
  write: { folderId: string; revision: number; keyVersion: number; schemaVersion: number },
): DeviceRecordWritten {
  return {
    protocol: PROTOCOL_VERSION,
    id,
    folderId: write.folderId,
    revision: write.revision,
    keyVersion: write.keyVersion,
    schemaVersion: write.schemaVersion,
  };
}

/** Creates a record under an editable grant; the sync cursor advances as for a user's write. */
export async function deviceCreateRecord(
  tx: Queryable,
  device: AuthenticatedDevice,
  record: DeviceRecordCreate,
  now: number,
): Promise<DeviceRecordWritten> {
  const folder = await grantedFolder(tx, device.appId, record.folderId);
  assertEditable(folder.mode);
  assertCurrentKey(record.keyVersion, folder.root_key_version);
  if (await idInUse(tx, 'records', record.id)) {
    throw new CofferError('conflict', 'This record id is already in use; generate a new one');
  }
  const seq = await nextSeq(tx);
  await tx.run(
    `INSERT INTO records (id, folder_id, root_id, ciphertext, revision, seq, created_at, updated_at,
       key_version, schema_version) VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?)`,
    [
      record.id,
      folder.id,
      folder.root_id,
      record.ciphertext,
      seq,
      now,
      now,
      record.keyVersion,
      record.schemaVersion,
    ],
  );
  return written(record.id, record);
}

interface TargetRecord extends Record<string, unknown> {
  id: string;
  folder_id: string;
  revision: number;
  root_key_version: number;
  mode: GrantMode;
}

/**
 * Updates a record under an editable grant as a compare-and-swap on the revision (RL-02): the
 * stored revision must be `revision − 1`, or nothing changes and the answer is 409 with the
 * current revision. Devices do not move records, so the folder must be the record's own.
 */
export async function deviceUpdateRecord(
  tx: Queryable,
  device: AuthenticatedDevice,
  recordId: string,
  update: DeviceRecordUpdate,
  now: number,
): Promise<DeviceRecordWritten> {
  const record = await tx.get<TargetRecord>(
    `SELECT r.id, r.folder_id, r.revision, rf.key_version AS root_key_version, g.mode
     FROM records r
     JOIN folders rf ON rf.id = r.root_id AND rf.deleted = 0
     JOIN app_grants g ON g.folder_id = r.root_id AND g.app_id = ?
     WHERE r.id = ? AND r.deleted = 0`,
    [device.appId, recordId],
  );
  if (!record) throw recordNotFound();
  assertEditable(record.mode);
  if (update.folderId !== record.folder_id) {
    throw new CofferError('conflict', 'A device cannot move a record: folderId must stay the same');
  }
  assertCurrentKey(update.keyVersion, record.root_key_version);
  const seq = await nextSeq(tx);
  const changed = await tx.run(
    `UPDATE records SET ciphertext = ?, revision = ?, key_version = ?, schema_version = ?,
       seq = ?, updated_at = ? WHERE id = ? AND revision = ? AND deleted = 0`,
    [
      update.ciphertext,
      update.revision,
      update.keyVersion,
      update.schemaVersion,
      seq,
      now,
      recordId,
      update.revision - 1,
    ],
  );
  if (changed !== 1) {
    const current = await tx.get<{ revision: number }>(
      'SELECT revision FROM records WHERE id = ?',
      [recordId],
    );
    throw new ProblemError(
      'revision_conflict',
      'The record changed since it was read; fetch it, merge and retry',
      { currentRevision: current?.revision ?? record.revision },
    );
  }
  return written(recordId, update);
}
