import { CofferError } from '../../../shared/errors.ts';
import type { CofferBridge } from '../../../shared/ipc/bridge.ts';
import type { IpcResult } from '../../../shared/ipc/envelope.ts';
import { settingsSealSchema } from '../../../shared/ipc/settings.ts';
import type { Platform } from './platform.ts';

function unwrap<T>(result: IpcResult<T>): T {
  if (result.ok) return result.value;
  throw new CofferError(result.error.code, result.error.message);
}

/**
 * The desktop app: the preload bridge does what a sandboxed page may not — the system-browser
 * sign-in with a loopback redirect, the clipboard with history exclusion and auto-clear, lock
 * events from the OS, and settings kept by main.
 */
export function createElectronPlatform(bridge: CofferBridge): Platform {
  return {
    kind: 'electron',
    clientKind: 'desktop',
    defaultServerUrl: () => 'http://127.0.0.1:8787',
    // Main checks state, issuer and nonce and keeps the verifier and the code to itself.
    signInWithProvider: async ({ issuer, pkce, clientId, nonce, desktopRedirect }) => {
      const request = { issuer, pkce, clientId, nonce, desktopRedirect };
      return unwrap(await bridge.signin.authenticate(request)).idToken;
    },
    takeReturnedSignIn: () => null,
    copySecret: async (text) => {
      // Main applies the clear-after time from the settings it keeps.
      unwrap(await bridge.clipboard.copySecret({ text }));
    },
    clearClipboard: async () => {
      unwrap(await bridge.clipboard.clear({}));
    },
    openLink: async (url) => {
      // Main's gate decides again on the parsed URL: https only, whatever the page says.
      unwrap(await bridge.links.open({ url }));
    },
    openServer: () => window.location.reload(),
    onLockRequested: (listener) => bridge.events.onLockRequested(() => listener()),
    settingsStorage: {
      getItem: async () => {
        const stored = unwrap(await bridge.settings.get({}));
        return JSON.stringify({
          state: {
            settings: stored.settings,
            settingsSeal: stored.seal,
            // Evidence of editing for the check after unlock (LS-05).
            settingsDamaged: stored.damaged,
          },
          version: 1,
        });
      },
      setItem: async (_name, value) => {
        const parsed = JSON.parse(value) as {
          state?: {
            settings?: Record<string, unknown>;
            settingsSeal?: unknown;
            settingsDamaged?: unknown;
          };
        };
        const settings = parsed.state?.settings;
        if (settings) {
          // A seal of the wrong shape goes as none: the settings are then unsigned.
          const seal = settingsSealSchema.safeParse(parsed.state?.settingsSeal);
          const damaged = parsed.state?.settingsDamaged === true;
          unwrap(
            await bridge.settings.update({
              settings,
              seal: seal.success ? seal.data : null,
              damaged,
            }),
          );
        }
      },
      removeItem: () => undefined,
    },
  };
}
