import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createHandlerTable, type MainServices } from '../../../electron/main/ipc/handlers.ts';
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
    await expect(store.update({ theme: 'light' })).resolves.toMatchObject({
      settings: { theme: 'light' },
    });
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

describe('settings store: the settings seal (MAC) beside the settings (LS-05)', () => {
  const SEAL = {
    mac: 'RNa7pk-pt-cfVaFhei_dkd6Epw_MbPj9w9QdNvRPWg0',
    serverUrl: 'http://127.0.0.1:8787',
  };

  it('keeps the seal the renderer made, sealed with the settings, and hands it back', async () => {
    const file = tempFile();
    const keychain = fakeKeychain();
    const store = await openSettingsStore({ file, keychain, log: recordingLogger() });
    expect(store.stored()).toEqual({ settings: DEFAULT_SETTINGS, seal: null, damaged: false });
    await store.update({ autoLockMinutes: 3 }, SEAL);
    expect(readFileSync(file).toString('utf8')).not.toContain(SEAL.mac);

    const reopened = await openSettingsStore({ file, keychain, log: recordingLogger() });
    expect(reopened.stored()).toEqual({
      settings: { ...DEFAULT_SETTINGS, autoLockMinutes: 3 },
      seal: SEAL,
      damaged: false,
    });
  });

  it('drops the seal when a change arrives without one (made while locked)', async () => {
    const file = tempFile();
    const keychain = fakeKeychain();
    const store = await openSettingsStore({ file, keychain, log: recordingLogger() });
    await store.update({ theme: 'dark' }, SEAL);
    await store.update({ serverUrl: 'https://vault.example.com' });
    const reopened = await openSettingsStore({ file, keychain, log: recordingLogger() });
    expect(reopened.stored().seal).toBeNull();
  });

  it('reports a file it had to refuse as damaged, so the renderer warns after unlock', async () => {
    const file = tempFile();
    const keychain = fakeKeychain();
    const store = await openSettingsStore({ file, keychain, log: recordingLogger() });
    await store.update({ theme: 'dark' }, SEAL);
    // Edited while closed: a weaker auto-lock and an auto-export path the schema has never had.
    const edited = {
      settings: { ...DEFAULT_SETTINGS, autoLockMinutes: 1440, autoExportPath: '/tmp/x.csv' },
      seal: SEAL,
    };
    writeFileSync(file, await keychain.encryptStringAsync(JSON.stringify(edited)));
    const reopened = await openSettingsStore({ file, keychain, log: recordingLogger() });
    expect(reopened.stored()).toEqual({ settings: DEFAULT_SETTINGS, seal: null, damaged: true });

    // What a first run looks like: nothing there, nothing damaged.
    const first = await openSettingsStore({ file: tempFile(), keychain, log: recordingLogger() });
    expect(first.stored().damaged).toBe(false);
  });

  it('keeps a well-formed edit, seal and all: only the renderer can check it', async () => {
    const file = tempFile();
    const keychain = fakeKeychain();
    const store = await openSettingsStore({ file, keychain, log: recordingLogger() });
    await store.update({ theme: 'dark' }, SEAL);
    const edited = {
      settings: { ...DEFAULT_SETTINGS, autoLockMinutes: 1440 },
      seal: SEAL,
      damaged: false,
    };
    writeFileSync(file, await keychain.encryptStringAsync(JSON.stringify(edited)));
    const reopened = await openSettingsStore({ file, keychain, log: recordingLogger() });
    expect(reopened.stored()).toEqual(edited);
  });

  it('keeps the renderer’s evidence of editing across a restart until it is judged', async () => {
    const file = tempFile();
    const keychain = fakeKeychain();
    const store = await openSettingsStore({ file, keychain, log: recordingLogger() });
    // The renderer rewrites cleaned-up settings before unlock, still marked as damaged.
    await store.update({ theme: 'dark' }, null, true);
    const reopened = await openSettingsStore({ file, keychain, log: recordingLogger() });
    expect(reopened.stored().damaged).toBe(true);
    // Judged after unlock: the next write clears the mark.
    await reopened.update({ theme: 'dark' }, SEAL);
    const again = await openSettingsStore({ file, keychain, log: recordingLogger() });
    expect(again.stored()).toMatchObject({ seal: SEAL, damaged: false });
  });

  it('serves settings:get and settings:update with the seal (handler table)', async () => {
    const store = await openSettingsStore({
      file: tempFile(),
      keychain: fakeKeychain(),
      log: recordingLogger(),
    });
    const handlers = createHandlerTable({ settings: store } as unknown as MainServices);
    await handlers['settings:update']({ settings: { theme: 'light' }, seal: SEAL, damaged: false });
    await expect(handlers['settings:get']({})).resolves.toEqual({
      settings: { ...DEFAULT_SETTINGS, theme: 'light' },
      seal: SEAL,
      damaged: false,
    });
  });
});
