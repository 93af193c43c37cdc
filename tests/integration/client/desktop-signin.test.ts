import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../../electron/main/logger.ts';
import { createSystemBrowserSignIn } from '../../../electron/main/signin/system-browser-signin.ts';
import { createElectronPlatform } from '../../../renderer/src/platform/electron-platform.ts';
import { createAppStore } from '../../../renderer/src/state/store.ts';
import { VaultClient } from '../../../shared/client/index.ts';
import type { CofferBridge } from '../../../shared/ipc/bridge.ts';
import { IPC_CONTRACT } from '../../../shared/ipc/contract.ts';
import { DEFAULT_SETTINGS } from '../../../shared/ipc/settings.ts';
import { isPerAttemptLoopbackRedirect } from '../../../shared/protocol/identity-provider.ts';
import { signInAtDevProvider } from '../server/support/browser.ts';
import { DATABASES } from '../server/support/databases.ts';
import { startHarness, type Harness } from '../server/support/harness.ts';

/**
 * The desktop app's sign-in without the Electron runtime (it cannot launch here): the renderer's
 * store and Electron platform, the IPC contract, and main's system-browser sign-in with its real
 * loopback listener, against a real server and the providers its configuration lists. The
 * "system browser" is plain HTTP that follows the provider's redirects to the listener.
 * Main's provider requests go through their own fetch, the page's client through its own, and
 * everything else in this process (the server, the "browser") through the global one; each test
 * records all three.
 */

const quiet = createLogger('test', () => undefined);
const realFetch = globalThis.fetch.bind(globalThis);
/** Requests made by main's sign-in (discovery, token), by the page's client, and the rest. */
let mainRequests: string[] = [];
let pageRequests: string[] = [];
let otherRequests: string[] = [];

/** An Electron bridge whose sign-in is main's, validated by the contract as the dispatcher does. */
function desktopPlatform(browse: (url: string) => Promise<void>) {
  const opened: string[] = [];
  const signIn = createSystemBrowserSignIn({
    gate: {
      open: async (url) => {
        opened.push(url);
        // The system browser runs on its own; main waits on its listener, not on the browser.
        void browse(url).catch(() => undefined);
      },
    },
    log: quiet,
    fetch: (input, init) => {
      mainRequests.push(`${init.method ?? 'GET'} ${input}`);
      return realFetch(input, init);
    },
  });
  const ok = <T>(value: T) => Promise.resolve({ ok: true as const, value });
  const bridge = {
    platform: 'electron',
    signin: {
      authenticate: async (request: unknown) => {
        try {
          const checked = IPC_CONTRACT['signin:authenticate'].request.parse(request);
          return await ok(
            IPC_CONTRACT['signin:authenticate'].result.parse(await signIn.authenticate(checked)),
          );
        } catch (error) {
          // As the dispatcher does: the code and the readable message travel, nothing else.
          const code = (error as { code?: string }).code ?? 'internal_error';
          return { ok: false as const, error: { code, message: (error as Error).message } };
        }
      },
    },
    settings: {
      get: () => ok({ settings: DEFAULT_SETTINGS, seal: null, damaged: false }),
      update: () => ok({ settings: DEFAULT_SETTINGS, seal: null, damaged: false }),
    },
    clipboard: {
      copySecret: () => ok({ clearsInSeconds: 30 }),
      clear: () => ok({ cleared: true }),
    },
    events: { onLockRequested: () => () => undefined },
  } as unknown as CofferBridge;
  return { platform: createElectronPlatform(bridge), opened };
}

/**
 * A provider shaped like Entra ID: its discovery document omits code_challenge_methods_supported.
 * Its authorization endpoint answers at once with a code; its token endpoint records the
 * redemption and refuses it (the server could not verify a token from it anyway).
 */
async function startSilentPkceProvider() {
  const redemptions: URLSearchParams[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    if (req.url === '/.well-known/openid-configuration') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          issuer,
          authorization_endpoint: `${issuer}/authorize`,
          token_endpoint: `${issuer}/token`,
          jwks_uri: `${issuer}/keys`,
        }),
      );
      return;
    }
    if (req.url === '/token' && req.method === 'POST') {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        redemptions.push(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'invalid_grant' }));
      });
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    redemptions,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The "browser" for a provider that redirects straight back: deliver the callback. */
async function redirectStraightBack(url: string): Promise<void> {
  const request = new URL(url);
  const back = new URL(request.searchParams.get('redirect_uri') ?? '');
  back.searchParams.set('code', 'code-from-the-provider');
  back.searchParams.set('state', request.searchParams.get('state') ?? '');
  await fetch(back);
}

