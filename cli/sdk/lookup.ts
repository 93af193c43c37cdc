import { CofferError } from '../../shared/errors.ts';
import type { ReferenceRecord } from '../../shared/notation/index.ts';
import type { FolderInfo, VaultItem, VaultView } from './vault-view.ts';

/**
 * Finding records by folder path and title. Names are ciphertext on the server, so this runs on
 * the device after decryption (shared/protocol/README.md, "Device API"). Matching is exact —
 * no case folding, no Unicode normalisation — so a path names one thing or is reported.
 */

/** Quotes a user-supplied path for a message; paths are names, not secrets. */
export function showPath(segments: readonly string[]): string {
  const text = segments.join('/');
  return JSON.stringify(text.length > 120 ? `${text.slice(0, 120)}…` : text);
}

function samePath(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((part, i) => part === b[i]);
}

/** The folder at `segments` (top-level folder first); not_found or reference_ambiguous. */
export function folderByPath(view: VaultView, segments: readonly string[]): FolderInfo {
  const matches = view.folders().filter((folder) => samePath(folder.path, segments));
  if (matches.length === 0) {
    throw new CofferError(
      'not_found',
      `No folder ${showPath(segments)} is granted to this device. ` +
        'Run "coffer list" to see the folders it can read.',
    );
  }
  if (matches.length > 1) {
    throw new CofferError(
      'reference_ambiguous',
      `${matches.length} folders are called ${showPath(segments)}; refer to the record by its id.`,
    );
  }
  return matches[0] as FolderInfo;
}

/** Folder ids at or beneath `folder`. */
export function subtree(view: VaultView, folder: FolderInfo): Set<string> {
  const inside = new Set([folder.id]);
  for (const other of view.folders()) {
    if (
      other.path.length > folder.path.length &&
      samePath(other.path.slice(0, folder.path.length), folder.path) &&
      other.rootId === folder.rootId
    ) {
      inside.add(other.id);
    }
  }
  return inside;
}

async function byTitle(view: VaultView, title: string, inFolder?: FolderInfo): Promise<VaultItem> {
  const items = await view.items(
    view.recordIds(inFolder === undefined ? undefined : new Set([inFolder.id])),
  );
  const matches = items.filter((item) => item.record.title === title);
  const where = inFolder === undefined ? [title] : [...inFolder.path, title];
  if (matches.length === 0) {
    throw new CofferError(
      'not_found',
      `No record ${showPath(where)} is granted to this device. ` +
        'Run "coffer list" to see what it can read.',
    );
  }
  if (matches.length > 1) {
    throw new CofferError(
      'reference_ambiguous',
      `${matches.length} records are called ${showPath(where)}; refer to one by its id ` +
        '(see "coffer list").',
    );
  }
  return matches[0] as VaultItem;
}

/** The record a reference names: by id, or by folder path and title. */
export async function findRecord(view: VaultView, record: ReferenceRecord): Promise<VaultItem> {
  if (record.kind === 'id') {
    const item = await view.item(record.id);
    if (item === undefined) {
      throw new CofferError(
        'not_found',
        `Record ${record.id} does not exist or is not granted to this device.`,
      );
    }
    return item;
  }
  if (record.folders.length === 0) return byTitle(view, record.title);
  return byTitle(view, record.title, folderByPath(view, record.folders));
}
