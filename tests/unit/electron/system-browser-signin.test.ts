import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { resolveAppOrigin } from '../../../electron/main/app-origin.ts';
import { createExternalLinkGate } from '../../../electron/main/external-links.ts';
import { createIpcDispatcher } from '../../../electron/main/ipc/dispatcher.ts';
import { createHandlerTable, type MainServices } from '../../../electron/main/ipc/handlers.ts';
import { createSenderPolicy } from '../../../electron/main/ipc/sender-policy.ts';
import {
  createSystemBrowserSignIn,
  type SignInRequest,
  type SystemBrowserSignInOptions,
} from '../../../electron/main/signin/system-browser-signin.ts';
import type { FetchLike } from '../../../shared/client/api-client.ts';
import { isPerAttemptLoopbackRedirect } from '../../../shared/protocol/identity-provider.ts';
import { recordingLogger } from './fakes.ts';
import { followRedirect, startFakeProvider, type FakeProvider } from './fake-provider.ts';
import { connectOutcome } from './http-client.ts';

/**
 * Main's half of the desktop sign-in (issue #4) against an OpenID provider on 127.0.0.1: the
 * discovery and token requests are made here, through the fetch main is given, and only the ID
 * token goes back to the page. SECURITY-CASES OA-01 (S256, no downgrade), OA-02 (state) and
 * OA-03 (listener) from main's side; provider answers bounded in time and size.
 */

const NONCE = 'bm9uY2UtZm9yLXRoZS1yZWFsLWF0dGVtcHQ';
let provider: FakeProvider;

beforeAll(async () => {
  provider = await startFakeProvider();
});
afterAll(() => provider.close());
beforeEach(() => {
  provider.behave({});
  provider.requests.length = 0;
  provider.exchanges.length = 0;
});

function request(overrides: Partial<SignInRequest> = {}): SignInRequest {
  return {
    issuer: provider.issuer,
    pkce: 'advertised',
    clientId: 'coffer-desktop',
    nonce: NONCE,
    desktopRedirect: 'per-attempt-path',
    ...overrides,
  };
}

/**
 * Main's sign-in with a recording fetch (what main asked for) and a gate whose "system browser"
 * runs `browse` on its own, as the real one does: main waits on its listener, not on it.
 */
function setup(
  options: Partial<SystemBrowserSignInOptions> & { browse?: (url: string) => Promise<void> } = {},
) {
  const { browse = followRedirect, ...rest } = options;
  const fetched: string[] = [];
  const mainFetch: FetchLike = (input, init) => {
    fetched.push(`${init.method ?? 'GET'} ${input}`);
    return fetch(input, init);
  };
  const opened: string[] = [];
  const log = recordingLogger();
  const gate = createExternalLinkGate({
    allowedHosts: () => [],
    openExternal: async (url) => {
      opened.push(url);
      void browse(url).catch(() => undefined);
    },
    log,
  });
  const signIn = createSystemBrowserSignIn({ gate, log, fetch: mainFetch, ...rest });
  return { signIn, fetched, opened, log };
}

