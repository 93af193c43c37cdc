/** Rows as stored and as sent: ciphertext and DESIGN.md's access metadata, nothing else. */
export interface FolderRow extends Record<string, unknown> {
  id: string;
  root_id: string;
  parent_id: string | null;
  name: string | null;
  key_version: number | null;
  revision: number;
  seq: number;
  deleted: number;
  updated_at: number;
}

export interface RecordRow extends Record<string, unknown> {
  id: string;
  folder_id: string;
  root_id: string;
  ciphertext: string | null;
  revision: number;
  seq: number;
  deleted: number;
  updated_at: number;
}

export const FOLDER_COLUMNS =
  'f.id, f.root_id, f.parent_id, f.name, f.key_version, f.revision, f.seq, f.deleted, f.updated_at';
export const RECORD_COLUMNS =
  'r.id, r.folder_id, r.root_id, r.ciphertext, r.revision, r.seq, r.deleted, r.updated_at';

export function folderView(row: FolderRow) {
  const base = { id: row.id, rootId: row.root_id, revision: row.revision, seq: row.seq };
  if (row.deleted === 1) return { ...base, deleted: true as const };
  return {
    ...base,
    deleted: false as const,
    parentId: row.parent_id,
    name: row.name,
    ...(row.key_version === null ? {} : { keyVersion: row.key_version }),
    updatedAt: row.updated_at,
  };
}

export function recordView(row: RecordRow) {
  const base = { id: row.id, rootId: row.root_id, revision: row.revision, seq: row.seq };
  if (row.deleted === 1) return { ...base, deleted: true as const };
  return {
    ...base,
    deleted: false as const,
    folderId: row.folder_id,
    ciphertext: row.ciphertext,
    updatedAt: row.updated_at,
  };
}
