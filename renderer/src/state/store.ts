import { createStore, type StoreApi } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import { createAdminSlice } from './admin-slice.ts';
import { createSessionSlice } from './session-slice.ts';
import { createSettingsSlice, restoreStoredSettings } from './settings-slice.ts';
import type { AppState, StoreDeps } from './types.ts';
import { createUiSlice } from './ui-slice.ts';
import { createVaultSlice } from './vault-slice.ts';

export const SETTINGS_STORAGE_KEY = 'coffer.settings';

/**
 * The app's one store: typed slices combined, with the persist middleware applied once on the
 * combined store. Persistence goes through a whitelist — `settings` and their seal, nothing else —
 * so no key, session token or decrypted value can ever be written to storage (STYLE.md habit 11).
 */
export function createAppStore(deps: StoreDeps): StoreApi<AppState> & {
  persist: { rehydrate(): Promise<void> | void };
} {
  return createStore<AppState>()(
    persist(
      (...a) => ({
        ...createSettingsSlice(deps)(...a),
        ...createSessionSlice(deps)(...a),
        ...createVaultSlice(deps)(...a),
        ...createUiSlice(...a),
        ...createAdminSlice(...a),
      }),
      {
        name: SETTINGS_STORAGE_KEY,
        version: 1,
        storage: createJSONStorage(() => deps.platform.settingsStorage),
        partialize: (state) => ({
          settings: state.settings,
          settingsSeal: state.settingsSeal,
          // Every state change rewrites storage with the cleaned-up settings; the evidence that
          // storage held something refused must outlive that until the check after unlock.
          ...(state.storedSettings?.intact === false ? { settingsDamaged: true } : {}),
        }),
        merge: (persisted, current) => {
          const known = typeof persisted === 'object' && persisted !== null;
          const stored = restoreStoredSettings(persisted);
          return {
            ...current,
            settings: stored.settings,
            settingsSeal: stored.seal,
            // Judged after unlock (LS-05); until then the settings are used as they are.
            storedSettings: known ? stored : null,
            // A server chosen before is offered straight away; first launch asks for one.
            serverUrl: known ? stored.settings.serverUrl : current.serverUrl,
          };
        },
      },
    ),
  );
}

export type AppStore = ReturnType<typeof createAppStore>;
