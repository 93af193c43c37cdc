import {
  constantTimeEqual,
  fromBase64Url,
  hkdfSha256,
  hmacSha256,
  toBase64Url,
  utf8,
  verifyHmacSha256,
} from '../crypto/index.ts';
import { CofferError } from '../errors.ts';
import type { Vault } from './vault.ts';

/**
 * Authenticated app settings (SECURITY-CASES LS-05). Settings live outside the vault (browser
 * storage, or the Electron main process's file) where anyone with the user's files can edit them
 * while the app is closed: turn auto-lock off, stretch the clipboard time, point the app at
 * another server. An HMAC-SHA-256 under a key only the unlocked vault can derive, stored beside
 * the settings, lets the app tell its own settings from edited ones after unlock.
 *
 * The key comes from the user key by HKDF with its own info label, so it is independent of
 * every other use of the user key; the salt is empty because the user key is already uniformly
 * random (RFC 5869 §3.1).
 */
export const SETTINGS_MAC_INFO = 'coffer/settings-mac/v1';
export const SETTINGS_KEY_BYTES = 32;
const NO_SALT = new Uint8Array(0);
// Domain separation inside the MAC input too, so a settings MAC can never pass for another MAC.
const SETTINGS_MAC_CONTEXT = 'coffer/settings/v1\n';

export type SettingsValue = string | number | boolean;

export async function deriveSettingsKey(userKeyBytes: Uint8Array): Promise<Uint8Array> {
  return hkdfSha256(userKeyBytes, NO_SALT, SETTINGS_MAC_INFO, SETTINGS_KEY_BYTES);
}

/**
 * The bytes the MAC covers: a flat object of scalars as JSON with its keys sorted by UTF-16 code
 * unit, built by hand because `JSON.stringify` orders integer-like keys first whatever the input.
 */
export function canonicalSettings(settings: Readonly<Record<string, SettingsValue>>): Uint8Array {
  const entries = Object.keys(settings)
    .sort()
    .map((key) => {
      const value = settings[key];
      const scalar =
        typeof value === 'string' ||
        typeof value === 'boolean' ||
        (typeof value === 'number' && Number.isFinite(value));
      if (!scalar) {
        throw new CofferError('invalid_input', 'A setting must be text, a number or a flag.');
      }
      return `${JSON.stringify(key)}:${JSON.stringify(value)}`;
    });
  return utf8(`${SETTINGS_MAC_CONTEXT}{${entries.join(',')}}`);
}

/** The MAC (base64url) of `settings` under the unlocked vault's settings key. */
export async function signSettings(
  vault: Vault,
  settings: Readonly<Record<string, SettingsValue>>,
): Promise<string> {
  return toBase64Url(await hmacSha256(vault.settingsKey, canonicalSettings(settings)));
}

/** True only for a MAC this vault made over exactly these settings; anything malformed is false. */
export async function verifySettings(
  vault: Vault,
  settings: Readonly<Record<string, SettingsValue>>,
  mac: unknown,
): Promise<boolean> {
  if (typeof mac !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(mac)) return false;
  let macBytes: Uint8Array;
  try {
    macBytes = fromBase64Url(mac);
  } catch {
    // Non-canonical trailing bits: not a MAC this app wrote.
    return false;
  }
  return verifyHmacSha256(vault.settingsKey, canonicalSettings(settings), macBytes);
}

/** Whether `candidate` is the settings key of this vault's user key (re-authentication). */
export function isVaultSettingsKey(vault: Vault, candidate: Uint8Array): boolean {
  return constantTimeEqual(vault.settingsKey, candidate);
}
