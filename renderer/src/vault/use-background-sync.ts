import { useEffect } from 'react';
import { useAppStore } from '../app/store-context.tsx';

/** How often an open, visible vault pulls changes made elsewhere (CLI, another session). */
export const BACKGROUND_SYNC_MS = 45_000;

/**
 * Keeps the open vault current without a reload (issue #4): an incremental sync from the
 * cursor when the window regains focus or becomes visible, and every BACKGROUND_SYNC_MS while
 * it stays visible. Nothing runs while the page is hidden or the vault locked, and one sync at
 * a time. An open edit is never touched: the editor compares the revision it began from and
 * offers the newer version beside the edit (RecordPane's EditPane).
 */
export function useBackgroundSync(intervalMs = BACKGROUND_SYNC_MS): void {
  const store = useAppStore();
  useEffect(() => {
    let running = false;
    const syncNow = () => {
      const state = store.getState();
      const idle = state.syncProgress === null && state.busy === null;
      if (running || !idle || document.visibilityState !== 'visible') return;
      if (state.phase !== 'vault' || state.client?.isUnlocked !== true) return;
      running = true;
      state
        .refresh()
        // A failed background pull changes nothing shown; the next one, or the user's next
        // write, meets the same cause (offline, signed out) and reports it there.
        .catch(() => undefined)
        .finally(() => {
          running = false;
        });
    };
    const onVisibility = () => {
      if (document.visibilityState === 'visible') syncNow();
    };
    const timer = window.setInterval(syncNow, intervalMs);
    window.addEventListener('focus', syncNow);
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      window.clearInterval(timer);
      window.removeEventListener('focus', syncNow);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [store, intervalMs]);
}
