import type { StateCreator } from 'zustand';
import {
  DEFAULT_SETTINGS,
  settingsSchema,
  settingsSealSchema,
  settingsUpdateSchema,
  type Settings,
} from '../../../shared/ipc/settings.ts';
import { signSettings } from '../../../shared/keys/index.ts';
import {
  judgeStoredSettings,
  safeDefaults,
  type SettingsVerdict,
} from '../settings/settings-auth.ts';
import type { AppState, SettingsSlice, StoreDeps } from './types.ts';
import type { Mutators } from './mutators.ts';

export function createSettingsSlice(
  deps: StoreDeps,
): StateCreator<AppState, Mutators, [], SettingsSlice> {
  return (set, get) => {
    /**
     * Signs the settings in use with the unlocked vault. A later change signs itself, so an
     * answer for settings that have moved on is dropped rather than stored beside newer ones.
     */
    async function signCurrent(): Promise<void> {
      const client = get().client;
      if (client === null || !client.isUnlocked) return;
      const settings = get().settings;
      const seal = {
        mac: await signSettings(client.unlockedVault(), settings),
        serverUrl: settings.serverUrl,
      };
      if (get().settings !== settings) return;
      set({
        settingsSeal: seal,
        storedSettings: { settings, seal, intact: true },
        settingsWarning: null,
      });
    }

    return {
      settings: { ...DEFAULT_SETTINGS },
      settingsSeal: null,
      storedSettings: null,
      serverChosenHere: null,
      settingsWarning: null,

      updateSettings: (patch) => {
        const valid = settingsUpdateSchema.parse(patch);
        const settings = { ...get().settings, ...stripUndefined(valid) };
        if (get().client?.isUnlocked !== true) {
          // Locked: the seal stays as it was. A server picked before sign-in is then reported
          // old → new after the next unlock; any other change no longer matches the MAC.
          set({ settings });
          return;
        }
        set({ settings, settingsSeal: null });
        // The lock can win the race with signing; the settings then stay unsigned, and the
        // check after the next unlock says so. Nothing else is lost.
        signCurrent().catch(() => undefined);
      },

      verifySettings: async () => {
        const client = get().client;
        if (client === null || !client.isUnlocked) return;
        const { storedSettings, settings, serverChosenHere } = get();
        const knownServers = [deps.platform.defaultServerUrl()];
        if (serverChosenHere !== null) knownServers.push(serverChosenHere);
        let verdict: SettingsVerdict;
        try {
          verdict = await judgeStoredSettings({
            vault: client.unlockedVault(),
            stored: storedSettings,
            current: settings,
            knownServers,
          });
        } catch {
          // A check that cannot run proves nothing: the safe defaults apply, with the warning.
          verdict = { kind: 'warn', warning: { kind: 'tampered', serverUrl: settings.serverUrl } };
        }
        if (verdict.kind !== 'warn') {
          // Unsigned settings are judged again at the next unlock; nothing is lost meanwhile.
          await signCurrent().catch(() => undefined);
          return;
        }
        const { warning } = verdict;
        if (warning.kind === 'tampered') {
          // Unsigned on purpose: signing here would bless the server the warning asks about.
          const safe = safeDefaults(settings);
          set({
            settings: safe,
            settingsSeal: null,
            storedSettings: { settings: safe, seal: null, intact: true },
            settingsWarning: warning,
          });
        } else {
          set({ settingsWarning: warning });
        }
      },

      keepSettings: () => signCurrent(),

      dismissSettingsWarning: () => set({ settingsWarning: null }),
    };
  };
}

function stripUndefined(patch: {
  [K in keyof Settings]?: Settings[K] | undefined;
}): Partial<Settings> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
}

function persistedState(persisted: unknown): Record<string, unknown> | null {
  return typeof persisted === 'object' && persisted !== null
    ? (persisted as Record<string, unknown>)
    : null;
}

/**
 * Reads persisted settings back. Whatever storage holds is validated member by member: a value
 * that is missing or out of range (an edited file, an older version) falls back to its default
 * rather than reaching the app (SECURITY-CASES LS-05).
 */
export function restoreSettings(persisted: unknown): Settings {
  const source = persistedState(persisted)?.['settings'] ?? {};
  const out: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  if (typeof source === 'object' && source !== null) {
    for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[]) {
      const candidate = { ...DEFAULT_SETTINGS, [key]: (source as Record<string, unknown>)[key] };
      if (settingsSchema.safeParse(candidate).success) out[key] = candidate[key];
    }
  }
  return settingsSchema.parse(out);
}

/**
 * The persisted settings with their seal, for the check after unlock. `intact` is false when the
 * schema refused anything storage held (a platform may also report damage it found itself, as
 * `settingsDamaged`), and when a seal is there but malformed.
 */
export function restoreStoredSettings(persisted: unknown) {
  const state = persistedState(persisted);
  const rawSeal = state?.['settingsSeal'] ?? null;
  const seal = settingsSealSchema.safeParse(rawSeal);
  const damaged = state?.['settingsDamaged'] === true || (rawSeal !== null && !seal.success);
  return {
    settings: restoreSettings(persisted),
    seal: seal.success ? seal.data : null,
    intact: !damaged && settingsSchema.safeParse(state?.['settings']).success,
  };
}