describe('desktop sign-in through main and the renderer', () => {
  let h: Harness;
  let verified: Awaited<ReturnType<typeof startSilentPkceProvider>>;
  let unverified: Awaited<ReturnType<typeof startSilentPkceProvider>>;

  beforeAll(async () => {
    const sqlite = DATABASES.find((target) => target.name === 'sqlite');
    if (!sqlite) throw new Error('no SQLite target');
    verified = await startSilentPkceProvider();
    unverified = await startSilentPkceProvider();
    const admits = { clientIds: ['coffer-desktop'], allowedEmailDomains: ['example.com'] };
    h = await startHarness(sqlite, {
      devIdentityProvider: { enabled: true, port: 0 },
      identityProviders: [
        { issuer: verified.issuer, ...admits, desktopRedirect: 'fixed-path', pkce: 'S256' },
        { issuer: unverified.issuer, ...admits },
      ],
    });
  });
  afterAll(async () => {
    await h.close();
    await verified.close();
    await unverified.close();
  });
  beforeEach(() => {
    mainRequests = [];
    pageRequests = [];
    otherRequests = [];
    vi.stubGlobal('fetch', (input: string | URL | Request, init?: RequestInit) => {
      const url = input instanceof Request ? input.url : String(input);
      otherRequests.push(`${init?.method ?? 'GET'} ${url}`);
      return realFetch(input, init);
    });
  });
  afterEach(() => vi.unstubAllGlobals());

  /**
   * Main read the discovery document and redeemed the code; the page talked to the Coffer server
   * only, and nothing else in the process called the token endpoint (the server fetches the
   * provider's discovery document and keys for itself, so those are not counted here).
   */
  function expectProviderRequestsFromMainOnly(issuer: string) {
    expect(mainRequests[0]).toBe(`GET ${issuer}/.well-known/openid-configuration`);
    expect(mainRequests[1]).toMatch(new RegExp(`^POST ${issuer}/`));
    const server = new URL(h.server.url).origin;
    expect(pageRequests.length).toBeGreaterThan(0);
    expect(pageRequests.filter((line) => !line.split(' ')[1]?.startsWith(`${server}/`))).toEqual(
      [],
    );
    expect(otherRequests).not.toContain(mainRequests[1]);
  }

  function storeWith(platform: ReturnType<typeof desktopPlatform>['platform']) {
    return createAppStore({
      platform,
      createClient: (serverUrl) =>
        new VaultClient({
          serverUrl,
          fetch: (input, init) => {
            pageRequests.push(`${init.method ?? 'GET'} ${input}`);
            return realFetch(input, init);
          },
        }),
    });
  }

  it('signs the demo user in at the development provider on a per-attempt path', async () => {
    const idp = h.server.devIdentityProvider;
    if (!idp) throw new Error('dev IdP not running');
    const { platform, opened } = desktopPlatform(async (url) => {
      const redirectUri = new URL(url).searchParams.get('redirect_uri') ?? '';
      const landed = await signInAtDevProvider(url, redirectUri, idp.demo);
      await fetch(landed.url);
    });
    const store = storeWith(platform);
    await store.getState().chooseServer(h.server.url);
    await store.getState().startSignIn(idp.issuer);

    expect(store.getState()).toMatchObject({ phase: 'create-password', notice: null });
    expect(store.getState().user).toMatchObject({ isAdmin: true, email: idp.demo.email });
    const redirectUri = new URL(opened[0] ?? '').searchParams.get('redirect_uri') ?? '';
    expect(isPerAttemptLoopbackRedirect(redirectUri)).toBe(true);
    expectProviderRequestsFromMainOnly(idp.issuer);
  });

  it('uses the fixed path and proceeds without advertised PKCE where configured', async () => {
    const { platform, opened } = desktopPlatform(redirectStraightBack);
    const store = storeWith(platform);
    await store.getState().chooseServer(h.server.url);
    const failure = await store
      .getState()
      .startSignIn(verified.issuer)
      .catch((error: unknown) => error);

    // It got as far as redeeming the code, which this provider refuses.
    expect(failure).toMatchObject({ code: 'signin_provider_error' });
    const asked = new URL(opened[0] ?? '');
    expect(asked.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(asked.searchParams.get('code_challenge_method')).toBe('S256');
    const redeemed = verified.redemptions[0];
    expect(redeemed?.get('redirect_uri')).toBe(asked.searchParams.get('redirect_uri'));
    expect(redeemed?.get('code_verifier')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expectProviderRequestsFromMainOnly(verified.issuer);
  });

  it('refuses a provider without advertised PKCE before opening the browser (OA-01)', async () => {
    const { platform, opened } = desktopPlatform(redirectStraightBack);
    const store = storeWith(platform);
    await store.getState().chooseServer(h.server.url);
    const failure = await store
      .getState()
      .startSignIn(unverified.issuer)
      .catch((error: unknown) => error);

    expect(failure).toMatchObject({ code: 'config_invalid' });
    expect(store.getState().notice?.message).toContain('does not advertise PKCE with S256');
    expect(opened).toEqual([]);
    expect(unverified.redemptions).toEqual([]);
  });
});
