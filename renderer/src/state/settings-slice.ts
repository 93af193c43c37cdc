import type { StateCreator } from 'zustand';
import {
  DEFAULT_SETTINGS,
  settingsSchema,
  settingsUpdateSchema,
  type Settings,
} from '../../../shared/ipc/settings.ts';
import type { AppState, SettingsSlice } from './types.ts';
import type { Mutators } from './mutators.ts';

export const createSettingsSlice: StateCreator<AppState, Mutators, [], SettingsSlice> = (set) => ({
  settings: { ...DEFAULT_SETTINGS },
  updateSettings: (patch) => {
    const valid = settingsUpdateSchema.parse(patch);
    set((state) => ({ settings: { ...state.settings, ...stripUndefined(valid) } }));
  },
});

function stripUndefined(patch: {
  [K in keyof Settings]?: Settings[K] | undefined;
}): Partial<Settings> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
}

/**
 * Reads persisted settings back. Whatever storage holds is validated member by member: a value
 * that is missing or out of range (an edited file, an older version) falls back to its default
 * rather than reaching the app (SECURITY-CASES LS-05).
 */
export function restoreSettings(persisted: unknown): Settings {
  const source =
    typeof persisted === 'object' && persisted !== null
      ? ((persisted as { settings?: unknown }).settings ?? {})
      : {};
  const out: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  if (typeof source === 'object' && source !== null) {
    for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[]) {
      const candidate = { ...DEFAULT_SETTINGS, [key]: (source as Record<string, unknown>)[key] };
      if (settingsSchema.safeParse(candidate).success) out[key] = candidate[key];
    }
  }
  return settingsSchema.parse(out);
}
