import { BrowserWindow } from 'electron';
import { secureWindowOptions } from './window-options.ts';

/**
 * Creates the one main window with the secure preferences and loads the app. Guards on its web
 * contents are attached app-wide in `web-contents-created`, before this runs, so no web contents
 * — this one, a devtools host or anything a page manages to spawn — is ever unguarded.
 */
export function createMainWindow(options: {
  preloadPath: string;
  entryUrl: string;
}): BrowserWindow {
  const window = new BrowserWindow(secureWindowOptions(options.preloadPath));
  window.once('ready-to-show', () => window.show());
  void window.loadURL(options.entryUrl);
  return window;
}
