import '@mantine/core/styles.css';
import { MantineProvider } from '@mantine/core';
import type { ReactNode } from 'react';
import { render } from 'vitest-browser-react';
import type { VaultClient } from '../../../../shared/client/index.ts';
import type { Vault } from '../../../../shared/keys/index.ts';
import { AppProvider } from '../../../../renderer/src/app/store-context.tsx';
import type { Platform } from '../../../../renderer/src/platform/index.ts';
import { createAppStore, type AppStore } from '../../../../renderer/src/state/store.ts';

// The account helpers the shared/keys tests use: the real Argon2id at its floor parameters.
export { FAST_KDF, newAccount, useRealArgon2 } from '../../shared/keys/helpers/setup.ts';

export const WEB_ORIGIN = 'https://vault.example.com';

/** A web platform whose settings storage is a map the test can read and edit. */
export function fakePlatform(initial?: unknown) {
  const stored = new Map<string, string>();
  if (initial !== undefined) stored.set('coffer.settings', JSON.stringify(initial));
  const opened: string[] = [];
  const platform: Platform = {
    kind: 'web',
    clientKind: 'web',
    defaultServerUrl: () => WEB_ORIGIN,
    signInWithProvider: () => Promise.reject(new Error('not used')),
    takeReturnedSignIn: () => null,
    copySecret: async () => undefined,
    clearClipboard: async () => undefined,
    openLink: async (url) => {
      opened.push(url);
    },
    openServer: () => undefined,
    onLockRequested: () => () => undefined,
    settingsStorage: {
      getItem: (name) => stored.get(name) ?? null,
      setItem: (name, value) => void stored.set(name, value),
      removeItem: (name) => void stored.delete(name),
    },
  };
  return { platform, stored, opened };
}

/**
 * Just the part of VaultClient the settings check uses, over a real unlocked vault: the check
 * signs and verifies with the vault's real settings key.
 */
export function unlockedClient(vault: Vault): VaultClient {
  return {
    get isUnlocked() {
      return !vault.isLocked;
    },
    unlockedVault: () => vault,
    lock: () => vault.lock(),
  } as unknown as VaultClient;
}

/** A store that has read `initial` from storage, as the app does at start-up. */
export async function storeWith(initial?: unknown) {
  const fake = fakePlatform(initial);
  const store = createAppStore({
    platform: fake.platform,
    createClient: () => {
      throw new Error('no server in this test');
    },
  });
  await store.persist.rehydrate();
  return { ...fake, store };
}

export function persisted(stored: Map<string, string>) {
  return JSON.parse(stored.get('coffer.settings') ?? 'null') as {
    state: {
      settings: Record<string, unknown>;
      settingsSeal: { mac: string; serverUrl: string } | null;
    };
  } | null;
}

export function renderInApp(store: AppStore, platform: Platform, ui: ReactNode) {
  return render(
    <MantineProvider>
      <AppProvider store={store} platform={platform}>
        {ui}
      </AppProvider>
    </MantineProvider>,
  );
}

export function renderUi(ui: ReactNode) {
  return render(<MantineProvider>{ui}</MantineProvider>);
}
