import { fromBase64Url, fromUtf8, openManySettled, type AeadKey } from '../crypto/index.ts';
import type { ErrorCode } from '../protocol/error-codes.ts';
import { folderNameAad } from '../protocol/device-api.ts';
import type { FolderView } from './wire.ts';

type LiveFolderView = Extract<FolderView, { deleted: false }>;

/** Folders grouped by their top-level folder, whose key opens their names. */
export function byRoot<T extends { readonly rootId: string }>(
  views: readonly T[],
): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const view of views) {
    const group = groups.get(view.rootId);
    if (group === undefined) groups.set(view.rootId, [view]);
    else group.push(view);
  }
  return groups;
}

/**
 * The names of folders under one top-level folder, opened with its key and bound to each
 * folder's id (folderNameAad); for a folder whose name does not open, or that claims to be a
 * top-level folder other than `rootId` (or not to be `rootId` itself), the code it is
 * quarantined with.
 */
export async function openFolderNames(
  key: AeadKey,
  rootId: string,
  keyVersion: number,
  views: readonly LiveFolderView[],
): Promise<({ readonly name: string } | { readonly code: ErrorCode })[]> {
  const results = await openManySettled(
    key,
    views.map((view) => ({
      data: fromBase64Url(view.name),
      aad: folderNameAad(view.id, keyVersion),
    })),
  );
  return views.map((view, i) => {
    const result = results[i];
    const topLevel = view.parentId === null;
    if (topLevel !== (view.id === rootId)) return { code: 'crypto_integrity_failed' };
    if (result?.ok) return { name: fromUtf8(result.plaintext) };
    return { code: result?.error.code ?? 'crypto_integrity_failed' };
  });
}
