import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type Settings } from '../../../../shared/ipc/settings.ts';
import { signSettings, verifySettings, type Vault } from '../../../../shared/keys/index.ts';
import { SettingsWarning } from '../../../../renderer/src/settings/SettingsWarning.tsx';
import { createAppStore } from '../../../../renderer/src/state/store.ts';
import {
  fakePlatform,
  newAccount,
  persisted,
  renderInApp,
  storeWith,
  unlockedClient,
  useRealArgon2,
  WEB_ORIGIN,
} from './fixtures.tsx';

useRealArgon2();

const EVIL = 'https://vault.attacker.example';
const MINE: Settings = {
  serverUrl: WEB_ORIGIN,
  autoLockMinutes: 3,
  clipboardClearSeconds: 12,
  theme: 'dark',
};
/** What someone editing the file while the app is closed would like: everything weaker. */
const WEAKER: Settings = {
  ...MINE,
  autoLockMinutes: 1440,
  clipboardClearSeconds: 600,
};

const entry = (settings: unknown, settingsSeal?: unknown) => ({
  state: { settings, ...(settingsSeal === undefined ? {} : { settingsSeal }) },
  version: 1,
});

/** The seal the app makes when it signs `settings` with `vault`. */
async function sealOf(vault: Vault, settings: Settings) {
  return { mac: await signSettings(vault, settings), serverUrl: settings.serverUrl };
}

/** Starts the app on `initial` storage, unlocks with `vault`, runs the check after unlock. */
async function unlockOn(initial: unknown, vault: Vault, typedServer?: string) {
  const app = await storeWith(initial);
  if (typedServer !== undefined) app.store.setState({ serverChosenHere: typedServer });
  app.store.setState({ client: unlockedClient(vault) });
  await app.store.getState().verifySettings();
  return app;
}

/** Whether what storage holds now carries a seal this vault made for exactly those settings. */
async function storedMacVerifies(vault: Vault, stored: Map<string, string>) {
  const state = persisted(stored)?.state;
  const seal = state?.settingsSeal;
  if (!state || !seal || seal.serverUrl !== state.settings['serverUrl']) return false;
  return verifySettings(vault, state.settings as Settings, seal.mac);
}

