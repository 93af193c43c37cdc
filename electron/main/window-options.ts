import type { BrowserWindowConstructorOptions } from 'electron';

/**
 * The only web preferences a Coffer window is ever created with: the renderer is an untrusted
 * page that reaches the platform solely through the preload's small, typed bridge.
 */
export function secureWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 800,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'Coffer',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      // EL-01: no experimental web platform features, no page-initiated navigation by dropping
      // a file or link onto the window, and a page cannot trap the user in a dialog loop.
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
    },
  };
}
