import { verifySettings, type Vault } from '../../../shared/keys/index.ts';
import {
  DEFAULT_SETTINGS,
  type Settings,
  type SettingsSeal,
} from '../../../shared/ipc/settings.ts';

/**
 * What the check after unlock decides about the settings storage held (SECURITY-CASES LS-05,
 * README.md beside this file). Storage is outside the vault: anyone with the user's files can
 * edit it while the app is closed. Only the MAC, which needs the unlocked vault, tells the app's
 * own settings from edited ones.
 */
export interface StoredSettings {
  readonly settings: Settings;
  readonly seal: SettingsSeal | null;
  /**
   * False when storage held something the schema refused (a value out of range, an unknown key
   * such as an auto-export path) and the defaults stood in for it: evidence of editing even
   * when what is left looks harmless.
   */
  readonly intact: boolean;
}

export type SettingsWarning =
  /** The MAC is missing or wrong: the preferences are back to their defaults. */
  | { readonly kind: 'tampered'; readonly serverUrl: string }
  /** The preferences are authentic, but the server changed while the vault was locked. */
  | { readonly kind: 'server-changed'; readonly from: string; readonly to: string };

export type SettingsVerdict =
  | { readonly kind: 'authentic' }
  | { readonly kind: 'first-run' }
  | { readonly kind: 'warn'; readonly warning: SettingsWarning };

type Preferences = Omit<Settings, 'serverUrl'>;

function preferencesOf(settings: Settings): Preferences {
  return {
    autoLockMinutes: settings.autoLockMinutes,
    clipboardClearSeconds: settings.clipboardClearSeconds,
    theme: settings.theme,
  };
}

function hasDefaultPreferences(settings: Settings): boolean {
  const mine = preferencesOf(settings);
  const defaults = preferencesOf(DEFAULT_SETTINGS);
  return (Object.keys(defaults) as (keyof Preferences)[]).every((k) => mine[k] === defaults[k]);
}

/** Safe defaults for everything but the server, which is in use and named in the warning. */
export function safeDefaults(current: Settings): Settings {
  return { ...DEFAULT_SETTINGS, serverUrl: current.serverUrl };
}

/**
 * Judges the stored settings once the vault is unlocked.
 *
 * - Nothing stored: a first run; the caller signs what is in use now.
 * - A valid MAC over the preferences and the server it was made with: authentic. If the server
 *   in use differs, it changed while the vault was locked ("Use a different server" before
 *   sign-in, or an edited file); unless the user typed it in this page load, the warning shows
 *   old → new.
 * - No seal, nothing refused by the schema, default preferences and a server that is the
 *   platform's default or typed here: what a first run writes before its first unlock (the web
 *   build reloads through the identity provider in between). Nothing in it weakens anything.
 * - Anything else is tampered: the caller resets the preferences and names the server in use.
 *   A first run on a non-default server that restarts before its first unlock lands here too;
 *   no local record could tell it from an attacker who wiped the file and wrote a server.
 */
export async function judgeStoredSettings(input: {
  readonly vault: Vault;
  readonly stored: StoredSettings | null;
  readonly current: Settings;
  /** Servers that need no MAC: the platform's default and any the user typed here. */
  readonly knownServers: readonly string[];
}): Promise<SettingsVerdict> {
  const { vault, stored, current, knownServers } = input;
  if (stored === null) return { kind: 'first-run' };
  const known = knownServers.includes(current.serverUrl);
  const { seal } = stored;
  const signedOk =
    stored.intact &&
    seal !== null &&
    // The preferences as stored, with the server the seal was made with.
    (await verifySettings(vault, { ...stored.settings, serverUrl: seal.serverUrl }, seal.mac));
  if (signedOk) {
    if (seal.serverUrl === current.serverUrl || known) return { kind: 'authentic' };
    const to = current.serverUrl;
    return { kind: 'warn', warning: { kind: 'server-changed', from: seal.serverUrl, to } };
  }
  if (stored.intact && seal === null && hasDefaultPreferences(stored.settings) && known) {
    return { kind: 'first-run' };
  }
  return { kind: 'warn', warning: { kind: 'tampered', serverUrl: current.serverUrl } };
}
