import type { CofferBridge } from '../../../shared/ipc/bridge.ts';
import { createBrowserPlatform } from './browser-platform.ts';
import { createElectronPlatform } from './electron-platform.ts';
import type { Platform } from './platform.ts';

export type { Platform, ProviderSignIn, ReturnedSignIn } from './platform.ts';

/** Electron's preload puts the bridge on `window.coffer`; a browser tab has none. */
export function detectPlatform(): Platform {
  const bridge = (window as unknown as { coffer?: CofferBridge }).coffer;
  return bridge?.platform === 'electron' ? createElectronPlatform(bridge) : createBrowserPlatform();
}