describe('desktop sign-in in main: the provider requests (issue #4)', () => {
  it('reads discovery and redeems the code from main, and answers the ID token alone', async () => {
    const { signIn, fetched, opened } = setup();
    const result = await signIn.authenticate(request());

    expect(Object.keys(result)).toEqual(['idToken']);
    const payload = JSON.parse(
      Buffer.from(result.idToken.split('.')[1] ?? '', 'base64url').toString(),
    );
    expect(payload).toMatchObject({ nonce: NONCE, aud: 'coffer-desktop' });
    expect(fetched).toEqual([
      `GET ${provider.issuer}/.well-known/openid-configuration`,
      `POST ${provider.issuer}/token`,
    ]);
    const asked = new URL(opened[0] ?? '');
    expect(asked.origin + asked.pathname).toBe(`${provider.issuer}/authorize`);
    expect(asked.searchParams.get('code_challenge_method')).toBe('S256');
    expect(asked.searchParams.get('nonce')).toBe(NONCE);
    expect(asked.searchParams.get('scope')).toBe('openid email');
    expect(asked.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const redirectUri = asked.searchParams.get('redirect_uri') ?? '';
    expect(isPerAttemptLoopbackRedirect(redirectUri)).toBe(true);
    // The provider checked the verifier against the challenge; the listener is gone.
    expect(provider.exchanges).toHaveLength(1);
    expect(await connectOutcome(redirectUri)).toBe('ECONNREFUSED');
  });

  it('hands the page the ID token through IPC, never the verifier or the code', async () => {
    const { signIn, log } = setup();
    const origin = resolveAppOrigin({ isPackaged: true });
    const dispatcher = createIpcDispatcher({
      handlers: createHandlerTable({ signIn } as unknown as MainServices),
      policy: createSenderPolicy({ isAppUrl: origin.isAppUrl, isKnownWindow: (id) => id === 1 }),
      log,
    });
    const frame = { url: 'coffer-app://bundle/index.html', detached: false, parent: null };
    const answer = await dispatcher.dispatch(
      'signin:authenticate',
      { sender: { id: 1 }, senderFrame: frame },
      request(),
    );

    expect(answer).toEqual({ ok: true, value: { idToken: expect.any(String) } });
    const [exchange] = provider.exchanges;
    const seen = JSON.stringify(answer) + log.lines.join('\n');
    expect(exchange?.verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(seen).not.toContain(exchange?.verifier);
    expect(seen).not.toContain(exchange?.code);
  });

  it(
    'refuses a provider that does not advertise ' + 'S256 unless the server vouches (OA-01)',
    async () => {
      provider.behave({ discovery: () => ({ code_challenge_methods_supported: undefined }) });
      const { signIn, opened } = setup();
      await expect(signIn.authenticate(request())).rejects.toMatchObject({
        code: 'config_invalid',
        message: expect.stringContaining('does not advertise PKCE with S256'),
      });
      expect(opened).toEqual([]);
      expect(provider.requests).not.toContain('GET /authorize');

      // `pkce: S256` in the server's configuration: proceeds, and still sends and proves S256.
      await expect(signIn.authenticate(request({ pkce: 'S256' }))).resolves.toHaveProperty(
        'idToken',
      );
      expect(new URL(opened[0] ?? '').searchParams.get('code_challenge_method')).toBe('S256');
    },
  );

  it(
    'refuses a provider that lists methods ' + 'without S256, whatever the setting (OA-01)',
    async () => {
      provider.behave({ discovery: () => ({ code_challenge_methods_supported: ['plain'] }) });
      const { signIn, opened } = setup();
      for (const pkce of ['advertised', 'S256'] as const) {
        await expect(signIn.authenticate(request({ pkce }))).rejects.toMatchObject({
          code: 'config_invalid',
        });
      }
      expect(opened).toEqual([]);
    },
  );

  it('refuses a discovery document whose issuer is not exactly the one asked for', async () => {
    const { signIn, opened } = setup();
    for (const issuer of [
      (real: string) => `${real}/`,
      () => 'https://evil.example.com',
      (real: string) => real.replace('127.0.0.1', 'localhost'),
    ]) {
      provider.behave({ discovery: (real) => ({ issuer: issuer(real) }) });
      await expect(signIn.authenticate(request())).rejects.toMatchObject({
        code: 'config_invalid',
        message: expect.stringContaining('issuer does not match'),
      });
    }
    expect(opened).toEqual([]);
    expect(provider.exchanges).toEqual([]);
  });

  it('asks nothing of an issuer off loopback without https, or of odd endpoints', async () => {
    const { signIn, fetched, opened } = setup();
    for (const issuer of ['http://id.example.com', 'file:///etc/passwd', 'coffer-app://bundle']) {
      await expect(signIn.authenticate(request({ issuer }))).rejects.toMatchObject({
        code: 'invalid_input',
      });
    }
    expect(fetched).toEqual([]);
    provider.behave({
      discovery: (real) => ({
        authorization_endpoint: real.replace('http://', 'http://alice:pw@') + '/authorize',
      }),
    });
    await expect(signIn.authenticate(request())).rejects.toMatchObject({ code: 'invalid_input' });
    expect(opened).toEqual([]);
  });
});

describe('desktop sign-in in main: the redirect (OA-02)', () => {
  it('ignores a callback with the wrong state and redeems only the real code', async () => {
    const { signIn } = setup({
      browse: async (url) => {
        const forged = new URL(new URL(url).searchParams.get('redirect_uri') ?? '');
        forged.search = 'code=attacker-code&state=forged';
        const answer = await fetch(forged);
        expect(answer.status).toBe(404);
        await followRedirect(url);
      },
    });
    await expect(signIn.authenticate(request())).resolves.toHaveProperty('idToken');
    expect(provider.exchanges.map((e) => e.code)).not.toContain('attacker-code');
    expect(provider.exchanges).toHaveLength(1);
  });

  it('never redeems a code whose callback does not carry the attempt’s state', async () => {
    provider.behave({
      callback: (query) => new URLSearchParams({ code: query.get('code') ?? '', state: 'x' }),
    });
    const { signIn } = setup({ timeoutMs: 300 });
    await expect(signIn.authenticate(request())).rejects.toMatchObject({ code: 'signin_timeout' });
    expect(provider.exchanges).toEqual([]);
  });

  it('refuses a code that names another issuer (RFC 9207 mix-up)', async () => {
    provider.behave({
      callback: (query) =>
        new URLSearchParams({ ...Object.fromEntries(query), iss: 'https://evil.example.com' }),
    });
    const { signIn } = setup();
    await expect(signIn.authenticate(request())).rejects.toMatchObject({
      code: 'signin_state_mismatch',
    });
    expect(provider.exchanges).toEqual([]);
  });

  it('refuses an ID token issued for another nonce', async () => {
    provider.behave({ tokenNonce: () => 'bm9uY2UtZnJvbS1hbm90aGVyLWF0dGVtcHQ' });
    const { signIn } = setup();
    await expect(signIn.authenticate(request())).rejects.toMatchObject({
      code: 'id_token_nonce_invalid',
    });
  });

  it('reports a refusal at the provider that carried the right state', async () => {
    provider.behave({
      callback: (query) =>
        new URLSearchParams({ error: 'access_denied', state: query.get('state') ?? '' }),
    });
    const { signIn } = setup();
    await expect(signIn.authenticate(request())).rejects.toMatchObject({
      code: 'signin_provider_error',
      message: expect.stringContaining('access_denied'),
    });
  });
});

describe('desktop sign-in in main: bounded provider answers', () => {
  const huge = (res: ServerResponse) => {
    // Chunked, with no Content-Length to refuse it up front: the cap must hold while reading.
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"issuer":"');
    const chunk = 'a'.repeat(16 * 1024);
    for (let i = 0; i < 64; i += 1) res.write(chunk);
    res.end('"}');
  };

  it('stops reading an oversized discovery document or token response', async () => {
    const { signIn, opened } = setup();
    provider.behave({ discoveryRaw: huge });
    await expect(signIn.authenticate(request())).rejects.toMatchObject({
      code: 'payload_too_large',
      message: expect.stringContaining('64 KiB'),
    });
    expect(opened).toEqual([]);

    provider.behave({ tokenRaw: (res) => huge(res) });
    await expect(signIn.authenticate(request())).rejects.toMatchObject({
      code: 'payload_too_large',
    });
  });

  it('gives up on a provider that never answers, or drips its answer', async () => {
    const { signIn } = setup({ providerTimeoutMs: 300 });
    provider.behave({ discoveryRaw: () => undefined });
    const started = Date.now();
    await expect(signIn.authenticate(request())).rejects.toMatchObject({
      code: 'identity_provider_unavailable',
      message: expect.stringContaining('did not answer'),
    });

    provider.behave({
      tokenRaw: (res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"id_token":"');
      },
    });
    await expect(signIn.authenticate(request())).rejects.toMatchObject({
      code: 'identity_provider_unavailable',
    });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('does not follow a redirect from the token endpoint', async () => {
    provider.behave({
      tokenRaw: (res) => {
        res.writeHead(307, { location: `${provider.issuer}/elsewhere` }).end();
      },
    });
    const { signIn } = setup();
    await expect(signIn.authenticate(request())).rejects.toMatchObject({
      code: 'identity_provider_unavailable',
    });
    expect(provider.requests).not.toContain('POST /elsewhere');
  });
});

describe('desktop sign-in in main: attempts and the listener (OA-03)', () => {
  it('redirects to the fixed /callback when the provider is configured so', async () => {
    const { signIn, opened } = setup();
    await signIn.authenticate(request({ desktopRedirect: 'fixed-path' }));
    const redirectUri = new URL(opened[0] ?? '').searchParams.get('redirect_uri');
    expect(redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
  });

  it('closes the listener when the browser cannot be opened', async () => {
    let redirectUri = '';
    const signIn = createSystemBrowserSignIn({
      gate: {
        open: async (url) => {
          redirectUri = new URL(url).searchParams.get('redirect_uri') ?? '';
          throw new Error('no browser');
        },
      },
      log: recordingLogger(),
      fetch: (input, init) => fetch(input, init),
    });
    await expect(signIn.authenticate(request())).rejects.toThrow('no browser');
    expect(await connectOutcome(redirectUri)).toBe('ECONNREFUSED');
  });

  it('cancels an earlier attempt when a new one starts, even during discovery', async () => {
    provider.behave({ discoveryRaw: () => undefined });
    const { signIn, opened } = setup();
    const first = signIn.authenticate(request());
    first.catch(() => undefined);
    await vi.waitFor(() =>
      expect(provider.requests).toContain('GET /.well-known/openid-configuration'),
    );
    provider.behave({});
    const second = signIn.authenticate(request());
    await expect(first).rejects.toMatchObject({ code: 'signin_cancelled' });
    await expect(second).resolves.toHaveProperty('idToken');
    expect(opened).toHaveLength(1);
  });

  it('does not open the browser for an attempt cancelled before it got there', async () => {
    const { signIn, opened } = setup();
    const attempt = signIn.authenticate(request());
    signIn.cancel();
    await expect(attempt).rejects.toMatchObject({ code: 'signin_cancelled' });
    expect(opened).toEqual([]);
    expect(provider.exchanges).toEqual([]);
  });

  it('times out when the browser never comes back', async () => {
    const { signIn } = setup({ browse: async () => undefined, timeoutMs: 150 });
    await expect(signIn.authenticate(request())).rejects.toMatchObject({ code: 'signin_timeout' });
  });
});
