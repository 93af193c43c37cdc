import { describe, expect, it } from 'vitest';
import {
  fromHex,
  generateEcdhKeyPair,
  generateSigningKeyPair,
  importAeadKey,
  toHex,
} from '../../../../shared/crypto/index.ts';
import {
  canonicalSettings,
  deriveSettingsKey,
  signSettings,
  unlockAccount,
  verifySettings,
  Vault,
} from '../../../../shared/keys/index.ts';
import { rejectedCode, thrownCode } from '../protocol/helpers/errors.ts';
import { newAccount, useRealArgon2 } from './helpers/setup.ts';

useRealArgon2();

// Computed independently with Python's hmac/hashlib (RFC 5869 with an empty salt, then
// HMAC-SHA-256 over the canonical bytes).
const USER_KEY = fromHex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
const SETTINGS_KEY = '9d56ab857c025a5b0e0c4836c3af82c992e70872d1f10bd381fb4e00b5c51b69';
const SETTINGS = {
  theme: 'system',
  serverUrl: 'https://vault.example.com',
  clipboardClearSeconds: 30,
  autoLockMinutes: 10,
};
const SETTINGS_MAC = 'RNa7pk-pt-cfVaFhei_dkd6Epw_MbPj9w9QdNvRPWg0';

async function vaultWithKnownSettingsKey(): Promise<Vault> {
  return new Vault('AAAAAAAAAAAAAAAAAAAAAA', {
    userKey: await importAeadKey(USER_KEY),
    encryption: await generateEcdhKeyPair(),
    signing: await generateSigningKeyPair(),
    settingsKey: await deriveSettingsKey(USER_KEY),
  });
}

describe('settings MAC (LS-05)', () => {
  it('derives the settings key by HKDF with its own label (known answer)', async () => {
    expect(toHex(await deriveSettingsKey(USER_KEY))).toBe(SETTINGS_KEY);
  });

  it('signs the canonical settings: sorted keys, whatever order they arrive in', async () => {
    const vault = await vaultWithKnownSettingsKey();
    expect(await signSettings(vault, SETTINGS)).toBe(SETTINGS_MAC);
    const reordered = Object.fromEntries(Object.entries(SETTINGS).reverse());
    expect(await signSettings(vault, reordered)).toBe(SETTINGS_MAC);
    expect(await verifySettings(vault, reordered, SETTINGS_MAC)).toBe(true);
  });

  it('refuses any changed value, added key, or malformed MAC', async () => {
    const vault = await vaultWithKnownSettingsKey();
    const changed = [
      { ...SETTINGS, autoLockMinutes: 1440 },
      { ...SETTINGS, serverUrl: 'https://evil.example.com' },
      { ...SETTINGS, clipboardClearSeconds: '30' },
      { ...SETTINGS, autoExportPath: '/tmp/vault.csv' },
    ];
    for (const settings of changed) {
      expect(await verifySettings(vault, settings, SETTINGS_MAC)).toBe(false);
    }
    const flipped = `${SETTINGS_MAC.slice(0, -1)}${SETTINGS_MAC.endsWith('0') ? '1' : '0'}`;
    for (const mac of [flipped, '', null, 42, `${SETTINGS_MAC}AA`, '!'.repeat(43)]) {
      expect(await verifySettings(vault, SETTINGS, mac)).toBe(false);
    }
  });

  it('refuses nested or non-finite values rather than guessing an encoding', () => {
    expect(thrownCode(() => canonicalSettings({ a: Number.NaN }))).toBe('invalid_input');
    const nested = { a: { b: 1 } } as unknown as Record<string, string>;
    expect(thrownCode(() => canonicalSettings(nested))).toBe('invalid_input');
  });

  it('is the same key after every unlock, and gone after lock', async () => {
    const account = await newAccount();
    const mac = await signSettings(account.vault, SETTINGS);
    const again = await unlockAccount(account.keys, account.masterPassword);
    expect(await verifySettings(again, SETTINGS, mac)).toBe(true);

    const other = await newAccount();
    expect(await verifySettings(other.vault, SETTINGS, mac)).toBe(false);

    const key = again.settingsKey;
    again.lock();
    expect(key.every((byte) => byte === 0)).toBe(true);
    expect(await rejectedCode(signSettings(again, SETTINGS))).toBe('vault_locked');
  });
});
