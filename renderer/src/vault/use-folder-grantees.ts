import { useEffect, useMemo, useState } from 'react';
import { useApp } from '../app/store-context.tsx';
import { applicationsReaching, type FolderGrantee } from './folder-grants.ts';

export type FolderGrantees =
  | { readonly status: 'loading' }
  | { readonly status: 'unknown' }
  | { readonly status: 'known'; readonly grantees: readonly FolderGrantee[] };

/**
 * Which applications reach the folders under the top-level folder `rootId`. The applications
 * are loaded first when this session has not yet (they load with the Applications screen); a
 * failed load is said, never taken as "none".
 */
export function useFolderGrantees(rootId: string): FolderGrantees {
  const applications = useApp((s) => s.applications);
  const appsLoaded = useApp((s) => s.appsLoaded);
  const loadApps = useApp((s) => s.loadApps);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    if (!appsLoaded) loadApps().catch(() => setFailed(true));
  }, [appsLoaded, loadApps]);

  return useMemo(() => {
    if (appsLoaded) {
      return { status: 'known', grantees: applicationsReaching(rootId, applications) };
    }
    return { status: failed ? 'unknown' : 'loading' };
  }, [appsLoaded, failed, rootId, applications]);
}
