import { z } from 'zod';

/**
 * The settings the Electron main process persists for the renderer (issue #4 item 5). Nothing in
 * here is a secret or a key; they are stored through the OS keychain seam all the same.
 */
export const THEMES = ['light', 'dark', 'system'] as const;

/** The longest server address, in UTF-16 code units. */
export const SERVER_URL_MAX = 2_048;

const serverUrl = z
  .string()
  .max(SERVER_URL_MAX)
  .refine(isHttpOrigin, 'must be an http or https origin without credentials, path or query');

export const settingsSchema = z.strictObject({
  serverUrl,
  autoLockMinutes: z.number().int().min(1).max(1440),
  clipboardClearSeconds: z.number().int().min(5).max(600),
  theme: z.enum(THEMES),
});

export type Settings = z.infer<typeof settingsSchema>;

export const settingsUpdateSchema = settingsSchema.partial();

export type SettingsUpdate = z.infer<typeof settingsUpdateSchema>;

/**
 * The settings' seal (LS-05): their HMAC (shared/keys settings-mac.ts), made and checked by the
 * renderer with a vault-derived key, and the server URL it was made with. The server is needed
 * before unlock and may change then (picked at sign-in); keeping the signed one lets the check
 * after unlock show old → new while the rest stays verifiable. Main only keeps the seal beside
 * the settings: it never holds a vault key.
 */
export const settingsSealSchema = z.strictObject({
  mac: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be a settings MAC'),
  serverUrl,
});

export type SettingsSeal = z.infer<typeof settingsSealSchema>;

/** Settings as stored, with their seal; `damaged` when main found a file it could not accept. */
export const storedSettingsSchema = z.strictObject({
  settings: settingsSchema,
  seal: settingsSealSchema.nullable(),
  damaged: z.boolean(),
});

export type StoredSettingsRecord = z.infer<typeof storedSettingsSchema>;

/**
 * A change and the seal that goes with the settings it results in (null: unsigned). `damaged`
 * carries evidence of editing forward until the check after unlock has judged it: the app
 * rewrites its settings on every state change, and a cleaned-up copy must not pass for a first
 * run.
 */
export const settingsChangeSchema = z.strictObject({
  settings: settingsUpdateSchema,
  seal: settingsSealSchema.nullable(),
  damaged: z.boolean(),
});

export type SettingsChange = z.infer<typeof settingsChangeSchema>;

export const DEFAULT_SETTINGS: Settings = Object.freeze({
  serverUrl: 'http://127.0.0.1:8787',
  autoLockMinutes: 10,
  clipboardClearSeconds: 30,
  theme: 'system',
});

function isHttpOrigin(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  const bare = url.pathname === '/' && url.search === '' && url.hash === '';
  const noCredentials = url.username === '' && url.password === '';
  return (url.protocol === 'https:' || url.protocol === 'http:') && bare && noCredentials;
}
