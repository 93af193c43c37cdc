import { describe, expect, it } from 'vitest';
import { createElectronPlatform } from '../../../renderer/src/platform/electron-platform.ts';
import type { ProviderSignIn } from '../../../renderer/src/platform/platform.ts';
import type { CofferBridge } from '../../../shared/ipc/bridge.ts';
import { isCofferError } from '../../../shared/errors.ts';

const SEAL = {
  mac: 'RNa7pk-pt-cfVaFhei_dkd6Epw_MbPj9w9QdNvRPWg0',
  serverUrl: 'https://vault.example.com',
};

const signIn: ProviderSignIn = {
  serverUrl: 'https://vault.example.com',
  issuer: 'https://login.example.com',
  pkce: 'S256',
  clientId: 'coffer-desktop',
  nonce: 'nonce-0123456789abcdefghij',
  desktopRedirect: 'fixed-path',
};
const ID_TOKEN = 'eyJhbGciOiJFUzI1NiJ9.eyJub25jZSI6Im4ifQ.c2ln';

/** A bridge that records what the page asked for and answers as main would. */
function fakeBridge(answer: { fail?: boolean } = {}) {
  const calls: { channel: string; request: unknown }[] = [];
  const ok = <T>(value: T) => Promise.resolve({ ok: true as const, value });
  const bridge = {
    platform: 'electron',
    signin: {
      authenticate: (request: unknown) => {
        calls.push({ channel: 'signin:authenticate', request });
        if (answer.fail) {
          return Promise.resolve({
            ok: false as const,
            error: { code: 'signin_timeout' as const, message: 'The sign-in timed out.' },
          });
        }
        return ok({ idToken: ID_TOKEN });
      },
    },
    clipboard: {
      copySecret: (request: unknown) => {
        calls.push({ channel: 'clipboard:copy-secret', request });
        return ok({ clearsInSeconds: 30 });
      },
      clear: (request: unknown) => {
        calls.push({ channel: 'clipboard:clear', request });
        return ok({ cleared: true });
      },
    },
    settings: {
      get: () =>
        ok({
          settings: {
            serverUrl: 'https://vault.example.com',
            autoLockMinutes: 5,
            clipboardClearSeconds: 20,
            theme: 'dark',
          },
          seal: SEAL,
          damaged: true,
        }),
      update: (request: unknown) => {
        calls.push({ channel: 'settings:update', request });
        return ok(request);
      },
    },
    links: {
      open: (request: unknown) => {
        calls.push({ channel: 'links:open', request });
        return ok(null);
      },
    },
    events: { onLockRequested: () => () => undefined },
  } as unknown as CofferBridge;
  return { bridge, calls };
}

describe('the Electron platform', () => {
  it(
    'leaves the whole provider sign-in to main ' + 'and gets the ID token back (issue #4)',
    async () => {
      const { bridge, calls } = fakeBridge();
      await expect(createElectronPlatform(bridge).signInWithProvider(signIn)).resolves.toBe(
        ID_TOKEN,
      );
      expect(calls).toEqual([
        {
          channel: 'signin:authenticate',
          request: {
            issuer: signIn.issuer,
            pkce: 'S256',
            clientId: 'coffer-desktop',
            nonce: signIn.nonce,
            desktopRedirect: 'fixed-path',
          },
        },
      ]);
    },
  );

  it('passes on main’s refusals with their code', async () => {
    const { bridge } = fakeBridge({ fail: true });
    const refused = await createElectronPlatform(bridge)
      .signInWithProvider(signIn)
      .catch((e: unknown) => e);
    expect(isCofferError(refused, 'signin_timeout')).toBe(true);
  });

  it('keeps settings and their seal (MAC) in main and writes back only those (LS-05)', async () => {
    const { bridge, calls } = fakeBridge();
    const storage = createElectronPlatform(bridge).settingsStorage;
    const stored = JSON.parse(String(await storage.getItem('coffer.settings')));
    expect(stored.state).toMatchObject({
      settings: { theme: 'dark' },
      settingsSeal: SEAL,
      settingsDamaged: true,
    });
    await storage.setItem(
      'coffer.settings',
      JSON.stringify({
        state: { settings: { theme: 'light' }, settingsSeal: SEAL, settingsDamaged: true },
        version: 1,
      }),
    );
    expect(calls.at(-1)).toEqual({
      channel: 'settings:update',
      request: { settings: { theme: 'light' }, seal: SEAL, damaged: true },
    });
    await storage.setItem(
      'coffer.settings',
      JSON.stringify({ state: { settings: { theme: 'dark' }, settingsSeal: null }, version: 1 }),
    );
    expect(calls.at(-1)).toEqual({
      channel: 'settings:update',
      request: { settings: { theme: 'dark' }, seal: null, damaged: false },
    });
  });

  it('opens record links only through main’s gate (EL-05)', async () => {
    const { bridge, calls } = fakeBridge();
    await createElectronPlatform(bridge).openLink('https://grafana.example.com/d/1');
    expect(calls.at(-1)).toEqual({
      channel: 'links:open',
      request: { url: 'https://grafana.example.com/d/1' },
    });
  });
});
