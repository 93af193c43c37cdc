import { describe, expect, it } from 'vitest';
import type { ApplicationView, GrantView } from '../../../shared/client/index.ts';
import { applicationsReaching } from '../../../renderer/src/vault/folder-grants.ts';

const PRODUCTION = 'p'.repeat(22);
const STAGING = 's'.repeat(22);

function grant(folderId: string, mode: GrantView['mode']): GrantView {
  return {
    folderId,
    mode,
    appKeyVersion: 1,
    folderKeyVersion: 1,
    wrappedFolderKey: 'A'.repeat(43),
  };
}

function app(id: string, name: string, grants: GrantView[], disabled = false): ApplicationView {
  return {
    id: id.repeat(22),
    name,
    keyVersion: 1,
    disabled,
    createdAt: 0,
    updatedAt: 0,
    managers: [],
    wrappedAppKey: null,
    wrappedAppKeyVersion: null,
    grants,
  };
}

describe('applications that reach a folder', () => {
  const applications = [
    app('d', 'Deploys', [grant(PRODUCTION, 'read-only')]),
    app('c', 'CI', [grant(STAGING, 'editable'), grant(PRODUCTION, 'editable')], true),
    app('b', 'Backups', [grant(STAGING, 'read-only')]),
  ];

  it('names each application granted the top-level folder, with its access, by name', () => {
    expect(applicationsReaching(PRODUCTION, applications)).toEqual([
      { appId: 'c'.repeat(22), name: 'CI', mode: 'editable', disabled: true },
      { appId: 'd'.repeat(22), name: 'Deploys', mode: 'read-only', disabled: false },
    ]);
  });

  it('names none for a folder no application is granted', () => {
    expect(applicationsReaching('x'.repeat(22), applications)).toEqual([]);
  });
});