describe('settings MAC in the renderer (LS-05)', () => {
  it('first run: nothing stored; the settings in use are signed, no warning', async () => {
    const { vault } = await newAccount();
    const { store, stored } = await unlockOn(undefined, vault);
    expect(store.getState().settingsWarning).toBeNull();
    expect(await storedMacVerifies(vault, stored)).toBe(true);
  });

  it('keeps settings this vault signed, with no warning', async () => {
    const { vault } = await newAccount();
    const { store } = await unlockOn(entry(MINE, await sealOf(vault, MINE)), vault);
    expect(store.getState().settings).toEqual(MINE);
    expect(store.getState().settingsWarning).toBeNull();
  });

  it('tampered values under the old seal → safe defaults, warning naming the server', async () => {
    const { vault } = await newAccount();
    const { store, stored } = await unlockOn(entry(WEAKER, await sealOf(vault, MINE)), vault);
    expect(store.getState().settings).toEqual({ ...DEFAULT_SETTINGS, serverUrl: WEB_ORIGIN });
    expect(store.getState().settingsWarning).toEqual({ kind: 'tampered', serverUrl: WEB_ORIGIN });
    // Written back as the defaults, so Electron's main process stops using the weaker values.
    expect(persisted(stored)?.state).toEqual({
      settings: { ...DEFAULT_SETTINGS, serverUrl: WEB_ORIGIN },
      settingsSeal: null,
    });
  });

  it('a stripped MAC, another account’s MAC, or a refused key are tampering too', async () => {
    const { vault } = await newAccount();
    const other = await newAccount();
    const cases = [
      entry(MINE),
      entry(MINE, await sealOf(other.vault, MINE)),
      entry(MINE, { mac: 'not-a-mac', serverUrl: WEB_ORIGIN }),
      entry(MINE, 'not-a-seal'),
      // The right MAC, claimed for another server than it was made with.
      entry(MINE, { ...(await sealOf(vault, MINE)), serverUrl: EVIL }),
      // Every value the schema refuses falls back to its default; the edit still shows.
      entry({ ...DEFAULT_SETTINGS, serverUrl: WEB_ORIGIN, autoExportPath: '/tmp/vault.csv' }),
      entry({ ...DEFAULT_SETTINGS, serverUrl: WEB_ORIGIN, autoLockMinutes: 0 }),
    ];
    for (const initial of cases) {
      const { store } = await unlockOn(initial, vault);
      expect(store.getState().settingsWarning?.kind).toBe('tampered');
      expect(store.getState().settings.autoLockMinutes).toBe(DEFAULT_SETTINGS.autoLockMinutes);
    }
  });

  it('keeps the evidence through the rewrites before unlock (web sign-in reloads)', async () => {
    const { vault } = await newAccount();
    const refused = entry({ ...DEFAULT_SETTINGS, serverUrl: WEB_ORIGIN, theme: 'neon' });
    const { platform, stored } = fakePlatform(refused);
    const createClient = () => {
      throw new Error('no server in this test');
    };
    const first = createAppStore({ platform, createClient });
    await first.persist.rehydrate();
    // Any state change writes the cleaned-up settings back; then the provider's redirect
    // reloads the page, which reads them again.
    first.setState({ busy: 'Waiting for the identity provider…' });
    expect(persisted(stored)?.state.settings['theme']).toBe('system');
    const second = createAppStore({ platform, createClient });
    await second.persist.rehydrate();
    second.setState({ client: unlockedClient(vault) });
    await second.getState().verifySettings();
    expect(second.getState().settingsWarning).toEqual({ kind: 'tampered', serverUrl: WEB_ORIGIN });
    // Judged: the mark goes with the next write.
    second.setState({ busy: null });
    expect(Object.keys(persisted(stored)?.state ?? {})).toEqual(['settings', 'settingsSeal']);
  });

  it('names a server changed while locked, old → new, keeping the preferences', async () => {
    const { vault } = await newAccount();
    const seal = await sealOf(vault, MINE);
    // Edited while closed: only the server, the seal left as it was.
    const { store } = await unlockOn(entry({ ...MINE, serverUrl: EVIL }, seal), vault);
    // The server is in use (the session is connected to it): named, not reset.
    expect(store.getState().settingsWarning).toEqual({
      kind: 'server-changed',
      from: WEB_ORIGIN,
      to: EVIL,
    });
    expect(store.getState().settings).toEqual({ ...MINE, serverUrl: EVIL });

    // The same change typed by the user in this page load ("Use a different server") is theirs.
    const typed = await storeWith(entry(MINE, seal));
    typed.store.getState().updateSettings({ serverUrl: EVIL });
    typed.store.setState({ serverChosenHere: EVIL, client: unlockedClient(vault) });
    await typed.store.getState().verifySettings();
    expect(typed.store.getState().settingsWarning).toBeNull();
    expect(await storedMacVerifies(vault, typed.stored)).toBe(true);
  });

  it('an unsigned entry on a server nobody typed here is not a first run', async () => {
    const { vault } = await newAccount();
    const firstRun = entry({ ...DEFAULT_SETTINGS, serverUrl: WEB_ORIGIN });
    expect((await unlockOn(firstRun, vault)).store.getState().settingsWarning).toBeNull();
    const elsewhere = entry({ ...DEFAULT_SETTINGS, serverUrl: EVIL });
    expect((await unlockOn(elsewhere, vault)).store.getState().settingsWarning).toEqual({
      kind: 'tampered',
      serverUrl: EVIL,
    });
    expect((await unlockOn(elsewhere, vault, EVIL)).store.getState().settingsWarning).toBeNull();
  });

  it('re-signs changes made while unlocked; a change while locked keeps the old MAC', async () => {
    const { vault } = await newAccount();
    const { store, stored } = await unlockOn(entry(MINE, await sealOf(vault, MINE)), vault);
    store.getState().updateSettings({ autoLockMinutes: 20 });
    await expect.poll(() => storedMacVerifies(vault, stored)).toBe(true);
    expect(persisted(stored)?.state.settings['autoLockMinutes']).toBe(20);
    const signed = persisted(stored)?.state.settingsSeal;

    store.setState({ client: null });
    store.getState().updateSettings({ theme: 'light' });
    expect(persisted(stored)?.state.settingsSeal).toEqual(signed);
    expect(await storedMacVerifies(vault, stored)).toBe(false);
  });

  it('shows a warning the user can read, keep (signing the settings) or dismiss', async () => {
    const { vault } = await newAccount();
    const app = await unlockOn(
      entry(WEAKER, { mac: 'x'.repeat(43), serverUrl: WEB_ORIGIN }),
      vault,
    );
    const screen = await renderInApp(app.store, app.platform, <SettingsWarning />);
    const warning = screen.getByRole('alert');
    await expect.element(warning).toHaveTextContent('Your settings could not be verified');
    await expect.element(warning).toHaveTextContent(`The vault server in use is ${WEB_ORIGIN}`);
    await warning.getByRole('button', { name: 'Keep these settings' }).click();
    await expect.element(warning).not.toBeInTheDocument();
    expect(await storedMacVerifies(vault, app.stored)).toBe(true);

    const again = await unlockOn(
      entry({ ...MINE, serverUrl: EVIL }, await sealOf(vault, MINE)),
      vault,
    );
    const second = await renderInApp(again.store, again.platform, <SettingsWarning />);
    const changed = second.getByRole('alert');
    await expect.element(changed).toHaveTextContent(`${WEB_ORIGIN} → ${EVIL}`);
    await changed.getByRole('button', { name: 'Dismiss' }).click();
    await expect.element(changed).not.toBeInTheDocument();
    // Dismissed is not kept: still unsigned for the new server.
    expect(await storedMacVerifies(vault, again.stored)).toBe(false);
  });
});
