import { useEffect } from 'react';
import type { AppStore } from '../state/store.ts';
import type { Platform } from '../platform/index.ts';

const ACTIVITY = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart'] as const;

/** Ctrl+L on Windows and Linux, Cmd+L on macOS (issue #4 item 6). */
export function isLockShortcut(event: KeyboardEvent): boolean {
  const mac = /Mac|iPhone|iPad/.test(navigator.platform);
  const modifier = mac ? event.metaKey && !event.ctrlKey : event.ctrlKey && !event.metaKey;
  return modifier && !event.altKey && !event.shiftKey && event.key.toLowerCase() === 'l';
}

/**
 * Locks the vault on Ctrl/Cmd+L, after the configured idle time, and when the platform asks
 * (OS lock, suspend). Idle is measured from the last input anywhere in the window.
 */
export function useAutoLock(store: AppStore, platform: Platform): void {
  useEffect(() => {
    let last = Date.now();
    const touch = () => {
      last = Date.now();
    };
    const lockIfOpen = () => {
      if (store.getState().phase === 'vault') store.getState().lock();
    };
    const onKey = (event: KeyboardEvent) => {
      if (isLockShortcut(event)) {
        event.preventDefault();
        lockIfOpen();
      }
    };
    const timer = window.setInterval(() => {
      const minutes = store.getState().settings.autoLockMinutes;
      if (Date.now() - last >= minutes * 60_000) lockIfOpen();
    }, 5_000);
    for (const type of ACTIVITY) window.addEventListener(type, touch, { passive: true });
    window.addEventListener('keydown', onKey);
    const unsubscribe = platform.onLockRequested(lockIfOpen);
    return () => {
      window.clearInterval(timer);
      for (const type of ACTIVITY) window.removeEventListener(type, touch);
      window.removeEventListener('keydown', onKey);
      unsubscribe();
    };
  }, [store, platform]);
}
