import type { App } from 'electron';

/**
 * One Coffer per user session: a second launch hands over to the first, which comes to the
 * front. The second instance's argv is never read or logged — it may hold anything.
 */
export function enforceSingleInstance(
  app: Pick<App, 'requestSingleInstanceLock' | 'quit' | 'on'>,
  focusExisting: () => void,
): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', () => focusExisting());
  return true;
}

/** Restores and focuses a window, if there is one. */
export function focusWindow(
  window: { isMinimized(): boolean; restore(): void; show(): void; focus(): void } | undefined,
): void {
  if (window === undefined) return;
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}
