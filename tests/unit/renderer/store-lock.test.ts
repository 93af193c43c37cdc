import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VaultClient } from '../../../shared/client/index.ts';
import { setArgon2Backend } from '../../../shared/crypto/index.ts';
import type { Platform } from '../../../renderer/src/platform/index.ts';
import { createAppStore, SETTINGS_STORAGE_KEY } from '../../../renderer/src/state/store.ts';
import { DATABASES } from '../../integration/server/support/databases.ts';
import { startHarness, type Harness } from '../../integration/server/support/harness.ts';
import { installInProcessArgon2 } from '../shared/crypto/helpers/argon2-wasm.ts';
import { scanForSentinels } from './helpers/sentinel-scan.ts';

const FAST_KDF = { algorithm: 'argon2id', memoryKiB: 19 * 1024, passes: 2, lanes: 1 } as const;

/** A platform with an in-memory settings store and a recording clipboard. */
function fakePlatform() {
  const stored = new Map<string, string>();
  const clipboard = { text: '', cleared: 0 };
  const platform: Platform = {
    kind: 'web',
    clientKind: 'web',
    defaultServerUrl: () => 'http://127.0.0.1:1',
    signInWithProvider: () => Promise.reject(new Error('not used')),
    takeReturnedSignIn: () => null,
    copySecret: async (text) => {
      clipboard.text = text;
    },
    clearClipboard: async () => {
      clipboard.text = '';
      clipboard.cleared += 1;
    },
    openLink: async () => undefined,
    openServer: () => undefined,
    onLockRequested: () => () => undefined,
    settingsStorage: {
      getItem: (name) => stored.get(name) ?? null,
      setItem: (name, value) => void stored.set(name, value),
      removeItem: (name) => void stored.delete(name),
    },
  };
  return { platform, stored, clipboard };
}

describe('locking the app store', () => {
  let h: Harness;
  beforeAll(async () => {
    installInProcessArgon2();
    const sqlite = DATABASES.find((d) => d.name === 'sqlite');
    if (!sqlite) throw new Error('no SQLite');
    h = await startHarness(sqlite);
  });
  afterAll(async () => {
    setArgon2Backend(undefined);
    await h.close();
  });

  it('leaves no decrypted value, no typed search and no key in any slice (LS-01)', async () => {
    const tag = randomBytes(6).toString('hex');
    const S = {
      master: `SENTINEL-MASTER-${tag}`,
      folder: `SENTINEL-FOLDER-${tag}`,
      title: `SENTINEL-TITLE-${tag}`,
      user: `sentinel-user-${tag}`,
      password: `SENTINEL-PASSWORD-${tag}`,
      notes: `SENTINEL-NOTES-${tag}`,
      query: `SENTINEL-QUERY-${tag}`,
    };
    const { platform, stored, clipboard } = fakePlatform();
    const store = createAppStore({
      platform,
      createClient: (serverUrl) => new VaultClient({ serverUrl, kdf: FAST_KDF }),
    });

    const client = new VaultClient({ serverUrl: h.server.url, kdf: FAST_KDF });
    const idToken = await h.issuer.mint(await client.session.loginNonce(), {
      claims: { sub: `store-${tag}` },
    });
    const user = await client.session.signIn(idToken);
    store.setState({ client, user, phase: 'create-password' });

    const state = () => store.getState();
    await state().createMasterPassword(S.master);
    const folderId = await state().createFolder(S.folder, null);
    const sub = await state().createFolder(`${S.folder}-sub`, folderId);
    const recordId = await state().createRecord(sub, {
      type: 'login',
      schemaVersion: 1,
      title: S.title,
      username: S.user,
      password: S.password,
      notes: S.notes,
    });
    state().setQuery(S.query);
    state().selectFolder(sub);
    state().selectRecord(recordId);
    await state().copySecret(S.password);

    const markers = Object.values(S);
    const before = scanForSentinels(state(), markers);
    // The scanner must see what it is looking for, or its silence after lock means nothing.
    expect(before.hits.map((hit) => hit.marker)).toEqual(
      expect.arrayContaining([S.folder, S.title, S.user, S.password, S.notes, S.query]),
    );
    expect(client.heldKeyCount).toBeGreaterThanOrEqual(4);

    state().lock();

    const after = scanForSentinels(state(), markers);
    expect(after.hits).toEqual([]);
    expect(after.cryptoKeys).toEqual([]);
    expect(client.heldKeyCount).toBe(0);
    expect(state()).toMatchObject({
      phase: 'unlock',
      folders: [],
      records: [],
      query: '',
      selectedRecordId: null,
      selectedFolderId: null,
    });
    expect(client.isUnlocked).toBe(false);
    await Promise.resolve();
    expect(clipboard.cleared).toBe(1);
    expect(clipboard.text).toBe('');
    // Storage only ever held the settings whitelist: the settings and their seal (LS-05).
    expect(scanForSentinels([...stored.values()], markers).hits).toEqual([]);
    expect(Object.keys(JSON.parse(stored.get(SETTINGS_STORAGE_KEY) ?? '{}').state)).toEqual([
      'settings',
      'settingsSeal',
    ]);

    // Unlocking again brings the vault back from the server.
    await state().unlock(S.master);
    expect(state().records.map((r) => r.record.title)).toEqual([S.title]);
  });

  it('reads tampered or partial settings back as defaults, member by member (LS-05)', async () => {
    const { platform, stored } = fakePlatform();
    stored.set(
      SETTINGS_STORAGE_KEY,
      JSON.stringify({
        state: {
          settings: { autoLockMinutes: 0, clipboardClearSeconds: 45, theme: 'neon', extra: 1 },
          session: 'smuggled',
        },
        version: 1,
      }),
    );
    const store = createAppStore({
      platform,
      createClient: (serverUrl) => new VaultClient({ serverUrl }),
    });
    await store.persist.rehydrate();
    expect(store.getState().settings).toEqual({
      serverUrl: 'http://127.0.0.1:8787',
      autoLockMinutes: 10,
      clipboardClearSeconds: 45,
      theme: 'system',
    });
    expect((store.getState() as unknown as Record<string, unknown>)['session']).toBeUndefined();
  });
});
