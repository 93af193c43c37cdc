import { describe, expect, it } from 'vitest';
import { createElectronPlatform } from '../../../renderer/src/platform/electron-platform.ts';
import type { CofferBridge } from '../../../shared/ipc/bridge.ts';
import type { SignInAttempt } from '../../../shared/client/index.ts';
import { isCofferError } from '../../../shared/errors.ts';

const SEAL = {
  mac: 'RNa7pk-pt-cfVaFhei_dkd6Epw_MbPj9w9QdNvRPWg0',
  serverUrl: 'https://vault.example.com',
};

const attempt: SignInAttempt = {
  issuer: 'https://login.example.com',
  clientId: 'coffer-desktop',
  redirectUri: 'http://127.0.0.1/callback',
  state: 'state-0123456789abcdefghij',
  nonce: 'nonce-0123456789abcdefghij',
  codeVerifier: 'verifier',
  codeChallenge: 'c'.repeat(43),
  tokenEndpoint: 'https://login.example.com/token',
  authorizationEndpoint: 'https://login.example.com/auth',
};

/** A bridge that records what the page asked for and answers as main would. */
function fakeBridge(answer: { iss?: string; fail?: boolean } = {}) {
  const calls: { channel: string; request: unknown }[] = [];
  const ok = <T>(value: T) => Promise.resolve({ ok: true as const, value });
  const bridge = {
    platform: 'electron',
    signin: {
      authorize: (request: unknown) => {
        calls.push({ channel: 'signin:authorize', request });
        if (answer.fail) {
          return Promise.resolve({
            ok: false as const,
            error: { code: 'signin_timeout' as const, message: 'The sign-in timed out.' },
          });
        }
        return ok({
          code: 'the-code',
          redirectUri: 'http://127.0.0.1:53123/callback',
          ...(answer.iss ? { iss: answer.iss } : {}),
        });
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
  it('asks main for the code with PKCE S256 and uses the redirect URI main reports', async () => {
    const { bridge, calls } = fakeBridge();
    const platform = createElectronPlatform(bridge);
    const result = await platform.authorize(attempt, 'https://v.example.com', 'fixed-path');
    expect(result).toEqual({ code: 'the-code', redirectUri: 'http://127.0.0.1:53123/callback' });
    expect(calls[0]?.request).toMatchObject({
      state: attempt.state,
      nonce: attempt.nonce,
      codeChallenge: attempt.codeChallenge,
      codeChallengeMethod: 'S256',
      desktopRedirect: 'fixed-path',
    });
    expect(JSON.stringify(calls)).not.toContain(attempt.codeVerifier);
  });

  it('refuses a code from another issuer, and passes on main refusals with their code', async () => {
    const foreign = fakeBridge({ iss: 'https://evil.example.com' });
    const refused = await createElectronPlatform(foreign.bridge)
      .authorize(attempt, 'x', 'per-attempt-path')
      .catch((e: unknown) => e);
    expect(isCofferError(refused, 'signin_state_mismatch')).toBe(true);

    const timeout = fakeBridge({ fail: true });
    const timedOut = await createElectronPlatform(timeout.bridge)
      .authorize(attempt, 'x', 'per-attempt-path')
      .catch((e: unknown) => e);
    expect(isCofferError(timedOut, 'signin_timeout')).toBe(true);
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
