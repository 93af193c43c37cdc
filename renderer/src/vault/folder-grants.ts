import type { ApplicationView } from '../../../shared/client/index.ts';
import type { GrantMode } from '../../../shared/protocol/device-api.ts';

/** An application that reaches a folder's records through a grant. */
export interface FolderGrantee {
  readonly appId: string;
  readonly name: string;
  readonly mode: GrantMode;
  readonly disabled: boolean;
}

/**
 * The applications that reach the records of a folder whose top-level folder is `rootId`, by
 * name. Grants are made on top-level folders (DESIGN.md "Applications, one-time tokens and
 * devices"), so a sub-folder is reached through its top-level folder's grants. Deleting the
 * folder takes what it holds from each of them.
 */
export function applicationsReaching(
  rootId: string,
  applications: readonly ApplicationView[],
): FolderGrantee[] {
  const reaching: FolderGrantee[] = [];
  for (const app of applications) {
    const grant = app.grants.find((g) => g.folderId === rootId);
    if (grant !== undefined) {
      reaching.push({ appId: app.id, name: app.name, mode: grant.mode, disabled: app.disabled });
    }
  }
  return reaching.sort((a, b) => a.name.localeCompare(b.name));
}
