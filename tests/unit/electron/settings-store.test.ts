import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSettingsStore, type KeychainSeam } from '../../../electron/main/settings-store.ts';
import { DEFAULT_SETTINGS } from '../../../shared/ipc/settings.ts';
import { recordingLogger } from './fakes.ts';

/** A stand-in OS keychain: reversible, but the stored bytes do not contain the plaintext. */
function fakeKeychain(available = true): KeychainSeam {
  const flip = (bytes: Buffer) => Buffer.from(bytes.map((byte) => byte ^ 0x5a));
  return {
    isAsyncEncryptionAvailable: async () => available,
    encryptStringAsync: async (plain: string) => flip(Buffer.from(`sealed:${plain}`, 'utf8')),
    decryptStringAsync: async (sealed: Buffer) => {
      const text = flip(sealed).toString('utf8');
      if (!text.startsWith('sealed:')) throw new Error('not sealed by this keychain');
      return { result: text.slice('sealed:'.length), shouldReEncrypt: false };
    },
  };
}

const dirs: string[] = [];
function tempFile() {
  const dir = mkdtempSync(join(tmpdir(), 'coffer-settings-'));
  dirs.push(dir);
  return join(dir, 'nested', 'settings.bin');
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('settings store (safeStorage seam)', () => {
  it('starts from the defaults', async () => {
    const store = await openSettingsStore({
      file: tempFile(),
      keychain: fakeKeychain(),
      log: recordingLogger(),
    });
    expect(store.current()).toEqual(DEFAULT_SETTINGS);
  });

  it('persists through the keychain, never in the clear, and reads back', async () => {
    const file = tempFile();
    const keychain = fakeKeychain();
    const store = await openSettingsStore({ file, keychain, log: recordingLogger() });
    await store.update({ serverUrl: 'https://vault.example.com', autoLockMinutes: 3 });
    expect(readFileSync(file).toString('utf8')).not.toContain('vault.example.com');

    const reopened = await openSettingsStore({ file, keychain, log: recordingLogger() });
    expect(reopened.current()).toEqual({
      ...DEFAULT_SETTINGS,
      serverUrl: 'https://vault.example.com',
      autoLockMinutes: 3,
    });
  });

  it('falls back to the defaults when the file is damaged or not ours (LS-05)', async () => {
    const file = tempFile();
    const store = await openSettingsStore({
      file,
      keychain: fakeKeychain(),
      log: recordingLogger(),
    });
    await store.update({ theme: 'dark' });
    writeFileSync(file, 'garbage');
    const log = recordingLogger();
    const reopened = await openSettingsStore({ file, keychain: fakeKeychain(), log });
    expect(reopened.current()).toEqual(DEFAULT_SETTINGS);
    expect(log.lines.join('\n')).toContain('unreadable');
  });

  it('keeps settings in memory only when no keychain is available', async () => {
    const file = tempFile();
    const store = await openSettingsStore({
      file,
      keychain: fakeKeychain(false),
      log: recordingLogger(),
    });
    await expect(store.update({ theme: 'light' })).resolves.toMatchObject({ theme: 'light' });
    expect(existsSync(file)).toBe(false);
  });

  it('refuses an invalid change and keeps the previous settings', async () => {
    const store = await openSettingsStore({
      file: tempFile(),
      keychain: fakeKeychain(),
      log: recordingLogger(),
    });
    await expect(store.update({ autoLockMinutes: -1 })).rejects.toMatchObject({
      code: 'invalid_input',
    });
    expect(store.current()).toEqual(DEFAULT_SETTINGS);
  });
});
