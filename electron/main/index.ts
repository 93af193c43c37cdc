import { join } from 'node:path';
import { app, BrowserWindow } from 'electron';
import { secureWindowOptions } from './window-options.ts';

// TODO(#4): sign-in listener, clipboard, lock, IPC contract and navigation guards.
function createMainWindow(): BrowserWindow {
  const window = new BrowserWindow(secureWindowOptions(join(__dirname, '../preload/index.cjs')));
  window.once('ready-to-show', () => window.show());
  void window.loadFile(join(__dirname, '../renderer/index.html'));
  return window;
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  void app.whenReady().then(createMainWindow);
  app.on('window-all-closed', () => app.quit());
}
