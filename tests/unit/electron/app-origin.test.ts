import { describe, expect, it } from 'vitest';
import { APP_ENTRY_URL, resolveAppOrigin } from '../../../electron/main/app-origin.ts';

describe('app origin', () => {
  const packaged = resolveAppOrigin({ isPackaged: true, devServerUrl: 'http://localhost:5173/' });

  it('ignores a dev server URL in a packaged build', () => {
    expect(packaged.entryUrl).toBe(APP_ENTRY_URL);
  });

  it('recognises only pages of the app bundle', () => {
    expect(packaged.isAppUrl('coffer-app://bundle/index.html')).toBe(true);
    expect(packaged.isAppUrl('coffer-app://bundle/assets/app.js')).toBe(true);
    for (const url of [
      'coffer-app://bundle.evil/index.html',
      'coffer-app://other/index.html',
      'coffer-app://alice@bundle/index.html',
      'file:///app/out/renderer/index.html',
      'http://localhost:5173/',
      'https://evil.example.net/',
      'not a url',
    ]) {
      expect(packaged.isAppUrl(url)).toBe(false);
    }
  });

  it('trusts a loopback dev server only when not packaged', () => {
    const dev = resolveAppOrigin({ isPackaged: false, devServerUrl: 'http://localhost:5173/' });
    expect(dev.entryUrl).toBe('http://localhost:5173/');
    expect(dev.isAppUrl('http://localhost:5173/src/main.tsx')).toBe(true);
    expect(dev.isAppUrl('http://localhost:5174/')).toBe(false);
    expect(dev.isAppUrl(APP_ENTRY_URL)).toBe(false);
  });

  it('refuses a remote dev server URL even in development', () => {
    const dev = resolveAppOrigin({ isPackaged: false, devServerUrl: 'http://evil.example.net/' });
    expect(dev.entryUrl).toBe(APP_ENTRY_URL);
  });
});
