import { describe, expect, it, vi } from 'vitest';
import { createExternalLinkGate } from '../../../electron/main/external-links.ts';
import {
  buildAuthorizationUrl,
  createSystemBrowserSignIn,
  type AuthorizeRequest,
} from '../../../electron/main/signin/system-browser-signin.ts';
import { recordingLogger } from './fakes.ts';
import { connectOutcome, httpRequest } from './http-client.ts';

const request: AuthorizeRequest = {
  authorizationEndpoint: 'https://id.example.com/oauth2/authorize?tenant=acme',
  clientId: 'coffer-desktop',
  scope: 'openid email profile',
  state: 'c3RhdGUtZm9yLXRoZS1yZWFsLWF0dGVtcHQ',
  nonce: 'bm9uY2UtZm9yLXRoZS1yZWFsLWF0dGVtcHQ',
  codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
  codeChallengeMethod: 'S256',
  desktopRedirect: 'per-attempt-path',
};

/** A gate whose "system browser" follows the redirect like a provider would, with `reply`. */
function browserGate(reply: (authorizeUrl: URL) => string | undefined) {
  const opened: string[] = [];
  const gate = createExternalLinkGate({
    allowedHosts: () => [],
    openExternal: async (url) => {
      opened.push(url);
      const redirect = reply(new URL(url));
      if (redirect !== undefined) setTimeout(() => void httpRequest(redirect).catch(() => {}), 5);
    },
    log: recordingLogger(),
  });
  return { gate, opened };
}

function redirectWith(authorizeUrl: URL, query: string): string {
  return `${authorizeUrl.searchParams.get('redirect_uri')}?${query}`;
}

describe('system-browser sign-in (RFC 8252)', () => {
  it('asks with PKCE S256, state, nonce and the loopback redirect (OA-01)', () => {
    const url = buildAuthorizationUrl(request, 'http://127.0.0.1:5555/callback/abc');
    expect(url.origin).toBe('https://id.example.com');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      tenant: 'acme',
      response_type: 'code',
      client_id: 'coffer-desktop',
      redirect_uri: 'http://127.0.0.1:5555/callback/abc',
      scope: 'openid email profile',
      state: request.state,
      nonce: request.nonce,
      code_challenge: request.codeChallenge,
      code_challenge_method: 'S256',
    });
  });

  it('opens the provider through the gate and returns the code with the redirect URI', async () => {
    const { gate, opened } = browserGate((url) =>
      redirectWith(url, `code=the-code&state=${url.searchParams.get('state')}`),
    );
    const signIn = createSystemBrowserSignIn({ gate, log: recordingLogger() });
    const result = await signIn.authorize(request);
    expect(result.code).toBe('the-code');
    expect(result.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback\//);
    expect(opened).toHaveLength(1);
    expect(await connectOutcome(result.redirectUri)).toBe('ECONNREFUSED');
  });

  it('keeps waiting through a forged callback and takes only the real one (OA-02)', async () => {
    const { gate } = browserGate((url) => {
      void httpRequest(redirectWith(url, 'code=attacker&state=forged')).catch(() => {});
      return redirectWith(url, `code=real&state=${url.searchParams.get('state')}`);
    });
    const signIn = createSystemBrowserSignIn({ gate, log: recordingLogger() });
    await expect(signIn.authorize(request)).resolves.toMatchObject({ code: 'real' });
  });

  it('redirects to the fixed /callback when the provider is configured so', async () => {
    const { gate, opened } = browserGate((url) =>
      redirectWith(url, `code=fixed&state=${url.searchParams.get('state')}`),
    );
    const signIn = createSystemBrowserSignIn({ gate, log: recordingLogger() });
    const result = await signIn.authorize({ ...request, desktopRedirect: 'fixed-path' });
    expect(result).toMatchObject({ code: 'fixed' });
    expect(result.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(new URL(opened[0] ?? '').searchParams.get('redirect_uri')).toBe(result.redirectUri);
  });

  it('refuses a non-https provider on a remote host before opening anything', async () => {
    const { gate, opened } = browserGate(() => undefined);
    const signIn = createSystemBrowserSignIn({ gate, log: recordingLogger() });
    for (const authorizationEndpoint of [
      'http://id.example.com/authorize',
      'javascript:alert(1)',
      'https://alice:pw@id.example.com/authorize',
      'https://id.example.com/authorize#frag',
    ]) {
      await expect(signIn.authorize({ ...request, authorizationEndpoint })).rejects.toMatchObject({
        code: 'invalid_input',
      });
    }
    expect(opened).toEqual([]);
  });

  it('accepts the development provider on a loopback literal', async () => {
    const { gate, opened } = browserGate((url) =>
      redirectWith(url, `code=dev&state=${url.searchParams.get('state')}`),
    );
    const signIn = createSystemBrowserSignIn({ gate, log: recordingLogger() });
    const dev = { ...request, authorizationEndpoint: 'http://127.0.0.1:9/authorize' };
    await expect(signIn.authorize(dev)).resolves.toMatchObject({ code: 'dev' });
    expect(opened[0]).toMatch(/^http:\/\/127\.0\.0\.1:9\/authorize\?/);
  });

  it('closes the listener when the browser cannot be opened', async () => {
    let redirectUri = '';
    const gate = {
      open: async (url: string) => {
        redirectUri = new URL(url).searchParams.get('redirect_uri') ?? '';
        throw new Error('no browser');
      },
    };
    const signIn = createSystemBrowserSignIn({ gate, log: recordingLogger() });
    await expect(signIn.authorize(request)).rejects.toThrow('no browser');
    expect(await connectOutcome(redirectUri)).toBe('ECONNREFUSED');
  });

  it('cancels an earlier attempt when a new one starts', async () => {
    const { gate, opened } = browserGate(() => undefined);
    const signIn = createSystemBrowserSignIn({ gate, log: recordingLogger() });
    const first = signIn.authorize(request);
    first.catch(() => {});
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = signIn.authorize({ ...request, state: 'c2Vjb25kLWF0dGVtcHQtc3RhdGU' });
    await expect(first).rejects.toMatchObject({ code: 'signin_cancelled' });
    await vi.waitFor(() => expect(opened).toHaveLength(2));
    signIn.cancel();
    await expect(second).rejects.toMatchObject({ code: 'signin_cancelled' });
  });

  it('does not open the browser for an attempt cancelled while its listener starts', async () => {
    const { gate, opened } = browserGate(() => undefined);
    const signIn = createSystemBrowserSignIn({ gate, log: recordingLogger() });
    const attempt = signIn.authorize(request);
    signIn.cancel();
    await expect(attempt).rejects.toMatchObject({ code: 'signin_cancelled' });
    expect(opened).toEqual([]);
  });

  it('times out when the browser never comes back', async () => {
    const { gate } = browserGate(() => undefined);
    const signIn = createSystemBrowserSignIn({ gate, log: recordingLogger(), timeoutMs: 100 });
    await expect(signIn.authorize(request)).rejects.toMatchObject({ code: 'signin_timeout' });
  });
});
