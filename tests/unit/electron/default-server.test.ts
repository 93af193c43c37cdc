import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultServerUrl } from '../../../electron/main/default-server.ts';
import { openSettingsStore, type KeychainSeam } from '../../../electron/main/settings-store.ts';
import { DEFAULT_SETTINGS } from '../../../shared/ipc/settings.ts';
import { recordingLogger } from './fakes.ts';

/** A stand-in OS keychain: reversible, and the stored bytes are not the plaintext. */
const keychain: KeychainSeam = {
  isAsyncEncryptionAvailable: async () => true,
  encryptStringAsync: async (plain: string) => Buffer.from(plain, 'utf8').reverse(),
  decryptStringAsync: async (sealed: Buffer) => ({
    result: Buffer.from(sealed).reverse().toString('utf8'),
    shouldReEncrypt: false,
  }),
};

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the default server (COFFER_SERVER_URL)', () => {
  it.each([
    ['http://127.0.0.1:8787', 'http://127.0.0.1:8787'],
    ['http://127.0.0.1:45123/', 'http://127.0.0.1:45123'],
    ['http://[::1]:8787', 'http://[::1]:8787'],
    ['http://localhost:8787', 'http://localhost:8787'],
    ['https://Vault.Example.com', 'https://vault.example.com'],
    ['https://vault.example.com:8443', 'https://vault.example.com:8443'],
  ])('takes %s as %s', (value, expected) => {
    const log = recordingLogger();
    expect(defaultServerUrl({ COFFER_SERVER_URL: value }, log)).toBe(expected);
    expect(log.lines).toEqual([]);
  });

  it.each([
    'http://vault.example.com',
    'http://192.168.1.10:8787',
    'ftp://vault.example.com',
    'https://alice:secret-pw@vault.example.com',
    'https://vault.example.com/coffer',
    'https://vault.example.com/?token=secret-pw',
    'javascript:alert(1)',
    'vault.example.com',
  ])('ignores %s, saying so without repeating it', (value) => {
    const log = recordingLogger();
    expect(defaultServerUrl({ COFFER_SERVER_URL: value }, log)).toBe(DEFAULT_SETTINGS.serverUrl);
    expect(log.lines).toHaveLength(1);
    expect(log.lines[0]).toContain('COFFER_SERVER_URL');
    expect(log.lines[0]).not.toContain('vault.example.com');
    expect(log.lines[0]).not.toContain('secret-pw');
  });

  it('falls back to the built-in server when the variable is absent or empty', () => {
    const log = recordingLogger();
    expect(defaultServerUrl({}, log)).toBe(DEFAULT_SETTINGS.serverUrl);
    expect(defaultServerUrl({ COFFER_SERVER_URL: '' }, log)).toBe(DEFAULT_SETTINGS.serverUrl);
    expect(log.lines).toEqual([]);
  });

  it('applies until the settings are saved, and a saved server wins from then on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'coffer-default-server-'));
    dirs.push(dir);
    const file = join(dir, 'settings.bin');
    const defaults = { ...DEFAULT_SETTINGS, serverUrl: 'http://127.0.0.1:45123' };
    const open = () => openSettingsStore({ file, keychain, log: recordingLogger(), defaults });

    const first = await open();
    expect(first.current().serverUrl).toBe('http://127.0.0.1:45123');
    await first.update({ serverUrl: 'https://vault.example.com' });

    const later = await open();
    expect(later.current().serverUrl).toBe('https://vault.example.com');
  });
});
